"""SQL for ``recommendations_cache``: the last list made for each user, with its breakdowns.

Redis holds the same list for the session starts; this copy is read only while Redis cannot
be reached, so a session start then serves the user's cached list instead of making one.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg


async def save_list(pool: asyncpg.Pool, user_id: UUID, ttl_s: int,
                    tracks: list[dict[str, Any]], metadata: dict[str, Any],
                    personality: dict[str, Any] | None) -> None:
    await pool.execute(
        """INSERT INTO recommendations_cache
             (user_id, generated_at, expires_at, tracks, metadata, personality)
           VALUES ($1, now(), now() + make_interval(secs => $2), $3, $4, $5)
           ON CONFLICT (user_id) DO UPDATE SET generated_at = now(),
             expires_at = EXCLUDED.expires_at, tracks = EXCLUDED.tracks,
             metadata = EXCLUDED.metadata, personality = EXCLUDED.personality""",
        user_id, float(ttl_s), tracks, metadata, personality,
    )


async def load_list(pool: asyncpg.Pool, user_id: UUID) -> dict[str, Any] | None:
    """The user's list while it has not expired, as the Redis cache holds it, or None."""
    row = await pool.fetchrow(
        """SELECT tracks, metadata, personality
           FROM recommendations_cache WHERE user_id = $1 AND expires_at > now()""",
        user_id,
    )
    if row is None:
        return None
    metadata = row["metadata"]
    return {"tracks": row["tracks"], "metadata": metadata, "state": metadata.get("state"),
            "personality": row["personality"]}


async def delete_list(conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID) -> None:
    await conn.execute("DELETE FROM recommendations_cache WHERE user_id = $1", user_id)
