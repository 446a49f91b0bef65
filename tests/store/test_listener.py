"""The one-statement read of a listener agrees with the table functions it replaces."""

from __future__ import annotations

import uuid

import pytest

from store import db, feedback, profile, users
from store.listener import ListenerRows, listener_rows


def _q(q: float, reward: float, best: float) -> float:
    return q + 0.5 * (reward + 0.9 * best - q)


async def test_one_read_agrees_with_the_table_functions(prepared_database: str) -> None:
    pool = await db.create_pool(prepared_database, min_size=1, max_size=2)
    try:
        ids = [r["id"] for r in await pool.fetch("SELECT id FROM tracks ORDER BY id LIMIT 8")]
        user, _ = await users.create_user(pool, "listener")
        assert await listener_rows(pool, user.id, "default") == ListenerRows(
            [], None, [], [], {}, 0)

        # two tracks tie on plays (ordered by id), one played more
        await profile.add_history(pool, user.id, [(ids[2], 3, None), (ids[1], 7, None),
                                                  (ids[0], 3, None)], source="manual")
        traits = {"openness": 4.0, "conscientiousness": 2.0, "extraversion": 3.5,
                  "agreeableness": 3.0, "neuroticism": 1.5}
        await profile.add_personality(pool, user.id, traits, source="direct")
        await profile.add_personality(pool, user.id, {**traits, "openness": 1.0},
                                      source="bfi44")

        async def give(track: str, signal: str, reward: float, state: str = "default") -> str:
            event_id = str(uuid.uuid4())
            await feedback.record_feedback(
                pool, user_id=user.id, event_id=event_id, track_id=track, signal=signal,
                reward=reward, state=state, session_id=None, actions=[f"track:{track}"],
                q_update=_q)
            return event_id

        await give(ids[3], "like", 1.0)
        await give(ids[4], "dislike", -1.0)
        undone = await give(ids[5], "dislike", -1.0)
        await feedback.undo_feedback(pool, user_id=user.id, event_id=undone,
                                     actions_of=lambda t: [f"track:{t}"], q_update=_q)
        await give(ids[6], "skip", -0.3)
        await give(ids[7], "like", 1.0, state="calm")
        await give(ids[3], "like", 1.0)  # again: its own Q and the state's best both count

        found = await listener_rows(pool, user.id, "default")
        assert found.plays == [(ids[1], 7), (ids[0], 3), (ids[2], 3)]
        assert found.plays == [(r["track_id"], r["play_count"])
                               for r in await profile.history(pool, user.id)]
        assert found.personality == await profile.latest_personality(pool, user.id)
        assert found.personality is not None
        assert found.personality["source"] == "bfi44"
        liked, disliked = await feedback.rated_tracks(pool, user.id)
        assert sorted(found.liked) == sorted(liked) == sorted([ids[3], ids[7]])
        assert found.disliked == disliked == [ids[4]]
        assert found.q_values == await feedback.q_values_for_state(pool, user.id, "default")
        assert set(found.q_values) == {f"track:{t}" for t in ids[3:7]}
        # q ← q + ½(r + 0.9·best − q), best over the state before each step
        assert found.q_values[f"track:{ids[4]}"] == pytest.approx(-0.275)  # best 0.5
        assert found.q_values[f"track:{ids[5]}"] == pytest.approx(0.5875)  # undone: +1
        assert found.q_values[f"track:{ids[6]}"] == pytest.approx(0.114375)
        assert found.q_values[f"track:{ids[3]}"] == pytest.approx(1.014375)  # 0.5, best 0.5875
        assert found.feedback_events == await feedback.event_count(pool, user.id) == 5
        calm = await listener_rows(pool, user.id, "calm")
        assert calm.q_values == await feedback.q_values_for_state(pool, user.id, "calm")
        assert list(calm.q_values) == [f"track:{ids[7]}"]
    finally:
        await pool.close()
