"""A thin JSON cache over redis-py with the SPEC's TTLs and hit/miss counters.

Keys are ``<prefix><kind>:<id>``; counters live in one hash ``<prefix>cache_stats``
(look-ups and misses per kind; hits are the difference, so a hit costs one round trip).
Values are JSON (orjson), never pickle. A value stored with an ``owner`` (a user) is also
listed in the owner's key set, so ``invalidate_user`` walks only that set (SSCAN) instead of
the whole keyspace, and never uses KEYS.
"""

from __future__ import annotations

from typing import Any

import orjson
from redis.asyncio import Redis

RECOMMENDATIONS = "rec"
USER_DATA = "user"
AUDIO_FEATURES = "features"
SPOTIFY = "spotify"


class JsonCache:
    def __init__(self, redis: Redis, prefix: str, ttls: dict[str, int]) -> None:
        self._redis = redis
        self._prefix = prefix
        self._ttls = ttls
        self._stats_key = f"{prefix}cache_stats"

    def key(self, kind: str, ident: str) -> str:
        return f"{self._prefix}{kind}:{ident}"

    async def get(self, kind: str, ident: str) -> Any | None:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.get(self.key(kind, ident))
            pipe.hincrby(self._stats_key, f"{kind}:lookup", 1)
            raw, _ = await pipe.execute()
        if raw is None:
            await self._redis.hincrby(self._stats_key, f"{kind}:miss", 1)
            return None
        return orjson.loads(raw)

    async def set(self, kind: str, ident: str, value: Any, *, owner: str | None = None) -> None:
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
        await self._redis.delete(self.key(kind, ident))

    async def invalidate_user(self, owner: str) -> int:
        """Drop every cached value stored for ``owner`` (SSCAN of its key set)."""
        index = self._owner_index(owner)
        keys = [key async for key in self._redis.sscan_iter(index, count=500)]
        if not keys:
            return 0
        removed = int(await self._redis.delete(*keys))
        await self._redis.delete(index)
        return removed

    async def stats(self) -> dict[str, dict[str, float]]:
        raw = await self._redis.hgetall(self._stats_key)
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
