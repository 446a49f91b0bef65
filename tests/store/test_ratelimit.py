"""The moving-window limit over real Redis: one round trip a hit, shared, and the same window
``limits`` keeps (so both count the same requests)."""

from __future__ import annotations

import re
import secrets
from typing import Any

from limits import RateLimitItemPerMinute
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from store.ratelimit import HIT_AND_COUNT, RateLimiter
from store.redis_link import RedisLink
from tests.conftest import Backends


async def test_one_round_trip_a_hit_shared_by_two_limiters(backends: Backends) -> None:
    prefix = backends.key_prefix + secrets.token_hex(3) + ":"
    first_link, second_link = RedisLink(backends.redis_url), RedisLink(backends.redis_url)
    first = RateLimiter(backends.redis_url, prefix, 3, link=first_link)
    second = RateLimiter(backends.redis_url, prefix, 3, link=second_link)
    # the steady state: the server already holds the script (a fresh one, as the embedded
    # Redis is at the start of a run, first answers NOSCRIPT and gets a SCRIPT LOAD)
    await first_link.client.script_load(HIT_AND_COUNT)
    commands: list[Any] = []
    real = first_link.client.execute_command

    async def counting(*args: Any, **options: Any) -> Any:
        commands.append(args[0])
        return await real(*args, **options)

    first_link.client.execute_command = counting  # type: ignore[method-assign]
    try:
        verdicts = [await limiter.hit("user", "ann") for limiter in (first, second, first)]
        assert [(v.allowed, v.remaining, v.retry_after_s, v.shared) for v in verdicts] == [
            (True, 2, 0, True), (True, 1, 0, True), (True, 0, 0, True)]
        refused = await second.hit("user", "ann")
        assert not refused.allowed and refused.remaining == 0
        assert 58 <= refused.retry_after_s <= 60
        assert (await first.hit("user", "bob")).remaining == 2  # another identifier
        assert commands == ["EVALSHA", "EVALSHA", "EVALSHA"]  # one call a hit, no stats call
    finally:
        async for key in first_link.client.scan_iter(match=prefix + "*"):
            await first_link.client.delete(key)
        await first_link.close()
        await second_link.close()


async def test_the_window_is_the_one_limits_keeps(backends: Backends) -> None:
    """Hits taken by ``limits``' own moving window count here, and the other way round."""
    prefix = backends.key_prefix + secrets.token_hex(3) + ":"
    link = RedisLink(backends.redis_url)
    limiter = RateLimiter(backends.redis_url, prefix, 4, link=link)
    # limits names a Unix socket "redis+unix" (the embedded Redis is one: "unix://…")
    uri = re.sub(r"^unix://", "redis+unix://", backends.redis_url)
    storage = RedisStorage("async+" + uri, implementation="redispy",
                           key_prefix=prefix + "limits",
                           connection_pool=link.pool)  # type: ignore[arg-type]
    theirs = MovingWindowRateLimiter(storage)
    item = RateLimitItemPerMinute(4)
    try:
        assert await theirs.hit(item, "user", "ann")
        assert await theirs.hit(item, "user", "ann")
        assert (await limiter.hit("user", "ann")).remaining == 1
        assert (await theirs.get_window_stats(item, "user", "ann")).remaining == 1
        assert (await limiter.hit("user", "ann")).remaining == 0
        assert not await theirs.hit(item, "user", "ann")
        assert not (await limiter.hit("user", "ann")).allowed
    finally:
        async for key in link.client.scan_iter(match=prefix + "*"):
            await link.client.delete(key)
        await link.close()


async def test_without_redis_each_process_counts_alone(backends: Backends) -> None:
    link = RedisLink("redis://127.0.0.1:1/0", socket_timeout_s=0.2)  # nothing listens there
    limiter = RateLimiter("redis://127.0.0.1:1/0", "x:", 2, link=link)
    try:
        verdicts = [await limiter.hit("user", "ann") for _ in range(3)]
        assert [(v.allowed, v.remaining, v.shared) for v in verdicts] == [
            (True, 1, False), (True, 0, False), (False, 0, False)]
        assert 1 <= verdicts[-1].retry_after_s <= 60
    finally:
        await link.close()
