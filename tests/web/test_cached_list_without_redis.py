"""While Redis cannot be reached, a session start serves the user's cached list from its
copy in Postgres (``recommendations_cache``) instead of making the list again; a change that
drops the cached list drops that copy too."""

from __future__ import annotations

from typing import Any

import pytest

from bot.web.app import init_app
from services.config import Settings
from tests.helpers import new_user, start_session

NOBODY_LISTENS = "redis://127.0.0.1:1/0"  # port 1: refused at once


@pytest.fixture
async def cut_off(aiohttp_client: Any, settings: Settings, prepared_database: str) -> Any:
    """The real app against the session's Postgres and a Redis that is not there."""
    app = init_app(settings, database_url=prepared_database, redis_url=NOBODY_LISTENS)
    return await aiohttp_client(app)


def _ids(body: dict[str, Any]) -> list[str]:
    return [t["track_id"] for t in body["data"]["recommendations"]]


async def test_a_session_start_serves_the_list_kept_in_postgres(cut_off: Any, pg: Any) -> None:
    user_id, headers = await new_user(cut_off, "no-redis")
    traits = {"openness": 4.5, "conscientiousness": 2, "extraversion": 4,
              "agreeableness": 3, "neuroticism": 2}
    put = await cut_off.put("/api/v1/personality", json={"traits": traits}, headers=headers)
    assert put.status == 200, await put.text()

    first = await start_session(cut_off, headers)
    assert first["data"]["metadata"]["cache_status"] == "miss"
    stored = await pg.fetchval(
        "SELECT json_array_length(tracks) FROM recommendations_cache WHERE user_id = $1::uuid",
        user_id)
    assert stored == 50

    again = await start_session(cut_off, headers)
    assert again["data"]["metadata"]["cache_status"] == "hit"
    assert _ids(again) == _ids(first)
    assert again["data"]["personality_profile"] == first["data"]["personality_profile"]
    assert again["data"]["personality_profile"]["traits"]["openness"] == pytest.approx(4.5)
    assert again["data"]["cold_start_info"]["stage"] == first["data"]["cold_start_info"]["stage"]

    # new evidence drops both copies: the next start makes its list again
    put = await cut_off.put("/api/v1/personality", json={"traits": {**traits, "openness": 1}},
                            headers=headers)
    assert put.status == 200, await put.text()
    assert await pg.fetchval("SELECT count(*) FROM recommendations_cache WHERE user_id = "
                             "$1::uuid", user_id) == 0
    remade = await start_session(cut_off, headers)
    assert remade["data"]["metadata"]["cache_status"] == "miss"
    assert remade["data"]["personality_profile"]["traits"]["openness"] == pytest.approx(1)


async def test_an_expired_copy_is_not_served(cut_off: Any, pg: Any) -> None:
    user_id, headers = await new_user(cut_off, "no-redis-expired")
    await start_session(cut_off, headers)
    await pg.execute("UPDATE recommendations_cache SET expires_at = now() - interval '1 s' "
                     "WHERE user_id = $1::uuid", user_id)
    again = await start_session(cut_off, headers)
    assert again["data"]["metadata"]["cache_status"] == "miss"
