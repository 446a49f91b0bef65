"""The per-user limit is one sliding window in Redis, shared by every app instance."""

from __future__ import annotations

from typing import Any

from services.config import Settings
from tests.conftest import Backends
from tests.helpers import new_user


async def test_two_app_instances_share_one_limit(
    aiohttp_client: Any, settings: Settings, backends: Backends, prepared_database: str
) -> None:
    from bot.web.app import init_app

    limited = settings.model_copy(update={
        "rate_limits": settings.rate_limits.model_copy(update={"user_per_minute": 5})})
    first = await aiohttp_client(init_app(limited, database_url=prepared_database,
                                          redis_url=backends.redis_url))
    second = await aiohttp_client(init_app(limited, database_url=prepared_database,
                                           redis_url=backends.redis_url))
    _, headers = await new_user(first)
    remaining = []
    for client in (first, second, first, second, first):
        response = await client.get("/api/v1/me", headers=headers)
        assert response.status == 200
        assert response.headers["X-RateLimit-Limit"] == "5"
        remaining.append(int(response.headers["X-RateLimit-Remaining"]))
    assert remaining == [4, 3, 2, 1, 0]
    refused = await second.get("/api/v1/me", headers=headers)
    assert refused.status == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert (await refused.json())["error"]["code"] == "rate_limited"
    # session start is limited before it does anything
    start = await first.post("/api/v1/chat/session/initialize", json={}, headers=headers)
    assert start.status == 429
    # another user is not affected
    _, other = await new_user(second)
    assert (await first.get("/api/v1/me", headers=other)).status == 200
