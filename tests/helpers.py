"""What many tests share: a user and a session over HTTP, a chat turn, the CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg

TUNEMATE = [sys.executable, "-m", "bot.cli"]


async def new_user(client: Any, name: str = "ann") -> tuple[str, dict[str, str]]:
    response = await client.post("/api/v1/users", json={"display_name": name})
    assert response.status == 201
    body = await response.json()
    return body["user_id"], {"Authorization": f"Bearer {body['token']}"}


async def start_session(client: Any, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/chat/session/initialize", json=body, headers=headers)
    assert response.status == 200, await response.text()
    return await response.json()


async def energies(pg: asyncpg.Connection, tracks: list[dict[str, Any]]) -> list[float]:
    rows = await pg.fetch("SELECT id, energy FROM tracks WHERE id = ANY($1::text[])",
                          [t["track_id"] for t in tracks])
    by_id = {r["id"]: r["energy"] for r in rows}
    return [by_id[t["track_id"]] for t in tracks]


async def say(client: Any, headers: dict[str, str], session_id: str, text: str) -> dict[str, Any]:
    response = await client.post("/api/v1/chat/message", headers=headers,
                                 json={"session_id": session_id, "message": text})
    assert response.status == 200, await response.text()
    return await response.json()


def run_cli(args: list[str], env_extra: dict[str, str], cwd: Path | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(env_extra)
    return subprocess.run(TUNEMATE + args, env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)


def app_with_server(settings: Any, backends: Any, database_url: str, **server: Any) -> Any:
    """The app with some ``server`` settings changed (timers, limits) for one test file."""
    from bot.web.app import init_app

    changed = settings.model_copy(update={"server": settings.server.model_copy(update=server)})
    return init_app(changed, database_url=database_url, redis_url=backends.redis_url)
