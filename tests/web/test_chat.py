"""The whole chat loop: real app, real agent (offline model), real Postgres and Redis."""

from __future__ import annotations

import json
import uuid
from statistics import mean
from typing import Any

import asyncpg

from tests.helpers import energies, new_user, say, start_session


async def test_a_conversation_moves_the_list_and_learns(
    client: Any, pg: asyncpg.Connection
) -> None:
    user_id, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    session = data["session_id"]
    start_energy = mean(await energies(pg, data["recommendations"]))

    calm = await say(client, headers, session, "something calm")
    assert [a["tool"] for a in calm["actions"]] == ["recommend"]
    assert "calm" in calm["actions"][0]["args"]["request"]
    calm_list = calm["recommendations"]
    calm_energy = mean(await energies(pg, calm_list))
    assert calm_energy < start_energy - 0.1
    assert calm["reply"]

    upbeat = await say(client, headers, session, "more upbeat please")
    assert [a["tool"] for a in upbeat["actions"]] == ["rerank"]
    reordered = upbeat["recommendations"]
    assert {t["track_id"] for t in reordered} == {t["track_id"] for t in calm_list}
    assert mean((await energies(pg, reordered))[:10]) > mean((await energies(pg, calm_list))[:10])

    why = await say(client, headers, session, "why number 3?")
    third = reordered[2]
    assert [a["tool"] for a in why["actions"]] == ["explain"]
    assert third["name"] in why["reply"]
    assert f"{third['score']:.3f}" in why["reply"]
    assert "recommendations" not in why

    love = await say(client, headers, session, "I love number 2")
    assert [a["tool"] for a in love["actions"]] == ["feedback"]
    stored = await pg.fetchrow(
        "SELECT track_id, signal FROM feedback_events WHERE user_id = $1",
        uuid.UUID(user_id))
    assert stored["track_id"] == reordered[1]["track_id"]
    assert stored["signal"] == "like"

    # the history the agent reads back holds the whole conversation, in order
    roles = [r["role"] for r in await pg.fetch(
        "SELECT role FROM chat_messages WHERE session_id = $1 ORDER BY id",
        uuid.UUID(session))]
    assert roles[:2] == ["ai", "tool"]
    assert roles.count("human") == 4


async def test_constraints_are_enforced_by_the_tool(client: Any, pg: asyncpg.Connection) -> None:
    _, headers = await new_user(client)
    session = (await start_session(client, headers))["data"]["session_id"]
    reply = await say(client, headers, session, "some upbeat tracks, no rap")
    assert reply["actions"][0]["args"]["exclude_genres"] == ["rap"]
    genres = await pg.fetch("SELECT genres, subgenres FROM tracks WHERE id = ANY($1::text[])",
                            [t["track_id"] for t in reply["recommendations"]])
    assert reply["recommendations"]
    assert all("rap" not in r["genres"] + r["subgenres"] for r in genres)


async def test_unknown_track_is_never_shown_as_if_it_existed(client: Any) -> None:
    _, headers = await new_user(client)
    session = (await start_session(client, headers))["data"]["session_id"]
    reply = await say(client, headers, session, 'why did you pick "Song That Does Not Exist"?')
    assert "no track called" in reply["reply"].lower()
    assert "recommendations" not in reply


async def test_a_genre_the_catalogue_lacks_leaves_the_list_as_it_was(
        client: Any, pg: asyncpg.Connection) -> None:
    _, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    session, first = data["session_id"], data["recommendations"]

    async def on_screen() -> list[str]:
        shown = await pg.fetchval("SELECT shown FROM chat_sessions WHERE id = $1",
                                  uuid.UUID(session))
        shown = json.loads(shown) if isinstance(shown, str) else shown
        return [t["track_id"] for t in shown]

    opera = await say(client, headers, session, "some opera please")
    assert [a["tool"] for a in opera["actions"]] == ["recommend"]
    assert "The catalogue has no opera tracks" in opera["reply"]
    assert "unchanged" in opera["reply"] and "recommendations" not in opera
    assert await on_screen() == [t["track_id"] for t in first]

    # a genre the list does not hold: no reordering claimed
    reordered = await say(client, headers, session, "put the opera ones first")
    assert [a["tool"] for a in reordered["actions"]] == ["rerank"]
    assert "None of your 50 tracks is opera" in reordered["reply"]
    assert await on_screen() == [t["track_id"] for t in first]

    # nothing fits all the bounds: the list stays, and the reply says so
    nothing = await say(client, headers, session, "90s jazz faster than 240 bpm")
    assert [a["tool"] for a in nothing["actions"]] == ["recommend"]
    assert "your list is unchanged" in nothing["reply"]
    assert await on_screen() == [t["track_id"] for t in first]


async def test_a_request_it_cannot_read_is_never_named_as_if_it_were(client: Any) -> None:
    _, headers = await new_user(client)
    session = (await start_session(client, headers))["data"]["session_id"]
    said = await say(client, headers, session, "something for folding laundry")
    assert [a["tool"] for a in said["actions"]] == ["recommend"]
    assert "I found no mood, track or artist in" in said["reply"]
    assert "tracks for 'folding laundry'" not in said["reply"]
    assert len(said["recommendations"]) == 50


async def test_something_different_is_a_list_of_other_tracks(client: Any) -> None:
    _, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    first = {t["track_id"] for t in data["recommendations"]}
    other = await say(client, headers, data["session_id"], "something different please")
    assert [a["tool"] for a in other["actions"]] == ["recommend"]
    assert len(other["recommendations"]) == 50
    assert not first & {t["track_id"] for t in other["recommendations"]}
    assert "none of them from your last list" in other["reply"]


async def test_an_artist_asked_for_leads_its_list(client: Any, pg: asyncpg.Connection) -> None:
    artist = await pg.fetchval(
        "SELECT artists FROM tracks GROUP BY artists HAVING count(*) >= 4 "
        "ORDER BY count(*) DESC, artists LIMIT 1")
    _, headers = await new_user(client)
    session = (await start_session(client, headers))["data"]["session_id"]
    said = await say(client, headers, session, f"play some {artist}")
    assert [a["tool"] for a in said["actions"]] == ["recommend"]
    tracks = said["recommendations"]
    assert len(tracks) == 50 and [t["position"] for t in tracks] == list(range(1, 51))
    assert tracks[0]["artists"] == artist
    assert sum(t["artists"] == artist for t in tracks) >= 2
    assert any(t["artists"] != artist for t in tracks)  # then music that sounds like it
    assert f"by and like {artist}" in said["reply"]


async def test_shuffle_and_reverse_keep_the_tracks(client: Any) -> None:
    _, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    ids = [t["track_id"] for t in data["recommendations"]]
    back = await say(client, headers, data["session_id"], "reverse the order")
    assert [a["args"] for a in back["actions"]] == [{"criterion": "reverse"}]
    assert [t["track_id"] for t in back["recommendations"]] == ids[::-1]
    mixed = await say(client, headers, data["session_id"], "shuffle them")
    assert [a["args"] for a in mixed["actions"]] == [{"criterion": "shuffle"}]
    assert sorted(t["track_id"] for t in mixed["recommendations"]) == sorted(ids)
    assert "in a random order" in mixed["reply"]


async def test_skip_two_tracks_at_once(client: Any, pg: asyncpg.Connection) -> None:
    user_id, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    shown = data["recommendations"]
    said = await say(client, headers, data["session_id"], "skip 4 and 5")
    assert [(a["tool"], a["args"]["track_id"]) for a in said["actions"]] == [
        ("feedback", shown[3]["track_id"]), ("feedback", shown[4]["track_id"])]
    stored = await pg.fetch("SELECT track_id, signal FROM feedback_events WHERE user_id = $1 "
                            "ORDER BY created_at", uuid.UUID(user_id))
    assert sorted((r["track_id"], r["signal"]) for r in stored) == sorted([
        (shown[3]["track_id"], "skip"), (shown[4]["track_id"], "skip")])


async def test_the_track_of_an_artist_on_the_list(client: Any, pg: asyncpg.Connection) -> None:
    user_id, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    shown = data["recommendations"]
    counts: dict[str, int] = {}
    for track in shown:
        counts[track["artists"]] = counts.get(track["artists"], 0) + 1
    once = next(t for t in shown if counts[t["artists"]] == 1 and "," not in t["artists"])
    said = await say(client, headers, data["session_id"], f"the {once['artists']} song is great")
    assert [(a["tool"], a["args"].get("track_id")) for a in said["actions"]] == [
        ("feedback", once["track_id"])]
    stored = await pg.fetchval("SELECT track_id FROM feedback_events WHERE user_id = $1",
                               uuid.UUID(user_id))
    assert stored == once["track_id"]
    # an artist the list does not hold: nothing recorded (no title "Zzyzx Qwerty" looked up
    # in the catalogue either), and the reply says so, with no closing line
    said = await say(client, headers, data["session_id"], "the Zzyzx Qwerty track is boring")
    assert said["reply"] == "There is no track by Zzyzx Qwerty in your current list."
    assert await pg.fetchval("SELECT count(*) FROM feedback_events WHERE user_id = $1",
                             uuid.UUID(user_id)) == 1


async def test_small_talk_gets_a_helpful_reply(client: Any) -> None:
    _, headers = await new_user(client)
    session = (await start_session(client, headers))["data"]["session_id"]
    reply = await say(client, headers, session, "hello there")
    assert reply["actions"] == []
    assert "mood" in reply["reply"].lower() or "music" in reply["reply"].lower()


async def test_websocket_streams_actions_and_the_reply(client: Any) -> None:
    _, headers = await new_user(client)
    token = headers["Authorization"].split()[1]
    session = (await start_session(client, headers))["data"]["session_id"]
    async with client.ws_connect("/api/v1/chat/ws") as ws:
        await ws.send_json({"type": "auth", "token": token})
        assert (await ws.receive_json())["type"] == "ready"
        await ws.send_json({"type": "message", "session_id": session,
                            "message": "something energetic for a workout"})
        frames = []
        while True:
            frame = await ws.receive_json()
            frames.append(frame)
            if frame["type"] in ("done", "error"):
                break
    kinds = [f["type"] for f in frames]
    assert kinds[0] == "action" and frames[0]["tool"] == "recommend"
    assert "reply_chunk" in kinds
    done = frames[-1]
    assert done["type"] == "done"
    assert "".join(f["text"] for f in frames if f["type"] == "reply_chunk") == done["reply"]
    assert len(done["recommendations"]) == 50


async def test_websocket_refuses_a_bad_token(client: Any) -> None:
    async with client.ws_connect("/api/v1/chat/ws") as ws:
        await ws.send_json({"type": "auth", "token": "tm_wrong"})
        frame = await ws.receive_json()
        assert frame["error"]["code"] == "unauthorized"


async def test_chat_needs_the_owner(client: Any) -> None:
    _, alice = await new_user(client, "alice")
    _, bob = await new_user(client, "bob")
    session = (await start_session(client, alice))["data"]["session_id"]
    response = await client.post("/api/v1/chat/message", headers=bob,
                                 json={"session_id": session, "message": "hi"})
    assert response.status == 403
    empty = await client.post("/api/v1/chat/message", headers=alice,
                              json={"session_id": session, "message": ""})
    assert empty.status == 400
    assert (await empty.json())["error"]["field"] == "message"
    # the worker now remembers the session's owner: still only the owner gets in
    said = await client.post("/api/v1/chat/message", headers=alice,
                             json={"session_id": session, "message": "hi"})
    assert said.status == 200
    again = await client.post("/api/v1/chat/message", headers=bob,
                              json={"session_id": session, "message": "hi"})
    assert again.status == 403
    for _ in range(2):
        missing = await client.post("/api/v1/chat/message", headers=alice,
                                    json={"session_id": str(uuid.uuid4()), "message": "hi"})
        assert missing.status == 404
