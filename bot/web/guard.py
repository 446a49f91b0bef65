"""The edge's protections: load shedding, input the database cannot store, security headers,
and a clean shutdown of open WebSockets.

- ``shed_middleware``: one worker handles at most ``server.max_in_flight`` requests at once;
  the next get 503 with ``Retry-After`` straight away instead of queueing without bound.
  WebSockets are long-lived and not counted.
- ``input_middleware``: a path or query string holding a character Postgres cannot store
  (NUL, a lone surrogate) gets a 400 naming the parameter.
- security headers on every response (``Content-Security-Policy`` with
  ``frame-ancestors 'none'``, ``X-Content-Type-Options``, ``X-Frame-Options``,
  ``Referrer-Policy``); the page loads only its own script and style files.
- on shutdown (``drain``, then aiohttp's own) every open WebSocket is closed with 1001
  (going away) and requests in flight, even those whose bodies are still arriving, finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiohttp import WSCloseCode, web

from bot.web import workers
from bot.web.errors import BadRequest, Handler, Unavailable
from bot.web.keys import settings_key, sockets_key
from bot.web.schemas import unstorable_at

log = logging.getLogger(__name__)

WS_PATH = "/api/v1/chat/ws"
_load_key = web.AppKey("load", dict)

SECURITY_HEADERS = {
    # the policy tests/web/test_web_views.py runs the page under (ws: for browsers whose
    # 'self' does not cover the page's own WebSocket)
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self' ws: wss:; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def prepare(app: web.Application) -> None:
    """Register the guard's state and hooks while the app is built."""
    app[_load_key] = {"in_flight": 0, "draining": False}
    app[sockets_key] = set()
    app.on_response_prepare.append(_security_headers)
    app.on_shutdown.append(_going_away)


@web.middleware
async def shed_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path == WS_PATH:
        return await handler(request)
    load = request.app[_load_key]
    server = request.app[settings_key].server
    if load["draining"]:
        raise Unavailable("the service is shutting down; retry later",
                          headers={"Retry-After": str(server.retry_after_s),
                                   "Connection": "close"})
    if load["in_flight"] >= server.max_in_flight:
        raise Unavailable("the service is busy; retry later",
                          headers={"Retry-After": str(server.retry_after_s)})
    load["in_flight"] += 1
    try:
        return await handler(request)
    finally:
        load["in_flight"] -= 1


@web.middleware
async def input_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if unstorable_at(request.path) >= 0:
        raise BadRequest("the path holds a character that cannot be stored", field="path")
    for name, value in request.query.items():
        if unstorable_at(name) >= 0 or unstorable_at(value) >= 0:
            field = f"query.{name}" if unstorable_at(name) < 0 else "query"
            raise BadRequest(f"field '{field}': holds a character that cannot be stored "
                             "(NUL or a lone surrogate)", field=field)
    return await handler(request)


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    if response.headers.get("Upgrade", "").lower() == "websocket":
        return
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


async def drain(app: web.Application, timeout_s: float) -> None:
    """Before shutdown: refuse new requests (503), close WebSockets, let requests in flight
    (also those whose bodies are still arriving) finish, for at most ``timeout_s``."""
    load = app[_load_key]
    load["draining"] = True
    await _going_away(app)
    deadline = loop_time() + timeout_s
    while load["in_flight"] > 0 and loop_time() < deadline:
        await asyncio.sleep(0.05)
    if load["in_flight"]:
        log.warning("%d requests still running after %.0f s; stopping anyway",
                    load["in_flight"], timeout_s)


def loop_time() -> float:
    return asyncio.get_running_loop().time()


async def _going_away(app: web.Application) -> None:
    workers.mark(app, "stopping")
    sockets: set[Any] = app[sockets_key]
    closing = [ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutting down")
               for ws in list(sockets)]
    if closing:
        log.info("closing %d WebSockets (1001)", len(closing))
        with contextlib.suppress(Exception):
            await asyncio.gather(*closing, return_exceptions=True)
