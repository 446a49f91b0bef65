"""``POST /api/v1/chat/message`` and the WebSocket ``/api/v1/chat/ws``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web
from pydantic import ValidationError

from bot.agent.conversation import run_turn, stream_turn
from bot.web.errors import ApiError, BadRequest
from bot.web.keys import agent_key, services_key, settings_key, sockets_key, user_key
from bot.web.ownership import owned_session
from bot.web.respond import json_response
from bot.web.schemas import ChatMessageIn, check_storable, loads_json, parse_body
from store.faults import is_bad_value, is_unavailable
from tools.context import ChatContext

log = logging.getLogger(__name__)


def _turn_body(reply: str, ctx: ChatContext) -> dict[str, Any]:
    body: dict[str, Any] = {"reply": reply, "actions": ctx.actions}
    if ctx.recommendations is not None:
        body["recommendations"] = ctx.recommendations
    return body


async def message(request: web.Request) -> web.Response:
    services = request.app[services_key]
    user = request[user_key]
    body = await parse_body(request, ChatMessageIn)
    await owned_session(services, user, body.session_id)
    ctx = ChatContext(services, user, body.session_id)
    reply = await run_turn(request.app[agent_key], ctx, body.message)
    return json_response(_turn_body(reply, ctx))


def _error_frame(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"type": "error", "error": {"code": code, "message": message, **extra}}


class _Close(Exception):
    """End the socket with ``code`` after sending ``frame``."""

    def __init__(self, code: int, frame: dict[str, Any]) -> None:
        super().__init__(code)
        self.code = code
        self.frame = frame


_UNAUTHORIZED = 4401


async def _next_frame(ws: web.WebSocketResponse,
                      timeout: float | None) -> dict[str, Any] | ApiError | None:
    """The next JSON object sent by the client, the error that makes the frame unusable, or
    None when the socket is closing."""
    try:
        # a deadline for the whole wait: heartbeat pongs must not restart it
        async with asyncio.timeout(timeout):
            frame = await ws.receive()
    except TimeoutError:
        raise _Close(_UNAUTHORIZED, _error_frame(
            "unauthorized", "authenticate within the first seconds: "
            "send {type: auth, token}")) from None
    if frame.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
        return None
    if frame.type != WSMsgType.TEXT:
        raise _Close(WSCloseCode.UNSUPPORTED_DATA,
                     _error_frame("bad_request", "frames are JSON text"))
    try:
        data = loads_json(frame.data)
        if not isinstance(data, dict):
            raise BadRequest("a frame is a JSON object", field="body")
        check_storable(data)
    except ApiError as err:
        return err
    return data


async def _authenticate(services: Any, data: dict[str, Any]) -> Any:
    token = data.get("token") if data.get("type") == "auth" else None
    user = None
    if isinstance(token, str) and token.isascii() and token.isprintable():
        user = await services.authenticate(token)
    if user is None:
        raise _Close(_UNAUTHORIZED, _error_frame("unauthorized",
                                                 "first send {type: auth, token}"))
    return user


async def websocket(request: web.Request) -> web.WebSocketResponse:
    """First frame ``{"type": "auth", "token"}``; then ``{"type": "message", …}`` frames.

    Browsers cannot set headers on a WebSocket, and tokens never go in a URL, so the token
    travels in the first frame, which must come within ``server.ws_auth_timeout_s`` (else
    close 4401). Once upgraded, every error is an error frame: a bad frame or a refused
    turn keeps the socket open, a failed authentication closes it with 4401, binary data
    with 1003 and an unexpected failure with 1011. Shutdown closes it with 1001.
    """
    services = request.app[services_key]
    server = request.app[settings_key].server
    ws = web.WebSocketResponse(heartbeat=server.ws_heartbeat_s, max_msg_size=64 * 1024)
    await ws.prepare(request)
    sockets = request.app[sockets_key]
    sockets.add(ws)
    try:
        await _converse(request, ws, services, server.ws_auth_timeout_s)
    except _Close as close:
        await _send_and_close(ws, close.frame, close.code)
    except Exception as exc:
        await _send_and_close(ws, *_failure_frame(request, exc))
    finally:
        sockets.discard(ws)
    return ws


async def _converse(request: web.Request, ws: web.WebSocketResponse, services: Any,
                    auth_timeout_s: float) -> None:
    user = None
    while not ws.closed:
        data = await _next_frame(ws, auth_timeout_s if user is None else None)
        if data is None:
            return
        if isinstance(data, ApiError):
            err = data
            if user is None:
                raise _Close(_UNAUTHORIZED, _error_frame(err.code, err.message))
            await ws.send_json(_error_frame(err.code, err.message, field=err.field))
            continue
        if user is None:
            user = await _authenticate(services, data)
            await ws.send_json({"type": "ready"})
            continue
        try:
            await _ws_turn(request, ws, user, data)
        except ApiError as err:
            await ws.send_json(_error_frame(err.code, err.message, field=err.field))
        except Exception as exc:
            if not (is_unavailable(exc) or is_bad_value(exc)):
                raise
            frame, _ = _failure_frame(request, exc)
            await ws.send_json(frame)  # a backend hiccup: the socket stays usable


def _failure_frame(request: web.Request, exc: Exception) -> tuple[dict[str, Any], int]:
    if is_bad_value(exc):
        return _error_frame("bad_request", "the message holds a value that cannot be "
                            "stored"), WSCloseCode.INVALID_TEXT
    if is_unavailable(exc):
        wait = request.app[settings_key].server.retry_after_s
        return (_error_frame("unavailable", "a backend is unavailable; retry later",
                             retry_after=wait), WSCloseCode.TRY_AGAIN_LATER)
    log.exception("unhandled error in a WebSocket")
    return _error_frame("internal_error", "internal server error"), WSCloseCode.INTERNAL_ERROR


async def _send_and_close(ws: web.WebSocketResponse, frame: dict[str, Any], code: int) -> None:
    if ws.closed:
        return
    with contextlib.suppress(Exception):  # the client may be gone already
        await ws.send_json(frame)
    with contextlib.suppress(Exception):
        await ws.close(code=code)


async def _ws_turn(request: web.Request, ws: web.WebSocketResponse, user: Any,
                   data: dict[str, Any]) -> None:
    services = request.app[services_key]
    verdict = await services.limiter.hit("user", str(user.id))
    if not verdict.allowed:
        await ws.send_json({"type": "error", "error": {
            "code": "rate_limited", "message": "too many requests",
            "retry_after": verdict.retry_after_s}})
        return
    try:
        body = ChatMessageIn.model_validate({k: v for k, v in data.items() if k != "type"})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        await ws.send_json({"type": "error", "error": {
            "code": "bad_request", "message": f"field '{where}': {first['msg']}",
            "field": where}})
        return
    await owned_session(services, user, body.session_id)
    ctx = ChatContext(services, user, body.session_id)
    async for event in stream_turn(request.app[agent_key], ctx, body.message):
        if event["type"] == "done":
            event = {"type": "done", **_turn_body(event["reply"], ctx)}
        await ws.send_json(event)
