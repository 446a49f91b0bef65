"""Sliding-window rate limits in Redis, shared by every worker process (``limits``)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after_s: int  # 0 when allowed


def _limits_uri(redis_url: str) -> str:
    if redis_url.startswith("unix://"):
        return "async+redis+unix://" + redis_url[len("unix://"):]
    return "async+" + redis_url


class RateLimiter:
    """``per_minute`` hits per identifier in any 60-second window, atomically in Redis."""

    def __init__(self, redis_url: str, key_prefix: str, per_minute: int) -> None:
        self._storage = RedisStorage(
            _limits_uri(redis_url), implementation="redispy", key_prefix=key_prefix + "limits"
        )
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._item = RateLimitItemPerMinute(per_minute)

    async def hit(self, scope: str, identifier: str) -> Verdict:
        allowed = await self._limiter.hit(self._item, scope, identifier)
        stats = await self._limiter.get_window_stats(self._item, scope, identifier)
        retry = 0 if allowed else max(1, int(stats.reset_time - time.time() + 0.999))
        return Verdict(allowed, self._item.amount, max(0, stats.remaining), retry)
