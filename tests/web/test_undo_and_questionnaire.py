"""Undo of feedback (a compensating event, never a deletion) and the questionnaire endpoint."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from recommender.personality import BFI44_KEY, TRAIT_NAMES
from store.feedback import rated_tracks
from store.profile import all_histories
from tests.helpers import new_user, start_session


async def feedback(client: Any, headers: dict[str, str], event_id: str, track_id: str,
                   signal: str, session_id: str) -> None:
    response = await client.post("/api/v1/feedback", headers=headers, json={
        "event_id": event_id, "track_id": track_id, "signal": signal, "session_id": session_id})
    assert response.status == 201, await response.text()


async def track_q(pg: asyncpg.Connection, user_id: str, track_id: str) -> float:
    return float(await pg.fetchval(
        "SELECT q FROM q_values WHERE user_id = $1 AND action = $2",
        uuid.UUID(user_id), f"track:{track_id}"))


async def test_undo_of_a_dislike_is_a_new_event_and_lets_the_track_back(
        client: Any, pg: asyncpg.Connection) -> None:
    user_id, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    track = data["recommendations"][0]["track_id"]
    await feedback(client, headers, "d1", track, "dislike", data["session_id"])
    assert track in (await rated_tracks(pg, uuid.UUID(user_id)))[1]
    after_dislike = await track_q(pg, user_id, track)
    assert after_dislike < 0

    undone = await client.post("/api/v1/feedback/d1/undo", headers=headers)
    assert undone.status == 201, await undone.text()
    event = (await undone.json())["event"]
    assert event["signal"] == "undo" and event["undoes"] == "d1"
    assert event["reward"] == 1.0 and event["track_id"] == track
    again = await client.post("/api/v1/feedback/d1/undo", headers=headers)
    assert again.status == 200
    assert not (await again.json())["applied"]

    # both events stay in the history; the list says which one undid which
    rows = await pg.fetch("SELECT id, signal FROM feedback_events WHERE user_id = $1",
                          uuid.UUID(user_id))
    assert sorted(r["signal"] for r in rows) == ["dislike", "undo"]
    events = (await (await client.get("/api/v1/feedback", headers=headers)).json())["events"]
    by_id = {e["event_id"]: e for e in events}
    assert by_id["d1"]["undone_by"] == event["event_id"]
    assert by_id[event["event_id"]]["undoes"] == "d1"

    # no longer excluded, and the Q value went back close to where it started (0)
    liked, disliked = await rated_tracks(pg, uuid.UUID(user_id))
    assert track not in disliked and track not in liked
    assert abs(await track_q(pg, user_id, track)) < abs(after_dislike) / 10

    # a later skip alone does not bring the undone dislike back into force
    await feedback(client, headers, "s1", track, "skip", data["session_id"])
    assert track not in (await rated_tracks(pg, uuid.UUID(user_id)))[1]


async def test_undo_of_a_like_stops_favouring_the_track(client: Any,
                                                        pg: asyncpg.Connection) -> None:
    user_id, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    track = data["recommendations"][1]["track_id"]
    await feedback(client, headers, "l1", track, "like", data["session_id"])
    assert track in (await rated_tracks(pg, uuid.UUID(user_id)))[0]
    liked_users = {str(r["user_id"]) for r in await all_histories(pg) if track in r["track_ids"]}
    assert user_id in liked_users
    assert (await client.post("/api/v1/feedback/l1/undo", headers=headers)).status == 201
    assert track not in (await rated_tracks(pg, uuid.UUID(user_id)))[0]
    liked_users = {str(r["user_id"]) for r in await all_histories(pg) if track in r["track_ids"]}
    assert user_id not in liked_users
    assert await track_q(pg, user_id, track) <= 0.001


async def test_undo_errors(client: Any) -> None:
    _, headers = await new_user(client)
    _, other = await new_user(client, "bob")
    data = (await start_session(client, headers))["data"]
    track = data["recommendations"][0]["track_id"]
    await feedback(client, headers, "x1", track, "like", data["session_id"])
    missing = await client.post("/api/v1/feedback/nope/undo", headers=headers)
    assert missing.status == 404
    theirs = await client.post("/api/v1/feedback/x1/undo", headers=other)
    assert theirs.status == 404  # another user's event is not found, not undone
    undone = await (await client.post("/api/v1/feedback/x1/undo", headers=headers)).json()
    twice = await client.post(f"/api/v1/feedback/{undone['event']['event_id']}/undo",
                              headers=headers)
    assert twice.status == 409
    assert (await client.post("/api/v1/feedback/x1/undo")).status == 401


async def test_the_questionnaire_has_44_items_keyed_like_bfi44(client: Any) -> None:
    response = await client.get("/api/v1/personality/questionnaire")  # no token needed
    assert response.status == 200
    body = await response.json()
    items = body["items"]
    assert [i["number"] for i in items] == list(range(1, 45))
    assert len({i["text"] for i in items}) == 44
    assert all(i["text"] and not i["text"].lower().startswith("i see myself") for i in items)
    keyed = {n: (t, r) for t, numbers in BFI44_KEY.items() for n, r in numbers}
    assert all(keyed[i["number"]] == (i["trait"], i["reverse"]) for i in items)
    assert body["scale"]["min"] == 1 and body["scale"]["max"] == 5
    assert len(body["scale"]["labels"]) == 5

    # agreeing fully with every forward item and not at all with every reverse one is the
    # top of every trait: the items' keying is what the scorer applies
    _, headers = await new_user(client)
    answers = {str(i["number"]): 1 if i["reverse"] else 5 for i in items}
    stored = await client.put("/api/v1/personality", headers=headers, json={"answers": answers})
    assert stored.status == 200, await stored.text()
    assert (await stored.json())["traits"] == dict.fromkeys(TRAIT_NAMES, 5.0)
