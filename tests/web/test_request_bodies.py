"""How a request body arrives: a body that stalls gets 408 and frees its slot, a body that
cannot be decoded is a 400, and a client hanging up mid-body is not taken for a backend
failure."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from services.config import Settings
from tests.conftest import Backends
from tests.helpers import app_with_server


@pytest.fixture
async def small_client(aiohttp_client: Any, settings: Settings, backends: Backends,
                       prepared_database: str) -> AsyncIterator[Any]:
    """The app with two in-flight slots and half a second for a body to arrive."""
    yield await aiohttp_client(app_with_server(settings, backends, prepared_database,
                                               max_in_flight=2, body_timeout_s=0.5))


async def _open_with_partial_body(host: str, port: int) -> tuple[asyncio.StreamReader,
                                                                 asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 100\r\n\r\n{\"display_name\": ")
    await writer.drain()
    return reader, writer


async def test_a_stalled_body_gets_408_and_frees_its_slot(small_client: Any) -> None:
    stalled = [await _open_with_partial_body(small_client.host, small_client.port)
               for _ in range(2)]
    for reader, writer in stalled:
        answer = await asyncio.wait_for(reader.read(65536), timeout=5)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
        assert b'"request_timeout"' in answer
        writer.close()
        await writer.wait_closed()
    response = await small_client.get("/api/v1/health")
    assert response.status == 200  # the stalled bodies no longer hold the two slots


@pytest.mark.parametrize("encoding", ["deflate", "gzip"])
async def test_a_body_that_cannot_be_decoded_is_a_400(client: Any, encoding: str) -> None:
    response = await client.post("/api/v1/users", data=b"\x1f\x8b\x08\x00not compressed",
                                 headers={"Content-Type": "application/json",
                                          "Content-Encoding": encoding})
    assert response.status == 400, await response.text()
    assert (await response.json())["error"]["field"] == "body"


async def test_a_client_hanging_up_mid_body_is_not_a_backend_failure(
        settings: Settings, backends: Backends, prepared_database: str,
        caplog: pytest.LogCaptureFixture) -> None:
    # served as `tunemate serve` serves it: aiohttp's test server cancels the handler when
    # the client goes, where the real one lets the body's read fail instead
    from bot.web.app import init_app

    app = init_app(settings, database_url=prepared_database, redis_url=backends.redis_url)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        caplog.set_level(logging.INFO, logger="bot.web.errors")
        _, writer = await _open_with_partial_body("127.0.0.1", port)
        await asyncio.sleep(0.2)
        writer.close()
        await writer.wait_closed()
        await asyncio.sleep(0.5)
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    finally:
        await runner.cleanup()
