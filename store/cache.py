"""A thin JSON cache over redis-py with the SPEC's TTLs and hit/miss counters.

Keys are ``<prefix><kind>:<id>``; counters live in one hash ``<prefix>cache_stats``
(look-ups and misses per kind; hits are the difference). A look-up is one GET: each worker
adds up its counts in memory and writes them to the hash at most every
``flush_interval_s`` (``run_flusher``), before answering ``stats`` and when it closes, so
the shared figures trail each worker by about a second.
Values are JSON (orjson), never pickle. A value stored with an ``owner`` (a user) is also
listed in the owner's key set, so ``invalidate_user`` walks only that set (SSCAN) instead of
the whole keyspace, and never uses KEYS.

With a ``RedisLink`` the cache never raises for Redis' sake: a failed read is a miss, a
failed write is skipped, and a failed delete is remembered (``_stale``) and retried before
the next read, which meanwhile treats that key as a miss. So a write committed to Postgres
is never reported as failed because its cache entry could not be dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import orjson
from redis.asyncio import Redis

from store.redis_link import RedisLink

log = logging.getLogger(__name__)
T = TypeVar("T")
_MAX_STALE = 10_000  # deletes remembered while Redis is down, per worker

RECOMMENDATIONS = "rec"
USER_DATA = "user"
AUDIO_FEATURES = "features"
SPOTIFY = "spotify"


_UNREADABLE = object()


def _decoded(raw: bytes | str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return _UNREADABLE


class JsonCache:
    def __init__(self, redis: Redis, prefix: str, ttls: dict[str, int],
                 link: RedisLink | None = None) -> None:
        self._redis = redis
        self._prefix = prefix
        self._ttls = ttls
        self._stats_key = f"{prefix}cache_stats"
        self._link = link
        self._stale_keys: set[str] = set()  # deletes that failed: retried, read as misses
        self._stale_owners: set[str] = set()
        self._pending: Counter[str] = Counter()  # counts not yet added to the shared hash

    def key(self, kind: str, ident: str) -> str:
        return f"{self._prefix}{kind}:{ident}"

    async def _guarded(self, call: Callable[[], Awaitable[T]], fallback: T) -> T:
        if self._link is None:
            return await call()
        return await self._link.attempt(call, fallback)

    async def _clean(self) -> bool:
        """Retry the deletes that failed; True when none is left."""
        if not (self._stale_keys or self._stale_owners):
            return True

        async def retry() -> bool:
            for owner in list(self._stale_owners):
                await self._invalidate(owner)
                self._stale_owners.discard(owner)
            if self._stale_keys:
                await self._redis.delete(*self._stale_keys)
                self._stale_keys.clear()
            return True

        return await self._guarded(retry, False)

    def _remember(self, keys: set[str], item: str) -> None:
        if len(keys) < _MAX_STALE:
            keys.add(item)
        else:  # too many to track: stop trusting any cached value until Redis is back
            log.warning("too many cache deletes pending; the cache is bypassed")

    def _trusted(self, key: str, owner: str | None) -> bool:
        if len(self._stale_keys) >= _MAX_STALE or len(self._stale_owners) >= _MAX_STALE:
            return False
        return key not in self._stale_keys and (owner is None or owner not in self._stale_owners)

    async def get(self, kind: str, ident: str, *, owner: str | None = None,
                  valid: Callable[[Any], bool] | None = None) -> Any | None:
        """The cached value, or None (a miss, or Redis unavailable)."""
        value, _ = await self.lookup(kind, ident, owner=owner, valid=valid)
        return value

    async def lookup(self, kind: str, ident: str, *, owner: str | None = None,
                     valid: Callable[[Any], bool] | None = None) -> tuple[Any | None, bool]:
        """(the cached value or None, whether Redis answered): a caller with a second copy
        reads it only when Redis could not say.

        A value that is not JSON, or that ``valid`` refuses (an entry written by another
        version of the code, or by hand), is a miss and is deleted, so the caller computes
        a fresh one instead of failing on it until it expires."""
        key = self.key(kind, ident)
        if not await self._clean() and not self._trusted(key, owner):
            return None, False

        async def read() -> tuple[Any | None, bool]:
            raw = await self._redis.get(key)
            self._pending[f"{kind}:lookup"] += 1
            value = None if raw is None else _decoded(raw)
            if raw is not None and (value is _UNREADABLE
                                    or (valid is not None and not valid(value))):
                log.warning("cache entry %s cannot be used; deleted", key)
                await self._redis.delete(key)
                value = None
            if value is None:
                self._pending[f"{kind}:miss"] += 1
            return value, True

        return await self._guarded(read, (None, False))

    async def flush(self) -> bool:
        """Add this worker's pending counts to the shared hash (one round trip); on failure
        they stay pending. True when nothing is left pending."""
        if not self._pending:
            return True
        counts, self._pending = self._pending, Counter()

        async def write() -> bool:
            async with self._redis.pipeline(transaction=False) as pipe:
                for name, count in counts.items():
                    pipe.hincrby(self._stats_key, name, count)
                await pipe.execute()
            return True

        written = await self._guarded(write, False)
        if not written:
            self._pending.update(counts)
        return written

    async def run_flusher(self, interval_s: float) -> None:
        """Flush every ``interval_s`` until cancelled (a task per worker)."""
        while True:
            await asyncio.sleep(interval_s)
            try:
                await self.flush()
            except Exception:  # without a link a failure raises: keep the task alive
                log.warning("could not write the cache counters", exc_info=True)

    async def set(self, kind: str, ident: str, value: Any, *, owner: str | None = None) -> None:
        await self._guarded(lambda: self._set(kind, ident, value, owner), None)

    async def _set(self, kind: str, ident: str, value: Any, owner: str | None) -> None:
        key, ttl = self.key(kind, ident), self._ttls[kind]
        if owner is None:
            await self._redis.set(key, orjson.dumps(value), ex=ttl)
            return
        index = self._owner_index(owner)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(key, orjson.dumps(value), ex=ttl)
            pipe.sadd(index, key)
            pipe.expire(index, max(self._ttls.values()))
            await pipe.execute()

    def _owner_index(self, owner: str) -> str:
        return f"{self._prefix}owner:{owner}"

    async def delete(self, kind: str, ident: str) -> None:
        key = self.key(kind, ident)

        async def drop() -> bool:
            await self._redis.delete(key)
            return True

        if not await self._guarded(drop, False):
            self._remember(self._stale_keys, key)

    async def invalidate_user(self, owner: str) -> int:
        """Drop every cached value stored for ``owner`` (SSCAN of its key set)."""
        removed = await self._guarded(lambda: self._invalidate(owner), -1)
        if removed < 0:
            self._remember(self._stale_owners, owner)
            return 0
        return removed

    async def _invalidate(self, owner: str) -> int:
        index = self._owner_index(owner)
        keys = [key async for key in self._redis.sscan_iter(index, count=500)]
        if not keys:
            return 0
        removed = int(await self._redis.delete(*keys))
        await self._redis.delete(index)
        return removed

    async def stats(self) -> dict[str, dict[str, float]]:
        """Hits and misses per kind (every worker's, as of its last flush); empty while
        Redis is unavailable."""
        await self.flush()
        empty: dict[Any, Any] = {}
        raw: dict[Any, Any] = await self._guarded(
            lambda: self._redis.hgetall(self._stats_key), empty)  # type: ignore[arg-type,return-value]
        counts: dict[str, dict[str, int]] = {}
        for field, count in raw.items():
            name = field.decode() if isinstance(field, bytes) else str(field)
            kind, what = name.rsplit(":", 1)
            counts.setdefault(kind, {"lookup": 0, "miss": 0})[what] = int(count)
        out: dict[str, dict[str, float]] = {}
        for kind, c in counts.items():
            hits = c["lookup"] - c["miss"]
            out[kind] = {"hits": hits, "misses": c["miss"],
                         "hit_rate": round(hits / c["lookup"], 4) if c["lookup"] else 0.0}
        return out
