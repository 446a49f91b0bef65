"""Sliding-window rate limits in Redis, shared by every worker process and host.

One request costs one Redis round trip: a Lua script takes a place in the moving window
(when there is one) and reports the window's count and oldest entry in the same call. The
window is the list ``limits``' moving-window strategy keeps (newest first, client
timestamps, trimmed to the limit, the same key), so this script and ``limits`` count the
same requests.

While Redis is unavailable each worker counts on its own (the same moving window, in
memory, through ``limits``), so limits still hold per process and no request fails for
Redis' sake.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import Redis

from store.redis_link import REDIS_FAILURES, RedisLink

# KEYS[1]: the window (a list of hit times, newest first). ARGV: now, limit, window seconds.
# Returns {1 when this hit was taken else 0, hits in the window, the oldest one's time}.
HIT_AND_COUNT = """
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local expiry = tonumber(ARGV[3])
local start = now - expiry
local allowed = 0
local last = redis.call('lindex', KEYS[1], limit - 1)
if not (last and tonumber(last) >= start) then
    redis.call('lpush', KEYS[1], ARGV[1])
    redis.call('ltrim', KEYS[1], 0, limit - 1)
    redis.call('expire', KEYS[1], expiry)
    allowed = 1
end
local low, high, found = 0, redis.call('llen', KEYS[1]) - 1, -1
while low <= high do
    local mid = math.floor((low + high) / 2)
    if tonumber(redis.call('lindex', KEYS[1], mid)) >= start then
        found = mid
        low = mid + 1
    else
        high = mid - 1
    end
end
if found < 0 then
    return {allowed, 0, ARGV[1]}
end
return {allowed, found + 1, redis.call('lindex', KEYS[1], found)}
"""


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after_s: int  # 0 when allowed
    shared: bool = True  # False: counted by this process alone (Redis unavailable)


class RateLimiter:
    """``per_minute`` hits per identifier in any 60-second window, atomically in Redis."""

    def __init__(self, redis_url: str, key_prefix: str, per_minute: int,
                 link: RedisLink | None = None) -> None:
        self._redis = Redis.from_url(redis_url) if link is None else link.client
        self._script = self._redis.register_script(HIT_AND_COUNT)
        self._key_prefix = key_prefix + "limits:"  # what ``limits``' RedisStorage used
        self._link = link
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._item = RateLimitItemPerMinute(per_minute)

    def window_key(self, scope: str, identifier: str) -> str:
        return self._key_prefix + self._item.key_for(scope, identifier)

    async def hit(self, scope: str, identifier: str) -> Verdict:
        if self._link is None:
            return await self._shared_hit(scope, identifier)
        if self._link.usable:
            try:
                verdict = await self._shared_hit(scope, identifier)
            except REDIS_FAILURES as exc:
                self._link.failed(exc)
            else:
                self._link.succeeded()
                return verdict
        return await self._local_hit(scope, identifier)

    async def _shared_hit(self, scope: str, identifier: str) -> Verdict:
        now = time.time()
        expiry = self._item.get_expiry()
        allowed, count, oldest = await self._script(
            keys=[self.window_key(scope, identifier)],
            args=[repr(now), self._item.amount, expiry])
        return self._verdict(bool(allowed), int(count), float(oldest) + expiry, now,
                             shared=True)

    async def _local_hit(self, scope: str, identifier: str) -> Verdict:
        allowed = await self._local.hit(self._item, scope, identifier)
        stats = await self._local.get_window_stats(self._item, scope, identifier)
        return self._verdict(allowed, self._item.amount - stats.remaining, stats.reset_time,
                             time.time(), shared=False)

    def _verdict(self, allowed: bool, count: int, reset_at: float, now: float, *,
                 shared: bool) -> Verdict:
        retry = 0 if allowed else max(1, int(reset_at - now + 0.999))
        limit = self._item.amount
        return Verdict(allowed, limit, max(0, limit - count), retry, shared)

    async def close(self) -> None:
        """Close the connections this limiter opened itself (none when given a link)."""
        if self._link is None:
            await self._redis.aclose()
