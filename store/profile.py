"""SQL for what a user tells us about themselves: personality and listening history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from recommender.personality import TRAIT_NAMES

TRAITS = TRAIT_NAMES  # the columns of personality_scores, in the recommender's order


async def add_personality(
    conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID, traits: Mapping[str, float],
    *, source: str, answers: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Store a new profile; it becomes the active one (older rows are kept)."""
    row = await conn.fetchrow(
        f"""INSERT INTO personality_scores (user_id, {", ".join(TRAITS)}, source, answers)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            RETURNING {", ".join(TRAITS)}, source, created_at""",
        user_id, *(float(traits[t]) for t in TRAITS), source,
        None if answers is None else dict(answers),
    )
    return profile_of(row)


async def latest_personality(
    conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID
) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        f"""SELECT {", ".join(TRAITS)}, source, created_at FROM personality_scores
            WHERE user_id = $1 ORDER BY id DESC LIMIT 1""",
        user_id,
    )
    return None if row is None else profile_of(row)


def profile_of(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "traits": {t: round(float(row[t]), 4) for t in TRAITS},
        "source": row["source"],
        "created_at": row["created_at"].isoformat(),
    }


async def add_history(
    conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID,
    plays: Sequence[tuple[str, int, datetime | None]], *, source: str,
) -> int:
    """Add plays; a track already in the history has its play count increased, up to the
    column's largest value (2^31 - 1) and no further, so no import fails for overflowing."""
    if not plays:
        return 0
    await conn.executemany(
        """INSERT INTO listening_history (user_id, track_id, play_count, last_played, source)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (user_id, track_id) DO UPDATE SET
             play_count = LEAST(listening_history.play_count::bigint + EXCLUDED.play_count,
                                2147483647),
             last_played = GREATEST(listening_history.last_played, EXCLUDED.last_played),
             source = EXCLUDED.source""",
        [(user_id, tid, count, when, source) for tid, count, when in plays],
    )
    return len(plays)


async def history(
    conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID, *, limit: int = 500
) -> list[asyncpg.Record]:
    """The user's tracks, most played first."""
    return await conn.fetch(
        """SELECT track_id, play_count, last_played, source FROM listening_history
           WHERE user_id = $1
           ORDER BY play_count DESC, last_played DESC NULLS LAST, track_id
           LIMIT $2""",
        user_id, limit,
    )


async def history_size(conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID) -> int:
    return int(await conn.fetchval(
        "SELECT count(*) FROM listening_history WHERE user_id = $1", user_id))


async def all_histories(conn: asyncpg.Pool | asyncpg.Connection) -> list[asyncpg.Record]:
    """Every user's tracks and liked tracks, for the collaborative co-occurrence model."""
    return await conn.fetch(
        """SELECT user_id, array_agg(track_id) AS track_ids FROM (
               SELECT user_id, track_id FROM listening_history
               UNION
               -- net of undo events, which carry the opposite reward
               SELECT user_id, track_id FROM feedback_events
               GROUP BY user_id, track_id HAVING sum(reward) > 0
           ) AS liked GROUP BY user_id"""
    )
