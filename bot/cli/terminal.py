"""``tunemate chat``: the terminal client.

It talks to a running server (``--url``) or starts the service in-process on a free port of
127.0.0.1 (the embedded Postgres and Redis where ``DATABASE_URL``/``REDIS_URL`` are unset).
The REPL itself is synchronous: ``input()`` and urllib on the main thread, while an embedded
server runs its own event loop on a background thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import threading
import unicodedata
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from bot.cli.setup import migrate_database, seed_demo_if_empty, service_urls
from services.config import Settings

TOKENS_FILE = "chat_tokens.json"
EMBEDDED_KEY = "embedded"  # the embedded server's port changes every run; its database doesn't
REQUEST_TIMEOUT_S = 60.0
NAME_WIDTH = 52
BAR_WIDTH = 10

HELP = """commands:
  /list          show the current list again
  /why N         explain track number N
  /like N        like track number N      (/skip N, /dislike N, /save N likewise)
  /new           start a new session (a fresh list; the chat history is cleared)
  /help          this text
  /quit          leave (Ctrl-D works too)
anything else is sent to tunemate as a chat message."""

FEEDBACK_COMMANDS = {"/like": "like", "/skip": "skip", "/dislike": "dislike", "/save": "save"}


class ChatError(Exception):
    """The server answered with an error, or could not be reached."""

    def __init__(self, message: str, *, status: int = 0, code: str = "unreachable") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


# ---------------------------------------------------------------- HTTP


class ApiClient:
    """A small synchronous client for tunemate's JSON API."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    def call(self, method: str, path: str, body: dict[str, Any] | None = None, *,
             auth: bool = True) -> dict[str, Any]:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base_url + "/api/v1" + path, data=data,
                                         headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:
                return _decode(response.read())
        except urllib.error.HTTPError as err:
            payload = _decode(err.read())
            found = payload.get("error")
            error: dict[str, Any] = found if isinstance(found, dict) else {}
            message = error.get("message") or err.reason or f"HTTP {err.code}"
            retry_after = err.headers.get("Retry-After")
            if retry_after:
                message += f" (try again in {retry_after} s)"
            raise ChatError(str(message), status=err.code,
                            code=str(error.get("code") or "http_error")) from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise ChatError(f"cannot reach {self.base_url}: {reason}") from None


def _decode(raw: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


# ---------------------------------------------------------------- the token file


class TokenStore:
    """API tokens by server, in the data directory, readable by the user only."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, str]:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        return {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}

    def get(self, server: str) -> str | None:
        return self._read().get(server)

    def put(self, server: str, token: str) -> None:
        tokens = self._read()
        tokens[server] = token
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(tokens, handle, indent=2)


# ---------------------------------------------------------------- display


def _clip(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: width - 1] + "…"


def _pad(text: str, width: int) -> str:
    # East Asian wide characters take two cells
    cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - cells)


def _bar(score: float, full: str, empty: str) -> str:
    filled = round(max(0.0, min(1.0, score)) * BAR_WIDTH)
    return full * filled + empty * (BAR_WIDTH - filled)


def _glyphs(out: TextIO) -> tuple[str, str, str]:
    """Block characters where the terminal can print them, ASCII otherwise."""
    encoding = getattr(out, "encoding", None) or "ascii"
    try:
        "█░…—".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "#", ".", "-"
    return "█", "░", "—"


def format_tracks(tracks: list[dict[str, Any]], out: TextIO) -> str:
    full, empty, dash = _glyphs(out)
    lines = []
    for track in tracks:
        artists = track.get("artists") or []
        artists_text = ", ".join(artists) if isinstance(artists, list) else str(artists)
        label = _clip(f"{track.get('name', '?')} {dash} {artists_text}", NAME_WIDTH)
        if dash != "—":
            label = label.replace("…", "...")
        score = float(track.get("score") or 0.0)
        lines.append(f"{int(track.get('position', 0)):>3}. {_pad(label, NAME_WIDTH)} "
                     f"{_bar(score, full, empty)} {score:.2f}")
        about = _year_and_genres(track, dash)
        if about:
            lines.append(f"     {about}")
    return "\n".join(lines)


def _year_and_genres(track: dict[str, Any], dash: str) -> str:
    """The second line of a track: its release year and genres ("1999 · pop, dance pop")."""
    parts = []
    if track.get("release_year"):
        parts.append(str(track["release_year"]))
    genres = track.get("genres") or []
    if isinstance(genres, list) and genres:
        parts.append(", ".join(str(g) for g in genres))
    if dash == "—":
        return _clip(" · ".join(parts), NAME_WIDTH + BAR_WIDTH + 6)
    return _clip(" - ".join(parts), NAME_WIDTH + BAR_WIDTH + 6).replace("…", "...")


def format_actions(actions: list[dict[str, Any]]) -> str:
    """The tools the turn used, by name: the reply that follows says what they did, so
    their summaries are not printed as well (one reply per turn)."""
    tools = list(dict.fromkeys(str(action.get("tool", "?")) for action in actions))
    return "  " + " ".join(f"[{tool}]" for tool in tools)


# ---------------------------------------------------------------- the conversation


class Conversation:
    def __init__(self, api: ApiClient, tokens: TokenStore, server_key: str, out: TextIO) -> None:
        self.api = api
        self.tokens = tokens
        self.server_key = server_key
        self.out = out
        self.session_id: str | None = None
        self.tracks: list[dict[str, Any]] = []

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def _create_user(self) -> None:
        created = self.api.call("POST", "/users", {"display_name": "terminal listener"},
                                auth=False)
        self.api.token = str(created["token"])
        self.tokens.put(self.server_key, self.api.token)

    def start_session(self) -> None:
        if not self.api.token:
            self._create_user()
        try:
            result = self.api.call("POST", "/chat/session/initialize", {})
        except ChatError as err:
            if err.status != 401:
                raise
            # a token from another database (or revoked): become a new user
            self._create_user()
            result = self.api.call("POST", "/chat/session/initialize", {})
        data = result["data"]
        self.session_id = str(data["session_id"])
        self.tracks = list(data["recommendations"])
        metadata = data.get("metadata") or {}
        self.say(result.get("message") or "Session started.")
        stage = str(metadata.get("cold_start_stage") or "").replace("_", " ")
        self.say(f"{len(self.tracks)} tracks"
                 + (f" from {metadata['total_candidates']} candidates"
                    if metadata.get("total_candidates") is not None else "")
                 + (f"; stage: {stage}" if stage else ""))
        self.show_list()

    def show_list(self) -> None:
        self.say(format_tracks(self.tracks, self.out) if self.tracks else "(the list is empty)")

    def send(self, message: str) -> None:
        result = self.api.call("POST", "/chat/message",
                               {"session_id": self.session_id, "message": message})
        actions = result.get("actions") or []
        if actions:
            self.say(format_actions(actions))
        self.say(f"tunemate: {result.get('reply', '')}")
        recommendations = result.get("recommendations")
        if isinstance(recommendations, list) and recommendations:
            self.tracks = recommendations
            self.say("the new list:")
            self.show_list()

    def feedback(self, signal: str, argument: str) -> None:
        track = self._track_at(argument)
        if track is None:
            return
        result = self.api.call("POST", "/feedback", {
            "event_id": str(uuid.uuid4()), "track_id": track["track_id"], "signal": signal,
            "session_id": self.session_id,
        })
        recorded = "recorded" if result.get("applied", True) else "already recorded"
        self.say(f"{signal} {recorded} for {track.get('position')}. {track.get('name')}")

    def _track_at(self, argument: str) -> dict[str, Any] | None:
        try:
            position = int(argument)
        except ValueError:
            self.say("give a track number, for example: /like 3")
            return None
        for track in self.tracks:
            if int(track.get("position", 0)) == position:
                return track
        self.say(f"there is no track number {position} in the list")
        return None

    def handle(self, line: str) -> bool:
        """Act on one input line; False means quit."""
        command, _, argument = line.partition(" ")
        argument = argument.strip()
        if command in ("/quit", "/exit"):
            return False
        if command == "/help":
            self.say(HELP)
        elif command == "/list":
            self.show_list()
        elif command == "/new":
            self.start_session()
        elif command == "/why":
            if self._track_at(argument) is not None:
                self.send(f"why is number {int(argument)} here?")
        elif command in FEEDBACK_COMMANDS:
            self.feedback(FEEDBACK_COMMANDS[command], argument)
        elif command.startswith("/"):
            self.say(f"unknown command {command}; /help lists them")
        else:
            self.send(line)
        return True


def converse(api: ApiClient, tokens: TokenStore, server_key: str, *,
             read_line: Callable[[str], str], out: TextIO) -> int:
    conversation = Conversation(api, tokens, server_key, out)
    try:
        conversation.start_session()
    except ChatError as err:
        conversation.say(f"tunemate: could not start a session: {err}")
        return 1
    conversation.say("Type a message, or /help for the commands.")
    while True:
        try:
            line = read_line("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            conversation.say()
            return 0
        if not line:
            continue
        try:
            if not conversation.handle(line):
                return 0
        except ChatError as err:
            conversation.say(f"error: {err}")


# ---------------------------------------------------------------- the in-process server


class _ServerThread(threading.Thread):
    """The aiohttp app on 127.0.0.1:<free port>, on an event loop of its own."""

    def __init__(self, settings: Settings, database_url: str, redis_url: str) -> None:
        super().__init__(name="tunemate-server", daemon=True)
        self._settings = settings
        self._database_url = database_url
        self._redis_url = redis_url
        self._ready = threading.Event()
        self._server_loop: asyncio.AbstractEventLoop | None = None
        self._shutdown: asyncio.Event | None = None
        self.url = ""
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # handed to the main thread, which reports it
            self.error = exc
        finally:
            self._ready.set()

    async def _serve(self) -> None:
        from aiohttp import web

        from bot.web.app import init_app

        self._server_loop = asyncio.get_running_loop()
        self._shutdown = asyncio.Event()
        app = init_app(self._settings, database_url=self._database_url,
                       redis_url=self._redis_url)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            host, port = runner.addresses[0][:2]
            self.url = f"http://{host}:{port}"
            self._ready.set()
            await self._shutdown.wait()
        finally:
            await runner.cleanup()

    def wait_ready(self) -> str:
        self._ready.wait()
        if self.error is not None or not self.url:
            raise ChatError(f"the in-process server did not start: {self.error!r}")
        return self.url

    def stop(self) -> None:
        if self._server_loop is not None and self._shutdown is not None and self.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop may have just finished
                self._server_loop.call_soon_threadsafe(self._shutdown.set)
        self.join(30)


@contextlib.contextmanager
def embedded_server(settings: Settings) -> Iterator[str]:
    """Start the service in-process, as ``tunemate serve`` would, and yield its URL."""
    with service_urls(settings) as (database_url, redis_url):
        asyncio.run(migrate_database(database_url))
        seeded = asyncio.run(seed_demo_if_empty(database_url, settings))
        if seeded:
            print(f"seeded a demo catalogue of {seeded} tracks", flush=True)
        server = _ServerThread(settings, database_url, redis_url)
        server.start()
        try:
            yield server.wait_ready()
        finally:
            server.stop()


def _read_terminal_line(prompt: str) -> str:
    line = input(prompt)
    if not sys.stdin.isatty():
        print(line, flush=True)  # piped input: echo it, so the output reads as a transcript
    return line


def run_chat(settings: Settings, url: str | None, *,
             read_line: Callable[[str], str] = _read_terminal_line,
             out: TextIO | None = None) -> int:
    """The REPL against ``url``, or against an in-process server when ``url`` is None."""
    out = out or sys.stdout
    tokens = TokenStore(Path(settings.data_dir) / TOKENS_FILE)
    if url:
        server_key = url.rstrip("/")
        api = ApiClient(url, tokens.get(server_key))
        return converse(api, tokens, server_key, read_line=read_line, out=out)
    try:
        with embedded_server(settings) as base_url:
            print(f"tunemate is running in-process at {base_url}/", file=out, flush=True)
            api = ApiClient(base_url, tokens.get(EMBEDDED_KEY))
            return converse(api, tokens, EMBEDDED_KEY, read_line=read_line, out=out)
    except ChatError as err:
        print(f"tunemate: {err}", file=out, flush=True)
        return 1
