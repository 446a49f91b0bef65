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
