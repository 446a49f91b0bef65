"""SQL for ``chat_sessions`` and ``chat_messages``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg
import orjson


async def session_owner(conn: asyncpg.Pool | asyncpg.Connection, session_id: UUID) -> UUID | None:
    return await conn.fetchval("SELECT user_id FROM chat_sessions WHERE id = $1", session_id)


async def open_session(
    conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID, session_id: UUID | None,
    tracks: Sequence[dict[str, Any]], state: str, messages: Sequence[dict[str, Any]],
) -> UUID:
    """Start a conversation in one statement: a new session, or the given one with its
    history cleared, showing ``tracks`` and opening with ``messages``."""
    roles = [m["role"] for m in messages]
    contents = [m["content"] for m in messages]
    # as JSON text: asyncpg would read a list of calls as a nested array dimension
    calls = [None if m.get("tool_calls") is None else orjson.dumps(m["tool_calls"]).decode()
             for m in messages]
    call_ids = [m.get("tool_call_id") for m in messages]
    if session_id is None:
        return await conn.fetchval(
            """WITH opened AS (
                   INSERT INTO chat_sessions (user_id, shown, state) VALUES ($1, $2, $3)
                   RETURNING id),
               opening AS (
                   INSERT INTO chat_messages (session_id, role, content, tool_calls,
                                              tool_call_id)
                   SELECT opened.id, m.role, m.content, m.tool_calls::jsonb, m.tool_call_id
                   FROM opened, unnest($4::text[], $5::text[], $6::text[], $7::text[])
                        WITH ORDINALITY AS m(role, content, tool_calls, tool_call_id, n)
                   ORDER BY m.n)
               SELECT id FROM opened""",
            user_id, list(tracks), state, roles, contents, calls, call_ids,
        )
    await conn.execute(
        """WITH cleared AS (DELETE FROM chat_messages WHERE session_id = $1),
           reset AS (UPDATE chat_sessions SET shown = $2, state = $3, updated_at = now()
                     WHERE id = $1)
           INSERT INTO chat_messages (session_id, role, content, tool_calls, tool_call_id)
           SELECT $1, m.role, m.content, m.tool_calls::jsonb, m.tool_call_id
           FROM unnest($4::text[], $5::text[], $6::text[], $7::text[])
                WITH ORDINALITY AS m(role, content, tool_calls, tool_call_id, n)
           ORDER BY m.n""",
        session_id, list(tracks), state, roles, contents, calls, call_ids,
    )
    return session_id


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


async def session_state(conn: asyncpg.Pool | asyncpg.Connection, session_id: UUID) -> str:
    """The RL state of the list on screen, without reading the list itself (35-38 kB)."""
    state = await conn.fetchval("SELECT state FROM chat_sessions WHERE id = $1", session_id)
    return "default" if state is None else str(state)


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
