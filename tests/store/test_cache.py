"""The JSON cache over real Redis: TTLs, hit/miss counts, invalidation by owner."""

from __future__ import annotations

import secrets

from redis.asyncio import Redis

from store.cache import RECOMMENDATIONS, USER_DATA, JsonCache
from tests.conftest import Backends


async def test_cache_counts_and_invalidates_only_the_owners_keys(backends: Backends) -> None:
    redis = Redis.from_url(backends.redis_url)
    prefix = backends.key_prefix + secrets.token_hex(3) + ":"
    cache = JsonCache(redis, prefix, {RECOMMENDATIONS: 86400, USER_DATA: 1800})
    try:
        assert await cache.get(RECOMMENDATIONS, "ann") is None
        await cache.set(RECOMMENDATIONS, "ann", {"tracks": [1, 2]}, owner="ann")
        await cache.set(RECOMMENDATIONS, "bob", {"tracks": [3]}, owner="bob")
        await cache.set(USER_DATA, "token-of-ann", {"id": "ann"})
        assert await cache.get(RECOMMENDATIONS, "ann") == {"tracks": [1, 2]}
        ttl = await redis.ttl(cache.key(RECOMMENDATIONS, "ann"))
        assert 86000 < ttl <= 86400
        assert 1700 < await redis.ttl(cache.key(USER_DATA, "token-of-ann")) <= 1800
        assert await redis.get(cache.key(RECOMMENDATIONS, "ann")) == b'{"tracks":[1,2]}'

        assert await cache.invalidate_user("ann") == 1
        assert await cache.get(RECOMMENDATIONS, "ann") is None
        assert await cache.get(RECOMMENDATIONS, "bob") == {"tracks": [3]}
        assert await cache.invalidate_user("ann") == 0

        stats = await cache.stats()
        assert stats[RECOMMENDATIONS] == {"hits": 2, "misses": 2, "hit_rate": 0.5}
    finally:
        async for key in redis.scan_iter(match=prefix + "*"):
            await redis.delete(key)
        await redis.aclose()
