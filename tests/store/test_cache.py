"""The JSON cache over real Redis: TTLs, hit/miss counts, invalidation by owner."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from redis.asyncio import Redis

from store.cache import RECOMMENDATIONS, USER_DATA, JsonCache
from store.redis_link import RedisLink
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


async def test_a_look_up_is_one_get_and_counts_reach_the_hash_in_batches(
        backends: Backends) -> None:
    redis = Redis.from_url(backends.redis_url)
    prefix = backends.key_prefix + secrets.token_hex(3) + ":"
    cache = JsonCache(redis, prefix, {RECOMMENDATIONS: 86400})
    other_worker = JsonCache(redis, prefix, {RECOMMENDATIONS: 86400})
    commands: list[str] = []
    real = redis.execute_command

    async def counting(*args: Any, **options: Any) -> Any:
        commands.append(str(args[0]))
        return await real(*args, **options)

    try:
        await cache.set(RECOMMENDATIONS, "ann", {"tracks": [1]})
        redis.execute_command = counting  # type: ignore[method-assign]
        assert await cache.get(RECOMMENDATIONS, "ann") == {"tracks": [1]}
        assert await cache.get(RECOMMENDATIONS, "bob") is None
        assert await other_worker.get(RECOMMENDATIONS, "ann") == {"tracks": [1]}
        assert commands == ["GET", "GET", "GET"]
        assert await redis.hgetall(prefix + "cache_stats") == {}  # nothing flushed yet
        # a worker's stats include its own pending counts, the others' as last flushed
        assert (await cache.stats())[RECOMMENDATIONS] == {
            "hits": 1, "misses": 1, "hit_rate": 0.5}
        flusher = asyncio.create_task(other_worker.run_flusher(0.01))  # what a worker runs
        for _ in range(500):
            if not other_worker._pending:
                break
            await asyncio.sleep(0.01)
        flusher.cancel()
        assert (await cache.stats())[RECOMMENDATIONS] == {
            "hits": 2, "misses": 1, "hit_rate": 0.6667}
    finally:
        redis.execute_command = real  # type: ignore[method-assign]
        async for key in redis.scan_iter(match=prefix + "*"):
            await redis.delete(key)
        await redis.aclose()


async def test_counts_wait_while_redis_is_down(backends: Backends) -> None:
    redis = Redis.from_url(backends.redis_url)
    prefix = backends.key_prefix + secrets.token_hex(3) + ":"
    down = RedisLink("redis://127.0.0.1:1/0")
    cache = JsonCache(redis, prefix, {RECOMMENDATIONS: 86400}, link=down)
    try:
        cache._pending.update({"rec:lookup": 2, "rec:miss": 1})  # counted before it failed
        down.failed(ConnectionError("down"))
        assert not await cache.flush()
        assert await cache.stats() == {}
        assert cache._pending == {"rec:lookup": 2, "rec:miss": 1}
        down._down_until = 0.0  # Redis answers again (this cache's own client)
        assert await cache.flush()
        assert (await cache.stats())[RECOMMENDATIONS]["misses"] == 1
    finally:
        async for key in redis.scan_iter(match=prefix + "*"):
            await redis.delete(key)
        await redis.aclose()
        await down.close()


async def test_an_entry_that_is_not_json_or_not_valid_is_a_miss_and_is_deleted(
        backends: Backends) -> None:
    redis = Redis.from_url(backends.redis_url)
    prefix = backends.key_prefix + secrets.token_hex(3) + ":"
    cache = JsonCache(redis, prefix, {RECOMMENDATIONS: 86400})
    key = cache.key(RECOMMENDATIONS, "ann")
    try:
        await redis.set(key, b"{not json")
        assert await cache.lookup(RECOMMENDATIONS, "ann") == (None, True)
        assert not await redis.exists(key)
        await cache.set(RECOMMENDATIONS, "ann", {"tracks": 5})
        assert await cache.get(RECOMMENDATIONS, "ann", valid=lambda v: isinstance(
            v["tracks"], list)) is None
        assert not await redis.exists(key)
        await cache.set(RECOMMENDATIONS, "ann", {"tracks": [5]})
        assert await cache.get(RECOMMENDATIONS, "ann", valid=lambda v: isinstance(
            v["tracks"], list)) == {"tracks": [5]}
        stats = await cache.stats()
        assert stats[RECOMMENDATIONS] == {"hits": 1, "misses": 2, "hit_rate": 0.3333}
    finally:
        async for found in redis.scan_iter(match=prefix + "*"):
            await redis.delete(found)
        await redis.aclose()
