"""``POST /api/v1/chat/message`` and the WebSocket ``/api/v1/chat/ws``."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import WSMsgType, web
from pydantic import ValidationError

from bot.agent.conversation import run_turn, stream_turn
from bot.web.errors import ApiError
from bot.web.keys import agent_key, services_key, user_key
from bot.web.ownership import owned_session
from bot.web.respond import json_response
from bot.web.schemas import ChatMessageIn, parse_body
from tools.context import ChatContext


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


def _error_frame(err: ApiError) -> dict[str, Any]:
    return {"type": "error", "error": {"code": err.code, "message": err.message}}


async def websocket(request: web.Request) -> web.WebSocketResponse:
    """First frame ``{"type": "auth", "token"}``; then ``{"type": "message", …}`` frames.

    Browsers cannot set headers on a WebSocket, and tokens never go in a URL, so the token
    travels in the first frame.
    """
    services = request.app[services_key]
    ws = web.WebSocketResponse(heartbeat=30, max_msg_size=64 * 1024)
    await ws.prepare(request)
    user = None
    async for frame in ws:
        if frame.type != WSMsgType.TEXT:
            break
        try:
            data = json.loads(frame.data)
        except ValueError:
            await ws.send_json({"type": "error",
                                "error": {"code": "bad_request", "message": "frames are JSON"}})
            continue
        if user is None:
            token = data.get("token") if data.get("type") == "auth" else None
            user = await services.authenticate(token) if isinstance(token, str) else None
            if user is None:
                await ws.send_json({"type": "error", "error": {
                    "code": "unauthorized", "message": "first send {type: auth, token}"}})
                await ws.close(code=4401)
                break
            await ws.send_json({"type": "ready"})
            continue
        try:
            await _ws_turn(request, ws, user, data)
        except ApiError as err:
            await ws.send_json(_error_frame(err))
    return ws


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
