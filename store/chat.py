"""SQL for ``chat_sessions`` and ``chat_messages``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg


async def session_owner(conn: asyncpg.Pool | asyncpg.Connection, session_id: UUID) -> UUID | None:
    return await conn.fetchval("SELECT user_id FROM chat_sessions WHERE id = $1", session_id)


async def start_session(
    conn: asyncpg.Connection, user_id: UUID, session_id: UUID | None
) -> UUID:
    """A fresh conversation: the given session with its history cleared, or a new one."""
    if session_id is not None:
        await conn.execute("DELETE FROM chat_messages WHERE session_id = $1", session_id)
        await conn.execute(
            "UPDATE chat_sessions SET shown = '[]', state = 'default', updated_at = now()"
            " WHERE id = $1",
            session_id,
        )
        return session_id
    return await conn.fetchval(
        "INSERT INTO chat_sessions (user_id) VALUES ($1) RETURNING id", user_id
    )


async def set_shown(
    conn: asyncpg.Pool | asyncpg.Connection, session_id: UUID,
    tracks: Sequence[dict[str, Any]], state: str,
) -> None:
    """The list now on screen (tracks with their breakdowns) and its RL state."""
    await conn.execute(
        "UPDATE chat_sessions SET shown = $2, state = $3, updated_at = now() WHERE id = $1",
        session_id, list(tracks), state,
    )


async def shown(
    conn: asyncpg.Pool | asyncpg.Connection, session_id: UUID
) -> tuple[list[dict[str, Any]], str]:
    row = await conn.fetchrow("SELECT shown, state FROM chat_sessions WHERE id = $1", session_id)
    return ([], "default") if row is None else (list(row["shown"]), row["state"])


async def add_messages(
    conn: asyncpg.Pool | asyncpg.Connection, session_id: UUID,
    messages: Sequence[dict[str, Any]],
) -> None:
    """Append messages: each ``{role, content, tool_calls?, tool_call_id?}``."""
    await conn.executemany(
        """INSERT INTO chat_messages (session_id, role, content, tool_calls, tool_call_id)
           VALUES ($1, $2, $3, $4, $5)""",
        [(session_id, m["role"], m["content"], m.get("tool_calls"), m.get("tool_call_id"))
         for m in messages],
    )


async def recent_messages(
    conn: asyncpg.Pool | asyncpg.Connection, session_id: UUID, limit: int
) -> list[dict[str, Any]]:
    """The last ``limit`` messages, oldest first."""
    rows = await conn.fetch(
        """SELECT role, content, tool_calls, tool_call_id FROM (
               SELECT * FROM chat_messages WHERE session_id = $1 ORDER BY id DESC LIMIT $2
           ) AS last ORDER BY id""",
        session_id, limit,
    )
    return [dict(r) for r in rows]
