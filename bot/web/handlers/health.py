"""``GET /health``: each dependency's state, 200 when all are up and 503 otherwise."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.web.keys import catalog_key, pool_key, redis_key
from bot.web.respond import json_response


async def _timed(check: Callable[[], Awaitable[Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await check()
    except Exception as exc:  # reported, not raised: health must answer
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


async def health(request: web.Request) -> web.Response:
    app = request.app
    checks: dict[str, Any] = {
        "postgres": await _timed(lambda: app[pool_key].fetchval("SELECT 1")),
        "redis": await _timed(lambda: app[redis_key].ping()),
        "catalog": {"ok": len(app[catalog_key]) > 0, "tracks": len(app[catalog_key])},
    }
    healthy = all(c["ok"] for c in checks.values())
    return json_response(
        {"status": "ok" if healthy else "degraded", "checks": checks},
        status=200 if healthy else 503,
    )
