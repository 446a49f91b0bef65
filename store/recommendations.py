"""SQL for ``recommendations_cache``: the last list made for each user, with its breakdowns."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg


async def save_list(pool: asyncpg.Pool, user_id: UUID, ttl_s: int,
                    tracks: list[dict[str, Any]], metadata: dict[str, Any]) -> None:
    await pool.execute(
        """INSERT INTO recommendations_cache (user_id, generated_at, expires_at, tracks, metadata)
           VALUES ($1, now(), now() + make_interval(secs => $2), $3, $4)
           ON CONFLICT (user_id) DO UPDATE SET generated_at = now(),
             expires_at = EXCLUDED.expires_at, tracks = EXCLUDED.tracks,
             metadata = EXCLUDED.metadata""",
        user_id, float(ttl_s), tracks, metadata,
    )


async def delete_list(conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID) -> None:
    await conn.execute("DELETE FROM recommendations_cache WHERE user_id = $1", user_id)
