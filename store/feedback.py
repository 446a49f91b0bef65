"""SQL for ``feedback_events`` and ``q_values``: store an event, then learn from it, once.

``record_feedback`` runs in one transaction: the event row is written first (keyed by the
client's idempotency key), and only if it is new are the Q values updated. A per-user
advisory lock serialises concurrent events of one user, so no update is lost; a retry of
the same key finds the stored row and changes nothing.

``undo_feedback`` never deletes: it adds a compensating event (signal ``undo``, the opposite
reward, ``undoes`` naming the original) and learns from that reward, so the track's net
reward goes back to what it was without the original event.
"""

from __future__ import annotations

import hashlib
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


class EventNotFound(Exception):
    """No feedback event of this user has that id."""


class NotUndoable(Exception):
    """The event is itself an undo: give the feedback again instead."""


UNDO = "undo"


def undo_event_id(event_id: str) -> str:
    """The compensating event's id: derived from the original, so an undo happens once."""
    return "undo-" + hashlib.sha256(event_id.encode()).hexdigest()[:40]


def _event(row: asyncpg.Record) -> dict[str, Any]:
    event = {
        "event_id": row["id"], "track_id": row["track_id"], "signal": row["signal"],
        "reward": row["reward"], "state": row["state"],
        "session_id": None if row["session_id"] is None else str(row["session_id"]),
        "created_at": row["created_at"].isoformat(),
        "undoes": row["undoes"],
    }
    if "undone_by" in row.keys():  # noqa: SIM118 (a Record's `in` looks at values)
        event["undone_by"] = row["undone_by"]
    return event


async def _learn(conn: asyncpg.Connection, user_id: UUID, state: str, actions: Sequence[str],
                 reward: float, q_update: QUpdate) -> dict[str, float]:
    """One Q-learning step for each action, with the state's best value as the next one."""
    # the next state is the same listening context: its best known action value (read in
    # the same round trip as the actions' own values)
    known = await conn.fetchrow(
        """SELECT coalesce(array_agg(action) FILTER (WHERE action = ANY($3::text[])), '{}')
                    AS actions,
                  coalesce(array_agg(q) FILTER (WHERE action = ANY($3::text[])), '{}') AS qs,
                  coalesce(max(q), 0) AS max_next
           FROM q_values WHERE user_id = $1 AND state = $2""",
        user_id, state, list(actions),
    )
    current = {a: float(q) for a, q in zip(known["actions"], known["qs"], strict=True)}
    max_next = known["max_next"]
    updated = {a: q_update(current.get(a, 0.0), reward, float(max_next)) for a in actions}
    await conn.executemany(
        """INSERT INTO q_values (user_id, state, action, q, visits, updated_at)
           VALUES ($1, $2, $3, $4, 1, now())
           ON CONFLICT (user_id, state, action) DO UPDATE SET
             q = EXCLUDED.q, visits = q_values.visits + 1, updated_at = now()""",
        [(user_id, state, a, q) for a, q in updated.items()],
    )
    await recommendations.delete_list(conn, user_id)
    return updated


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
        updated = await _learn(conn, user_id, state, actions, reward, q_update)
        return FeedbackOutcome(True, _event(row), updated)


async def undo_feedback(
    pool: asyncpg.Pool, *, user_id: UUID, event_id: str,
    actions_of: Callable[[str], Sequence[str]], q_update: QUpdate,
) -> FeedbackOutcome:
    """Cancel an event by a new one with the opposite reward; a repeat changes nothing."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1::text))", str(user_id))
        original = await conn.fetchrow(
            "SELECT * FROM feedback_events WHERE user_id = $1 AND id = $2", user_id, event_id)
        if original is None:
            raise EventNotFound(event_id)
        if original["signal"] == UNDO:
            raise NotUndoable(event_id)
        done = await conn.fetchrow(
            "SELECT * FROM feedback_events WHERE user_id = $1 AND undoes = $2", user_id, event_id)
        if done is not None:
            return FeedbackOutcome(False, _event(done), {})
        reward = -float(original["reward"])
        row = await conn.fetchrow(
            """INSERT INTO feedback_events
                 (id, user_id, track_id, signal, reward, state, session_id, undoes)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               RETURNING *""",
            undo_event_id(event_id), user_id, original["track_id"], UNDO, reward,
            original["state"], original["session_id"], event_id,
        )
        updated = await _learn(conn, user_id, original["state"],
                               actions_of(original["track_id"]), reward, q_update)
        return FeedbackOutcome(True, _event(row), updated)


async def recent_feedback(
    conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID, *, limit: int = 100
) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT e.*, u.id AS undone_by FROM feedback_events e
             LEFT JOIN feedback_events u ON u.user_id = e.user_id AND u.undoes = e.id
           WHERE e.user_id = $1
           ORDER BY e.created_at DESC, e.id LIMIT $2""",
        user_id, limit,
    )
    return [_event(r) for r in rows]


async def rated_tracks(
    conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID
) -> tuple[list[str], list[str]]:
    """Track ids the user rewarded (net reward above 0), and those they rejected: said
    "dislike" (not undone) and not outweighed it since. A skip alone only lowers a track's
    RL term. An undo event carries the opposite reward, so the net forgets the undone one."""
    rows = await conn.fetch(
        """SELECT e.track_id, sum(e.reward) AS net,
                  bool_or(e.signal = 'dislike' AND u.id IS NULL) AS disliked
           FROM feedback_events e
             LEFT JOIN feedback_events u ON u.user_id = e.user_id AND u.undoes = e.id
           WHERE e.user_id = $1 GROUP BY e.track_id""",
        user_id,
    )
    liked = [r["track_id"] for r in rows if r["net"] > 0]
    disliked = [r["track_id"] for r in rows if r["net"] < 0 and r["disliked"]]
    return liked, disliked


async def event_count(conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID) -> int:
    """How many feedback events the user has given and kept (evidence for the cold-start
    stage): an undo and the event it cancels do not count."""
    return int(await conn.fetchval(
        """SELECT count(*) FROM feedback_events e
           WHERE e.user_id = $1 AND e.undoes IS NULL
             AND NOT EXISTS (SELECT 1 FROM feedback_events u
                             WHERE u.user_id = e.user_id AND u.undoes = e.id)""",
        user_id))


async def q_values_for_state(
    conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID, state: str
) -> dict[str, float]:
    rows = await conn.fetch(
        "SELECT action, q FROM q_values WHERE user_id = $1 AND state = $2", user_id, state
    )
    return {r["action"]: float(r["q"]) for r in rows}
