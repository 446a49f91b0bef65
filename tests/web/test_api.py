"""The session API over real HTTP, Postgres and Redis: identity, sessions, profile, feedback."""

from __future__ import annotations

import asyncio
import io
import math
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from redis.asyncio import Redis

from services.config import Settings
from store.users import hash_token, set_created_at
from tests.conftest import Backends
from tests.helpers import new_user, start_session

# ------------------------------------------------------------------ identity


async def test_token_is_required_and_only_in_the_header(client: Any) -> None:
    _, headers = await new_user(client)
    assert (await client.get("/api/v1/me", headers=headers)).status == 200
    missing = await client.get("/api/v1/me")
    assert missing.status == 401
    assert (await missing.json())["error"]["code"] == "unauthorized"
    wrong = await client.get("/api/v1/me", headers={"Authorization": "Bearer tm_nope"})
    assert wrong.status == 401
    token = headers["Authorization"].split()[1]
    in_query = await client.get(f"/api/v1/me?token={token}")
    assert in_query.status == 400
    assert "query" in (await in_query.json())["error"]["message"]


async def test_token_is_stored_hashed(client: Any, pg: asyncpg.Connection) -> None:
    user_id, headers = await new_user(client)
    token = headers["Authorization"].split()[1]
    stored = await pg.fetchval("SELECT token_hash FROM users WHERE id = $1", uuid.UUID(user_id))
    assert token.encode() not in stored and len(stored) == 32


async def test_a_user_cannot_touch_another_users_session(client: Any) -> None:
    _, alice = await new_user(client, "alice")
    _, bob = await new_user(client, "bob")
    session = (await start_session(client, alice))["data"]["session_id"]
    stolen = await client.post("/api/v1/chat/session/initialize",
                               json={"session_id": session}, headers=bob)
    assert stolen.status == 403
    unknown = await client.post("/api/v1/chat/session/initialize",
                                json={"session_id": str(uuid.uuid4())}, headers=bob)
    assert unknown.status == 404
    track = (await start_session(client, bob))["data"]["recommendations"][0]["track_id"]
    feedback = await client.post("/api/v1/feedback", headers=bob, json={
        "event_id": "e1", "track_id": track, "signal": "like", "session_id": session})
    assert feedback.status == 403


# ------------------------------------------------------------------ session start


async def test_session_start_delivers_fifty_tracks_with_breakdowns(
    client: Any, pg: asyncpg.Connection
) -> None:
    user_id, headers = await new_user(client)
    body = await start_session(client, headers)
    assert body["success"] is True
    data = body["data"]
    tracks = data["recommendations"]
    assert len(tracks) == 50
    assert len({t["track_id"] for t in tracks}) == 50
    assert [t["position"] for t in tracks] == list(range(1, 51))
    for track in tracks:
        parts = track["breakdown"]
        assert set(parts["components"]) >= {"history_similarity", "personality_match",
                                            "diversity_bonus", "novelty_factor"}
        assert -0.05 <= parts["rl_adjustment"] <= 0.05
    meta = data["metadata"]
    assert meta["final_count"] == 50
    assert 200 <= meta["total_candidates"] <= 500
    assert sum(meta["candidate_sources"].values()) >= meta["total_candidates"]
    assert meta["cold_start_stage"] == "week1"
    assert meta["account_age_days"] < 1
    assert meta["listening_history_size"] == 0
    assert meta["cache_status"] == "miss"
    assert isinstance(meta["response_time_ms"], float)
    assert isinstance(meta["performance_target_met"], bool)
    assert data["cold_start_info"]["stage"] == "week1"
    stored = await pg.fetchval(
        "SELECT json_array_length(tracks) FROM recommendations_cache WHERE user_id = $1",
        uuid.UUID(user_id))
    assert stored == 50


async def test_second_session_start_is_a_cache_hit_and_clears_history(
    client: Any, pg: asyncpg.Connection
) -> None:
    _, headers = await new_user(client)
    first = (await start_session(client, headers))["data"]
    session_id = first["session_id"]
    await pg.execute(
        "INSERT INTO chat_messages (session_id, role, content) VALUES ($1, 'human', 'hello')",
        uuid.UUID(session_id))
    second = (await start_session(client, headers, session_id=session_id))["data"]
    assert second["session_id"] == session_id
    assert second["metadata"]["cache_status"] == "hit"
    assert [t["track_id"] for t in second["recommendations"]] == \
        [t["track_id"] for t in first["recommendations"]]
    roles = [r["role"] for r in await pg.fetch(
        "SELECT role FROM chat_messages WHERE session_id = $1 ORDER BY id",
        uuid.UUID(session_id))]
    assert roles == ["ai", "tool"]  # only the session-start recommend call remains
    metrics = await (await client.get("/api/v1/metrics", headers=headers)).json()
    assert metrics["cache"]["rec"]["hits"] >= 1


async def test_a_cache_entry_of_another_shape_is_a_miss_not_a_500(
    client: Any, settings: Settings, backends: Backends
) -> None:
    # an entry written by another version of the code (or by hand) used to answer 500
    # on every session start for 24 h, or on every request of its user for 30 min
    from bot.web.keys import services_key

    user_id, headers = await new_user(client)
    await start_session(client, headers)
    redis = Redis.from_url(backends.redis_url)
    prefix = settings.redis.key_prefix
    token = headers["Authorization"].removeprefix("Bearer ")
    try:
        for junk in (b"{not json", b'{"tracks": 5}', b'{"a": [1, 2]}', b"null"):
            await redis.set(f"{prefix}rec:{user_id}", junk)
            started = (await start_session(client, headers))["data"]
            assert started["metadata"]["cache_status"] == "miss"
            assert len(started["recommendations"]) == 50
            await redis.set(f"{prefix}user:{hash_token(token).hex()}", junk)
            client.server.app[services_key]._recent_users.clear()  # the worker's own minute
            me = await client.get("/api/v1/me", headers=headers)
            assert me.status == 200 and (await me.json())["user_id"] == user_id
        # the entries were replaced by good ones
        assert (await start_session(client, headers))["data"]["metadata"]["cache_status"] \
            == "hit"
    finally:
        await redis.aclose()


# ------------------------------------------------------------------ personality and history


async def test_personality_from_bfi_answers_and_errors_naming_the_item(client: Any) -> None:
    _, headers = await new_user(client)
    all_fives = {str(i): 5 for i in range(1, 45)}
    ok = await client.put("/api/v1/personality", json={"answers": all_fives}, headers=headers)
    assert ok.status == 200, await ok.text()
    traits = (await ok.json())["traits"]
    assert traits["extraversion"] == 3.5  # 5 of 8 items forward, 3 reversed: (25 + 3) / 8
    missing = dict(all_fives)
    del missing["12"]
    bad = await client.put("/api/v1/personality", json={"answers": missing}, headers=headers)
    assert bad.status == 400
    assert "answers.12" in (await bad.json())["error"]["message"]
    out_of_range = dict(all_fives, **{"7": 9})
    bad = await client.put("/api/v1/personality", json={"answers": out_of_range},
                           headers=headers)
    assert bad.status == 400
    assert "answers.7" in (await bad.json())["error"]["message"]
    direct = await client.put("/api/v1/personality", headers=headers, json={"traits": {
        "openness": 80, "conscientiousness": 50, "extraversion": 100, "agreeableness": 0,
        "neuroticism": 25}, "scale": "0-100"})
    assert direct.status == 200
    shown = await (await client.get("/api/v1/personality", headers=headers)).json()
    assert shown["traits"]["extraversion"] == 5.0
    assert shown["traits"]["agreeableness"] == 1.0
    assert shown["source"] == "direct"
    both = await client.put("/api/v1/personality", headers=headers,
                            json={"answers": all_fives, "traits": {"openness": 3}})
    assert both.status == 400


async def test_trait_scores_are_on_one_declared_scale(client: Any) -> None:
    _, headers = await new_user(client)
    # one value above 5 on the default 1-5 scale: a 400 naming it, nothing stored
    bad = await client.put("/api/v1/personality", headers=headers, json={"traits": {
        "openness": 9, "conscientiousness": 3, "extraversion": 3, "agreeableness": 3,
        "neuroticism": 3}})
    assert bad.status == 400
    error = (await bad.json())["error"]
    assert error["field"] == "traits.openness"
    assert "1-5" in error["message"]
    missing = await client.get("/api/v1/personality", headers=headers)
    assert missing.status == 404
    # the same numbers declared as 0-100 are taken as percentages, every one of them
    ok = await client.put("/api/v1/personality", headers=headers, json={"traits": {
        "openness": 9, "conscientiousness": 3, "extraversion": 3, "agreeableness": 3,
        "neuroticism": 3}, "scale": "0-100"})
    assert ok.status == 200, await ok.text()
    traits = (await ok.json())["traits"]
    assert traits["openness"] == pytest.approx(1.36)
    assert traits["neuroticism"] == pytest.approx(1.12)
    # 1-5 values stay 1-5 (no switch); an unknown scale is a 400 naming 'scale'
    plain = await client.put("/api/v1/personality", headers=headers, json={"traits": {
        "openness": 5, "conscientiousness": 1, "extraversion": 3, "agreeableness": 3,
        "neuroticism": 3}})
    assert (await plain.json())["traits"]["openness"] == 5.0
    document = await (await client.get("/api/v1/openapi.json")).json()
    scale = document["components"]["schemas"]["PersonalityIn"]["properties"]["scale"]
    assert scale["enum"] == ["1-5", "0-100"] and scale["default"] == "1-5"
    odd = await client.put("/api/v1/personality", headers=headers, json={"traits": {
        "openness": 5, "conscientiousness": 1, "extraversion": 3, "agreeableness": 3,
        "neuroticism": 3}, "scale": "1-10"})
    assert odd.status == 400
    assert "scale" in (await odd.json())["error"]["message"]


async def test_one_item_or_trait_given_twice_is_a_400_not_a_silent_choice(client: Any) -> None:
    _, headers = await new_user(client)
    threes = {str(i): 3 for i in range(1, 45)}
    # "01" (or " 1", "+1", "1.0") was read as item 1 too, and the later answer won
    for spelling in ("01", " 1", "+1", "1.0"):
        bad = await client.put("/api/v1/personality", headers=headers,
                               json={"answers": {**threes, spelling: 5}})
        assert bad.status == 400, (spelling, await bad.text())
        error = (await bad.json())["error"]
        assert error["field"] == "answers" and repr(spelling) in error["message"]
    # "Openness" and "openness" both named openness, and the later one won
    bad = await client.put("/api/v1/personality", headers=headers, json={"traits": {
        "openness": 4, "conscientiousness": 3, "extraversion": 3, "agreeableness": 3,
        "neuroticism": 3, "Openness": 2}})
    assert bad.status == 400
    assert (await bad.json())["error"]["field"] == "traits.openness"
    assert (await client.get("/api/v1/personality", headers=headers)).status == 404
    # one spelling each is still fine, whatever its case
    ok = await client.put("/api/v1/personality", headers=headers, json={"traits": {
        "Openness": 4, "conscientiousness": 3, "extraversion": 3, "agreeableness": 3,
        "neuroticism": 3}})
    assert ok.status == 200 and (await ok.json())["traits"]["openness"] == 4.0


async def test_history_import_reports_unknown_ids_and_adds_play_counts(
    client: Any, pg: asyncpg.Connection
) -> None:
    _, headers = await new_user(client)
    known = [r["id"] for r in await pg.fetch("SELECT id FROM tracks ORDER BY id LIMIT 3")]
    plays = [{"track_id": known[0], "play_count": 4}, {"track_id": known[1]},
             {"track_id": "no-such-track", "play_count": 2}]
    response = await client.post("/api/v1/history", json={"tracks": plays}, headers=headers)
    assert response.status == 200
    assert await response.json() == {"imported": 2, "unknown_track_ids": ["no-such-track"]}
    await client.post("/api/v1/history", headers=headers,
                      json={"tracks": [{"track_id": known[0], "play_count": 3}]})
    history = await (await client.get("/api/v1/history", headers=headers)).json()
    assert history["total"] == 2
    assert history["tracks"][0] == {**history["tracks"][0], "track_id": known[0],
                                    "play_count": 7}
    bad = await client.post("/api/v1/history", headers=headers,
                            json={"tracks": [{"track_id": known[0], "play_count": 0}]})
    assert bad.status == 400
    assert "tracks.0.play_count" in (await bad.json())["error"]["message"]


async def test_play_counts_that_add_up_past_the_column_saturate_instead_of_failing(
    client: Any, pg: asyncpg.Connection
) -> None:
    # each play is within its bound (10^6), but 5,000 of them pass 2^31 - 1: the import
    # used to fail whole with a 400 about a character that cannot be stored
    _, headers = await new_user(client)
    track, other = [r["id"] for r in await pg.fetch("SELECT id FROM tracks ORDER BY id LIMIT 2")]
    plays = [{"track_id": track, "play_count": 1_000_000}] * 4999 + [{"track_id": other}]
    for _ in range(2):
        response = await client.post("/api/v1/history", json={"tracks": plays}, headers=headers)
        assert response.status == 200, await response.text()
    history = await (await client.get("/api/v1/history", headers=headers)).json()
    counts = {t["track_id"]: t["play_count"] for t in history["tracks"]}
    assert counts == {track: 2**31 - 1, other: 2}
    tracks = (await start_session(client, headers))["data"]["recommendations"]
    assert len(tracks) == 50 and all(math.isfinite(t["score"]) for t in tracks)


# ------------------------------------------------------------------ feedback


async def test_feedback_is_applied_once_per_event_id(client: Any, pg: asyncpg.Connection) -> None:
    user_id, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    track = data["recommendations"][0]["track_id"]
    event = {"event_id": "evt-1", "track_id": track, "signal": "like",
             "session_id": data["session_id"]}
    first = await client.post("/api/v1/feedback", json=event, headers=headers)
    assert first.status == 201
    body = await first.json()
    assert body["applied"] is True
    assert body["q_values"][f"track:{track}"] == 0.1  # 0 + 0.1·(1.0 + 0.9·0 − 0)
    again = await client.post("/api/v1/feedback", json=event, headers=headers)
    assert again.status == 200
    assert (await again.json())["applied"] is False
    rows = await pg.fetch("SELECT action, q, visits FROM q_values WHERE user_id = $1",
                          uuid.UUID(user_id))
    assert {r["visits"] for r in rows} == {1}
    assert await pg.fetchval("SELECT count(*) FROM feedback_events WHERE user_id = $1",
                             uuid.UUID(user_id)) == 1
    reused = await client.post("/api/v1/feedback", headers=headers,
                               json={**event, "signal": "dislike"})
    assert reused.status == 409
    bad = await client.post("/api/v1/feedback", headers=headers,
                            json={**event, "event_id": "evt-2", "signal": "adore"})
    assert bad.status == 400
    assert "signal" in (await bad.json())["error"]["message"]


async def test_feedback_learns_in_the_state_of_the_list_on_screen(
        client: Any, pg: asyncpg.Connection) -> None:
    """A list made for a mood puts the session in that mood's state; feedback given in the
    session updates Q values of that state, not the default one."""
    user_id, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    said = await client.post("/api/v1/chat/message", headers=headers, json={
        "session_id": data["session_id"], "message": "something calm and sad for a rainy night"})
    assert said.status == 200
    state = await pg.fetchval("SELECT state FROM chat_sessions WHERE id = $1",
                              uuid.UUID(data["session_id"]))
    assert state != "default"
    shown = await pg.fetchval("SELECT shown FROM chat_sessions WHERE id = $1",
                              uuid.UUID(data["session_id"]))
    track = shown[0]["track_id"]
    given = await client.post("/api/v1/feedback", headers=headers, json={
        "event_id": "mood-1", "track_id": track, "signal": "like",
        "session_id": data["session_id"]})
    assert given.status == 201
    states = {r["state"] for r in await pg.fetch(
        "SELECT DISTINCT state FROM q_values WHERE user_id = $1", uuid.UUID(user_id))}
    assert states == {state}


async def test_concurrent_feedback_loses_no_update(client: Any, pg: asyncpg.Connection) -> None:
    user_id, headers = await new_user(client)
    track = (await start_session(client, headers))["data"]["recommendations"][0]["track_id"]

    async def like(i: int) -> int:
        response = await client.post("/api/v1/feedback", headers=headers, json={
            "event_id": f"burst-{i}", "track_id": track, "signal": "like"})
        return response.status

    statuses = await asyncio.gather(*(like(i) for i in range(20)))
    assert statuses == [201] * 20
    visits = await pg.fetchval(
        "SELECT visits FROM q_values WHERE user_id = $1 AND action = $2",
        uuid.UUID(user_id), f"track:{track}")
    assert visits == 20
    # replaying the Q update by hand gives the stored value: no update was lost
    q = 0.0
    for _ in range(20):
        q = q + 0.1 * (1.0 + 0.9 * q - q)  # the track's own Q is the state's max here
    stored = await pg.fetchval(
        "SELECT q FROM q_values WHERE user_id = $1 AND action = $2",
        uuid.UUID(user_id), f"track:{track}")
    assert abs(stored - q) < 1e-9


async def test_feedback_invalidates_the_cached_list(client: Any) -> None:
    _, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    assert (await start_session(client, headers))["data"]["metadata"]["cache_status"] == "hit"
    await client.post("/api/v1/feedback", headers=headers, json={
        "event_id": "x", "track_id": data["recommendations"][3]["track_id"], "signal": "skip"})
    after = (await start_session(client, headers))["data"]
    assert after["metadata"]["cache_status"] == "miss"


async def test_learning_moves_the_next_list_toward_the_liked_cluster(
    client: Any, pg: asyncpg.Connection
) -> None:
    user_id, headers = await new_user(client)
    await set_created_at(pg, uuid.UUID(user_id), datetime.now(UTC) - timedelta(days=40))
    data = (await start_session(client, headers))["data"]
    before = data["recommendations"]
    clusters = Counter(t["cluster"] for t in before)
    liked_cluster, disliked_cluster = (c for c, _ in clusters.most_common(2))
    liked = [t for t in before if t["cluster"] == liked_cluster][:3]
    disliked = [t for t in before if t["cluster"] == disliked_cluster][:3]
    for i, track in enumerate(liked):
        await client.post("/api/v1/feedback", headers=headers, json={
            "event_id": f"l{i}", "track_id": track["track_id"], "signal": "like",
            "session_id": data["session_id"]})
    for i, track in enumerate(disliked):
        await client.post("/api/v1/feedback", headers=headers, json={
            "event_id": f"d{i}", "track_id": track["track_id"], "signal": "dislike",
            "session_id": data["session_id"]})
    after = (await start_session(client, headers))["data"]["recommendations"]
    count_before = Counter(t["cluster"] for t in before)
    count_after = Counter(t["cluster"] for t in after)
    share = count_after[liked_cluster] - count_before[liked_cluster]
    assert share > 0 or count_after[disliked_cluster] < count_before[disliked_cluster]
    assert count_after[disliked_cluster] <= count_before[disliked_cluster]
    for track in after:
        rl = track["breakdown"]["rl_adjustment"]
        if track["cluster"] == liked_cluster:
            assert rl > 0
        elif track["cluster"] == disliked_cluster:
            assert rl < 0
    assert any(t["cluster"] == liked_cluster for t in after)
    disliked_ids = {t["track_id"] for t in disliked}
    assert not disliked_ids & {t["track_id"] for t in after}


# ------------------------------------------------------------------ edge


async def test_bad_input_names_the_field_and_oversize_is_413(client: Any) -> None:
    _, headers = await new_user(client)
    not_json = await client.post("/api/v1/feedback", data="{oops", headers=headers)
    assert not_json.status == 400
    missing = await client.post("/api/v1/feedback", json={"track_id": "x", "signal": "like"},
                                headers=headers)
    assert missing.status == 400
    assert (await missing.json())["error"]["field"] == "event_id"
    huge = await client.post("/api/v1/history", data=io.BytesIO(b"x" * (2 * 1024 * 1024)),
                             headers={**headers, "Content-Type": "application/json"})
    assert huge.status == 413
    assert (await huge.json())["error"]["code"] == "payload_too_large"


async def test_openapi_describes_every_route(client: Any) -> None:
    from bot.web.routes import ROUTES

    response = await client.get("/api/v1/openapi.json")
    assert response.status == 200
    document = await response.json()
    for route in ROUTES:
        operation = document["paths"][route.path][route.method.lower()]
        assert operation["summary"]
        assert str(route.status) in operation["responses"]
        if route.request is not None:
            assert "requestBody" in operation
    feedback = document["paths"]["/api/v1/feedback"]["post"]
    ref = feedback["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(schema["required"]) == {"event_id", "track_id", "signal"}


async def test_a_dislike_removes_a_track_from_later_lists_but_a_skip_does_not(
    client: Any, pg: asyncpg.Connection
) -> None:
    from store.feedback import rated_tracks

    user_id, headers = await new_user(client)
    tracks = (await start_session(client, headers))["data"]["recommendations"]
    skipped, disliked, liked = (t["track_id"] for t in tracks[:3])
    for i, (track, signal) in enumerate([(skipped, "skip"), (disliked, "dislike"),
                                         (liked, "like")]):
        response = await client.post("/api/v1/feedback", headers=headers, json={
            "event_id": f"r{i}", "track_id": track, "signal": signal})
        assert response.status == 201
    liked_ids, rejected_ids = await rated_tracks(pg, uuid.UUID(user_id))
    assert liked_ids == [liked]
    assert rejected_ids == [disliked]
    after = {t["track_id"] for t in (await start_session(client, headers))["data"][
        "recommendations"]}
    assert disliked not in after
