"""``GET /health``: each dependency's and each worker's state.

States only ("up", "down", "serving", "dead", …): no error texts, no addresses. 200 while
the service can answer ("ok", or "degraded" when Redis is down or a worker is not
serving); 503 "down" when Postgres is unreachable, with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.web import workers
from bot.web.keys import catalog_key, link_key, pool_key, settings_key
from bot.web.respond import json_response

_CHECK_TIMEOUT_S = 2.0


async def _timed(check: Callable[[], Awaitable[Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(_CHECK_TIMEOUT_S):
            ok = await check()
    except Exception:  # reported as a state, never as text: health must answer
        ok = False
    if ok is False:
        return {"ok": False, "state": "down"}
    return {"ok": True, "state": "up",
            "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


async def health(request: web.Request) -> web.Response:
    app = request.app
    postgres = await _timed(lambda: app[pool_key].fetchval("SELECT 1"))
    redis = await _timed(app[link_key].ping)
    tracks = len(app[catalog_key])
    team = workers.report(app)
    checks: dict[str, Any] = {
        "postgres": postgres,
        "redis": redis,
        "catalog": {"ok": tracks > 0, "state": "up" if tracks else "empty", "tracks": tracks},
        "workers": {"ok": team["healthy"], "this": team["this"], "list": team["workers"]},
    }
    if not postgres["ok"]:
        wait = str(app[settings_key].server.retry_after_s)
        return json_response({"status": "down", "checks": checks}, status=503,
                             headers={"Retry-After": wait})
    healthy = all(c["ok"] for c in checks.values())
    return json_response({"status": "ok" if healthy else "degraded", "checks": checks})
