"""Evidence moves a new account on: imported history is used in the very next list."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.helpers import new_user, start_session


async def test_imported_history_is_used_in_the_very_next_list(
    client: Any, pg: asyncpg.Connection
) -> None:
    _, headers = await new_user(client)
    first = (await start_session(client, headers))["data"]
    assert first["cold_start_info"]["stage"] == "week1"
    assert "account age" in first["cold_start_info"]["reason"]
    assert first["metadata"]["weights"]["history"] == 0.0

    # ten tracks of one artist, as an imported playlist would bring
    artist = await pg.fetchval(
        "SELECT artists FROM tracks GROUP BY artists HAVING count(*) >= 14 ORDER BY artists "
        "LIMIT 1")
    ids = [r["id"] for r in await pg.fetch(
        "SELECT id FROM tracks WHERE artists = $1 ORDER BY id LIMIT 10", artist)]
    imported = await client.post("/api/v1/history", headers=headers,
                                 json={"tracks": [{"track_id": t} for t in ids]})
    assert (await imported.json())["imported"] == 10

    # the cached week-1 list is gone: the next one is made with the history, and says why
    second = (await start_session(client, headers))["data"]
    info = second["cold_start_info"]
    assert second["metadata"]["cache_status"] == "miss"
    assert info["stage"] == "weeks2_4"
    assert info["reason"].startswith("evidence: 10 history tracks")
    assert info["reason"] in info["description"]
    assert second["metadata"]["weights"]["history"] > 0
    tracks = second["recommendations"]
    assert tracks[0]["breakdown"]["stage_reason"] == info["reason"]
    assert not set(ids) & {t["track_id"] for t in tracks}
    # the history is used: the artist's other tracks come first
    assert sum(t["artists"] == artist for t in tracks[:10]) >= 2


async def test_explanations_name_the_rule_that_chose_the_stage(
    client: Any, pg: asyncpg.Connection
) -> None:
    from recommender.explain import explain_track

    _, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    text = explain_track(data["recommendations"][0])
    assert "chosen by account age" in text


async def test_twenty_feedback_events_reach_month_two_and_an_undo_takes_one_back(
    client: Any, pg: asyncpg.Connection
) -> None:
    _, headers = await new_user(client)
    ids = [r["id"] for r in await pg.fetch("SELECT id FROM tracks ORDER BY id LIMIT 20")]
    for n, track in enumerate(ids):
        sent = await client.post("/api/v1/feedback", headers=headers, json={
            "event_id": f"ev-{n}", "track_id": track, "signal": "played_through"})
        assert sent.status in (200, 201), await sent.text()
    data = (await start_session(client, headers))["data"]
    assert data["cold_start_info"]["stage"] == "month2_plus"
    assert data["cold_start_info"]["reason"].startswith("evidence: 20 feedback events")
    undone = await client.post("/api/v1/feedback/ev-0/undo", headers=headers)
    assert undone.status == 201, await undone.text()
    data = (await start_session(client, headers))["data"]
    assert data["cold_start_info"]["feedback_events"] == 19
    assert data["cold_start_info"]["stage"] == "week1"
