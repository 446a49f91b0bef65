"""Once upgraded, the WebSocket answers every error with an error frame and a close code,
never with an HTTP 500 written into the socket; it must authenticate within seconds, idle
sockets get pings, and shutting the app down closes open sockets with 1001."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import WSMsgType

from services.config import Settings
from tests.conftest import Backends
from tests.helpers import app_with_server, new_user, start_session


@pytest.fixture
async def quick_client(aiohttp_client: Any, settings: Settings, backends: Backends,
                       prepared_database: str) -> AsyncIterator[Any]:
    """The app with short WebSocket timers: 1 s to authenticate, a ping every 0.5 s."""
    yield await aiohttp_client(app_with_server(settings, backends, prepared_database,
                                               ws_auth_timeout_s=1.0, ws_heartbeat_s=0.5))


async def _closed_with(ws: Any) -> tuple[list[dict[str, Any]], int | None]:
    """The error frames received until the server closes, and its close code."""
    frames = []
    while True:
        message = await ws.receive(timeout=10)
        if message.type == WSMsgType.TEXT:
            frames.append(message.json())
            continue
        if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING):
            return frames, ws.close_code
        if message.type == WSMsgType.ERROR:
            raise AssertionError(f"protocol error: {message.data!r}")


@pytest.mark.parametrize("first", ["[]", '"x"', "not json", '{"type": "auth", "token": 5}',
                                   '{"type": "auth", "token": "\\ud800"}',
                                   '{"type": "auth", "token": "tm_\\u0000"}', "{}"])
async def test_a_bad_first_frame_is_an_error_frame_and_4401(quick_client: Any,
                                                            first: str) -> None:
    async with quick_client.ws_connect("/api/v1/chat/ws") as ws:
        await ws.send_str(first)
        frames, code = await _closed_with(ws)
    assert code == 4401
    assert frames and frames[-1]["type"] == "error"


async def test_a_socket_that_never_authenticates_is_closed_4401(quick_client: Any) -> None:
    async with quick_client.ws_connect("/api/v1/chat/ws") as ws:
        frames, code = await _closed_with(ws)
    assert code == 4401
    assert frames[-1]["error"]["code"] == "unauthorized"


async def test_idle_sockets_get_pings(quick_client: Any) -> None:
    async with quick_client.ws_connect("/api/v1/chat/ws", autoping=False) as ws:
        message = await ws.receive(timeout=10)
        assert message.type == WSMsgType.PING


async def test_errors_after_authentication_keep_the_socket_usable(quick_client: Any) -> None:
    _, headers = await new_user(quick_client)
    session = (await start_session(quick_client, headers))["data"]["session_id"]
    token = headers["Authorization"].removeprefix("Bearer ")
    async with quick_client.ws_connect("/api/v1/chat/ws") as ws:
        await ws.send_json({"type": "auth", "token": token})
        assert (await ws.receive_json())["type"] == "ready"
        for bad in ('{"type": "message", "session_id": "SID", "message": "a\\u0000"}',
                    "[1, 2]", "{" * 2000, '{"type": "message", "message": "hi"}',
                    '{"type": "message", "session_id": "SID", "message": "\\udfff"}'):
            await ws.send_str(bad.replace("SID", session))
            frame = await ws.receive_json(timeout=10)
            assert frame["type"] == "error"
            assert frame["error"]["code"] == "bad_request"
        # still usable
        await ws.send_json({"type": "message", "session_id": session, "message": "calm"})
        kinds = []
        while not kinds or kinds[-1] not in ("done", "error"):
            kinds.append((await ws.receive_json(timeout=30))["type"])
        assert kinds[-1] == "done"
        # binary data ends the socket with 1003
        await ws.send_bytes(b"\x00\x01")
        frames, code = await _closed_with(ws)
    assert code == 1003
    assert frames[-1]["type"] == "error"


async def test_shutdown_closes_open_sockets_with_1001(aiohttp_client: Any, settings: Settings,
                                                      backends: Backends,
                                                      prepared_database: str) -> None:
    from bot.web.app import init_app

    client = await aiohttp_client(init_app(settings, database_url=prepared_database,
                                           redis_url=backends.redis_url))
    _, headers = await new_user(client)
    token = headers["Authorization"].removeprefix("Bearer ")
    ws = await client.ws_connect("/api/v1/chat/ws")
    await ws.send_json({"type": "auth", "token": token})
    assert (await ws.receive_json())["type"] == "ready"
    await client.app.shutdown()  # what a graceful stop runs first
    _, code = await _closed_with(ws)
    assert code == 1001
    await ws.close()
