"""Sliding-window rate limits in Redis, shared by every worker process (``limits``).

While Redis is unavailable each worker counts on its own (the same moving window, in
memory), so limits still hold per process and no request fails for Redis' sake.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from store.redis_link import REDIS_FAILURES, RedisLink


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after_s: int  # 0 when allowed
    shared: bool = True  # False: counted by this process alone (Redis unavailable)


def _limits_uri(redis_url: str) -> str:
    if redis_url.startswith("unix://"):
        return "async+redis+unix://" + redis_url[len("unix://"):]
    return "async+" + redis_url


class RateLimiter:
    """``per_minute`` hits per identifier in any 60-second window, atomically in Redis."""

    def __init__(self, redis_url: str, key_prefix: str, per_minute: int,
                 link: RedisLink | None = None) -> None:
        options = {} if link is None else {"connection_pool": link.pool}
        self._storage = RedisStorage(
            _limits_uri(redis_url), implementation="redispy", key_prefix=key_prefix + "limits",
            **options,  # type: ignore[arg-type]
        )
        self._link = link
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._item = RateLimitItemPerMinute(per_minute)

    async def hit(self, scope: str, identifier: str) -> Verdict:
        if self._link is None:
            return await self._hit(self._limiter, scope, identifier, shared=True)
        if self._link.usable:
            try:
                verdict = await self._hit(self._limiter, scope, identifier, shared=True)
            except REDIS_FAILURES as exc:
                self._link.failed(exc)
            else:
                self._link.succeeded()
                return verdict
        return await self._hit(self._local, scope, identifier, shared=False)

    async def _hit(self, limiter: MovingWindowRateLimiter, scope: str, identifier: str, *,
                   shared: bool) -> Verdict:
        allowed = await limiter.hit(self._item, scope, identifier)
        stats = await limiter.get_window_stats(self._item, scope, identifier)
        retry = 0 if allowed else max(1, int(stats.reset_time - time.time() + 0.999))
        return Verdict(allowed, self._item.amount, max(0, stats.remaining), retry, shared)
