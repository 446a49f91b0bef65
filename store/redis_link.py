"""One Redis connection pool per worker, and whether Redis is usable right now.

Redis holds only what can be rebuilt (caches, rate-limit windows), so the service keeps
answering without it. ``RedisLink`` owns:

- a ``BlockingConnectionPool``: a burst waits (at most ``pool_timeout_s``) for a free
  connection instead of failing at the pool's size;
- pooled connections that are PINGed before use after ``health_check_interval_s`` idle and
  a command retried once on a dropped connection, so a restarted Redis costs no error;
- a breaker: after a failure Redis is skipped for ``retry_down_after_s`` (under a second),
  then tried again, so an outage costs each request a look-up, not a timeout.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.asyncio import BlockingConnectionPool, Redis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

log = logging.getLogger(__name__)

T = TypeVar("T")

# what a Redis call raises when Redis is down, restarting, slow or out of connections
REDIS_FAILURES: tuple[type[BaseException], ...] = (RedisError, OSError, asyncio.TimeoutError)


class RedisLink:
    def __init__(self, url: str, *, max_connections: int = 64, pool_timeout_s: float = 2.0,
                 socket_timeout_s: float = 1.0, health_check_interval_s: float = 1.0,
                 retry_down_after_s: float = 0.5) -> None:
        self.pool = BlockingConnectionPool.from_url(
            url,
            max_connections=max_connections,
            timeout=pool_timeout_s,
            socket_timeout=socket_timeout_s,
            socket_connect_timeout=socket_timeout_s,
            health_check_interval=health_check_interval_s,
            retry=Retry(NoBackoff(), 1),
            retry_on_error=[RedisConnectionError, RedisTimeoutError, ConnectionResetError],
        )
        self.client = Redis(connection_pool=self.pool)
        self._cooldown = retry_down_after_s
        self._down_until = 0.0
        self._down_since: float | None = None

    @property
    def usable(self) -> bool:
        """False for a short while after a failure: callers then skip Redis."""
        return time.monotonic() >= self._down_until

    @property
    def state(self) -> str:
        return "up" if self._down_since is None else "down"

    def failed(self, exc: BaseException) -> None:
        self._down_until = time.monotonic() + self._cooldown
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.warning("Redis unavailable (%s); serving without it", type(exc).__name__)

    def succeeded(self) -> None:
        if self._down_since is not None:
            log.warning("Redis is back after %.1f s", time.monotonic() - self._down_since)
            self._down_since = None

    async def attempt(self, call: Callable[[], Awaitable[T]], fallback: T) -> T:
        """``call()``, or ``fallback`` when Redis is skipped or the call fails."""
        if not self.usable:
            return fallback
        try:
            result = await call()
        except REDIS_FAILURES as exc:
            self.failed(exc)
            return fallback
        self.succeeded()
        return result

    async def ping(self) -> bool:
        """A live check (ignores the breaker): whether Redis answers now."""
        try:
            await self.client.ping()
        except REDIS_FAILURES as exc:
            self.failed(exc)
            return False
        self.succeeded()
        self._down_until = 0.0
        return True

    async def close(self) -> None:
        await self.client.aclose()
        await self.pool.disconnect()
