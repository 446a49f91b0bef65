"""SQL for ``feedback_events`` and ``q_values``: store an event, then learn from it, once.

``record_feedback`` runs in one transaction: the event row is written first (keyed by the
client's idempotency key), and only if it is new are the Q values updated. A per-user
advisory lock serialises concurrent events of one user, so no update is lost; a retry of
the same key finds the stored row and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from store import recommendations

# q_update(q, reward, max_next_q) -> new q; the maths lives in recommender.rl
QUpdate = Callable[[float, float, float], float]


@dataclass(frozen=True)
class FeedbackOutcome:
    applied: bool  # False: this event id was seen before and nothing changed
    event: dict[str, Any]
    q_values: dict[str, float]  # action -> Q after this event (empty when not applied)


class EventConflict(Exception):
    """The idempotency key was used before for a different event."""


def _event(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "event_id": row["id"], "track_id": row["track_id"], "signal": row["signal"],
        "reward": row["reward"], "state": row["state"],
        "session_id": None if row["session_id"] is None else str(row["session_id"]),
        "created_at": row["created_at"].isoformat(),
    }


async def record_feedback(
    pool: asyncpg.Pool, *, user_id: UUID, event_id: str, track_id: str, signal: str,
    reward: float, state: str, session_id: UUID | None, actions: Sequence[str],
    q_update: QUpdate,
) -> FeedbackOutcome:
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1::text))", str(user_id))
        row = await conn.fetchrow(
            """INSERT INTO feedback_events
                 (id, user_id, track_id, signal, reward, state, session_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (user_id, id) DO NOTHING
               RETURNING *""",
            event_id, user_id, track_id, signal, reward, state, session_id,
        )
        if row is None:
            existing = await conn.fetchrow(
                "SELECT * FROM feedback_events WHERE user_id = $1 AND id = $2", user_id, event_id
            )
            if existing["track_id"] != track_id or existing["signal"] != signal:
                raise EventConflict(event_id)
            return FeedbackOutcome(False, _event(existing), {})
        current = {
            r["action"]: float(r["q"])
            for r in await conn.fetch(
                "SELECT action, q FROM q_values WHERE user_id = $1 AND state = $2"
                " AND action = ANY($3::text[])",
                user_id, state, list(actions),
            )
        }
        # the next state is the same listening context: its best known action value
        max_next = await conn.fetchval(
            "SELECT coalesce(max(q), 0) FROM q_values WHERE user_id = $1 AND state = $2",
            user_id, state,
        )
        updated = {a: q_update(current.get(a, 0.0), reward, float(max_next)) for a in actions}
        await conn.executemany(
            """INSERT INTO q_values (user_id, state, action, q, visits, updated_at)
               VALUES ($1, $2, $3, $4, 1, now())
               ON CONFLICT (user_id, state, action) DO UPDATE SET
                 q = EXCLUDED.q, visits = q_values.visits + 1, updated_at = now()""",
            [(user_id, state, a, q) for a, q in updated.items()],
        )
        await recommendations.delete_list(conn, user_id)
        return FeedbackOutcome(True, _event(row), updated)


async def recent_feedback(
    conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID, *, limit: int = 100
) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT * FROM feedback_events WHERE user_id = $1
           ORDER BY created_at DESC, id LIMIT $2""",
        user_id, limit,
    )
    return [_event(r) for r in rows]


async def rated_tracks(
    conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID
) -> tuple[list[str], list[str]]:
    """Track ids the user rewarded (net reward above 0), and those they rejected: said
    "dislike" and not outweighed it since. A skip alone only lowers a track's RL term."""
    rows = await conn.fetch(
        """SELECT track_id, sum(reward) AS net, bool_or(signal = 'dislike') AS disliked
           FROM feedback_events WHERE user_id = $1 GROUP BY track_id""",
        user_id,
    )
    liked = [r["track_id"] for r in rows if r["net"] > 0]
    disliked = [r["track_id"] for r in rows if r["net"] < 0 and r["disliked"]]
    return liked, disliked


async def q_values_for_state(
    conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID, state: str
) -> dict[str, float]:
    rows = await conn.fetch(
        "SELECT action, q FROM q_values WHERE user_id = $1 AND state = $2", user_id, state
    )
    return {r["action"]: float(r["q"]) for r in rows}
