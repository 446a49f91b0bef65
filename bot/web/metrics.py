"""``GET /metrics`` (Prometheus text format), the middleware that times every request, and
the per-worker sampler of the Postgres pool. The metrics themselves: ``services/metrics.py``."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

from aiohttp import web

from bot.web.errors import Handler
from bot.web.keys import pool_key
from services import metrics

_POOL_SAMPLE_S = 1.0


def route_of(request: web.Request) -> str:
    """The route's template (``/api/v1/users``, ``/static/{filename}``), never the raw path,
    so that ids in paths do not make a series each; ``unmatched`` for 404/405."""
    if request.match_info.http_exception is not None:
        return "unmatched"
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def metrics_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Outermost: sees the final status of every answer, errors included."""
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        route = route_of(request)
        metrics.REQUEST_SECONDS.labels(request.method, route, str(status)).observe(
            time.perf_counter() - started)
        if status == 429:
            metrics.RATE_LIMITED.labels(route).inc()


def _sample_pool(app: web.Application) -> None:
    pool = app[pool_key]
    size = pool.get_size()
    metrics.POOL_SIZE.set(size)
    metrics.POOL_IN_USE.set(size - pool.get_idle_size())


async def pool_sampler(app: web.Application) -> AsyncIterator[None]:
    """A cleanup context: this worker's pool use, written every second."""

    async def sample() -> None:
        while True:
            _sample_pool(app)
            await asyncio.sleep(_POOL_SAMPLE_S)

    task = asyncio.create_task(sample())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    metrics.POOL_IN_USE.set(0)
    metrics.POOL_SIZE.set(0)


async def prometheus(request: web.Request) -> web.Response:
    _sample_pool(request.app)  # this worker's figure as of now; the others' as last sampled
    body = await asyncio.get_running_loop().run_in_executor(None, metrics.exposition)
    return web.Response(body=body, headers={"Content-Type": metrics.CONTENT_TYPE})
