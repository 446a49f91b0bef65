"""Everything a fresh list needs to know about a user, read in one statement.

A list made afresh needs the user's history, active personality, liked and disliked tracks,
feedback count and the Q values of the request's state. Read one by one (``profile`` and
``feedback`` each own their table's queries), that is five round trips and five pooled
connections a list; this statement answers all five with the same rules in one round trip.
``tests/store/test_listener.py`` checks that it agrees with those functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from store.profile import TRAITS, profile_of

HISTORY_LIMIT = 500  # the most played tracks a list is made from (as profile.history)

_SQL = f"""
SELECT h.track_ids, h.play_counts, r.liked, r.disliked, q.actions, q.qs, e.events,
       p.found AS has_personality, {", ".join("p." + t for t in TRAITS)},
       p.source, p.created_at
FROM (SELECT coalesce(array_agg(track_id ORDER BY n), '{{}}') AS track_ids,
             coalesce(array_agg(play_count ORDER BY n), '{{}}') AS play_counts
      FROM (SELECT track_id, play_count,
                   row_number() OVER (ORDER BY play_count DESC, last_played DESC NULLS LAST,
                                      track_id) AS n
            FROM listening_history WHERE user_id = $1
            ORDER BY n LIMIT $3) AS played) AS h
CROSS JOIN (
    SELECT coalesce(array_agg(track_id) FILTER (WHERE net > 0), '{{}}') AS liked,
           coalesce(array_agg(track_id) FILTER (WHERE net < 0 AND disliked), '{{}}')
             AS disliked
    FROM (SELECT ev.track_id, sum(ev.reward) AS net,
                 bool_or(ev.signal = 'dislike' AND un.id IS NULL) AS disliked
          FROM feedback_events ev
            LEFT JOIN feedback_events un ON un.user_id = ev.user_id AND un.undoes = ev.id
          WHERE ev.user_id = $1 GROUP BY ev.track_id) AS rated) AS r
CROSS JOIN (SELECT coalesce(array_agg(action), '{{}}') AS actions,
                   coalesce(array_agg(q), '{{}}') AS qs
            FROM q_values WHERE user_id = $1 AND state = $2) AS q
CROSS JOIN (SELECT count(*) AS events FROM feedback_events ev
            WHERE ev.user_id = $1 AND ev.undoes IS NULL
              AND NOT EXISTS (SELECT 1 FROM feedback_events un
                              WHERE un.user_id = ev.user_id AND un.undoes = ev.id)) AS e
LEFT JOIN LATERAL (
    SELECT TRUE AS found, {", ".join(TRAITS)}, source, created_at FROM personality_scores
    WHERE user_id = $1 ORDER BY id DESC LIMIT 1) AS p ON TRUE
"""


@dataclass(frozen=True)
class ListenerRows:
    plays: list[tuple[str, int]]  # (track id, play count), most played first
    personality: dict[str, Any] | None  # as profile.latest_personality
    liked: list[str]  # as feedback.rated_tracks
    disliked: list[str]
    q_values: dict[str, float]  # action -> Q in the state asked for
    feedback_events: int  # as feedback.event_count


async def listener_rows(conn: asyncpg.Pool | asyncpg.Connection, user_id: UUID,
                        state: str) -> ListenerRows:
    row = await conn.fetchrow(_SQL, user_id, state, HISTORY_LIMIT)
    return ListenerRows(
        plays=list(zip(row["track_ids"], row["play_counts"], strict=True)),
        personality=profile_of(row) if row["has_personality"] else None,
        liked=list(row["liked"]),
        disliked=list(row["disliked"]),
        q_values={a: float(q) for a, q in zip(row["actions"], row["qs"], strict=True)},
        feedback_events=int(row["events"]),
    )
