"""A thin JSON cache over redis-py with the SPEC's TTLs and hit/miss counters.

Keys are ``<prefix><kind>:<id>``; counters live in one hash ``<prefix>cache_stats``
(look-ups and misses per kind; hits are the difference, so a hit costs one round trip).
Values are JSON (orjson), never pickle. ``invalidate_user`` walks the user's keys with SCAN.
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

    async def set(self, kind: str, ident: str, value: Any) -> None:
        await self._redis.set(self.key(kind, ident), orjson.dumps(value), ex=self._ttls[kind])

    async def delete(self, kind: str, ident: str) -> None:
        await self._redis.delete(self.key(kind, ident))

    async def invalidate_user(self, user_id: str) -> int:
        """Drop every cached value that belongs to the user (SCAN, never KEYS)."""
        removed = 0
        async for key in self._redis.scan_iter(match=f"{self._prefix}*:{user_id}*", count=500):
            removed += int(await self._redis.delete(key))
        return removed

    async def stats(self) -> dict[str, dict[str, float]]:
        raw = await self._redis.hgetall(self._stats_key)
        counts: dict[str, dict[str, int]] = {}
        for field, count in raw.items():
            kind, what = str(field).rsplit(":", 1)
            counts.setdefault(kind, {"lookup": 0, "miss": 0})[what] = int(count)
        out: dict[str, dict[str, float]] = {}
        for kind, c in counts.items():
            hits = c["lookup"] - c["miss"]
            out[kind] = {"hits": hits, "misses": c["miss"],
                         "hit_rate": round(hits / c["lookup"], 4) if c["lookup"] else 0.0}
        return out
