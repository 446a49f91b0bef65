"""Faults against the real service (``tunemate serve --workers 2``) with a Redis and a
Postgres of its own that the tests stop and start: no 5xx but deliberate 503s with
Retry-After, no acknowledged write lost, recovery without a restart."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests import fault_scenarios as fs
from tests.live import Backends, Service


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[Service, Backends]]:
    backends = Backends()
    backends.start()
    service = Service(backends.root / "service", backends.postgres.url, backends.redis.url,
                      workers=2, config={"rate_limits.user_per_minute": 40})
    try:
        service.start()
        yield service, backends
    finally:
        code = service.stop()
        output = service.output()
        backends.stop()
    assert code == 0, output[-4000:]


def _no_failures(row: fs.Row) -> None:
    assert row.tally.bad == [], row.tally.bad[:10]
    assert row.lost == 0
    assert row.tally.of("after")["5xx"] == 0


def test_redis_down_is_served_degraded_and_used_again(live: tuple[Service, Backends]) -> None:
    import asyncio

    service, backends = live
    seen: dict[str, Any] = {}
    row = asyncio.run(fs.outage(service, backends, "redis", 2, observe=seen.update,
                                after_s=1.5))
    _no_failures(row)
    assert row.tally.of("during")["5xx"] == 0  # not even a 503: Redis is only a cache
    assert row.tally.of("during")["2xx"] > 0
    assert seen["status"] == "degraded"
    assert seen["checks"]["redis"] == {"ok": False, "state": "down"}
    assert row.recovery_s is not None
    # /health is answered by whichever worker accepts it, which may not have used Redis since
    # it came back (seen once in a full run): allow it a few seconds
    health: dict[str, Any] | None = None
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        health = service.health()
        if health is not None and health["status"] == "ok":
            break
        time.sleep(0.2)
    assert health is not None and health["status"] == "ok", health


def test_redis_restart_while_idle_costs_no_error(live: tuple[Service, Backends]) -> None:
    import asyncio

    service, backends = live
    row = asyncio.run(fs.redis_restart_idle(service, backends))
    _no_failures(row)
    assert row.tally.of("after")["2xx"] == 60


def test_rate_limits_hold_per_process_while_redis_is_down(
    live: tuple[Service, Backends]
) -> None:
    import asyncio

    import aiohttp

    service, backends = live

    async def run() -> list[int]:
        async with aiohttp.ClientSession() as session:
            client = fs.Client(session, service.base)
            await client.setup(1)
            headers = client.users[0]["headers"]
            backends.redis.stop()
            try:
                statuses = []
                for _ in range(100):  # 40 a minute per worker, 2 workers
                    async with session.get(service.base + "/api/v1/me",
                                           headers=headers) as response:
                        statuses.append(response.status)
                        if response.status == 429:
                            assert int(response.headers["Retry-After"]) >= 1
                return statuses
            finally:
                backends.redis.start()

    statuses = asyncio.run(run())
    assert set(statuses) <= {200, 429}
    assert 429 in statuses and 200 in statuses


def test_postgres_down_is_503_with_retry_after_and_loses_no_write(
    live: tuple[Service, Backends]
) -> None:
    import asyncio

    service, backends = live
    seen: dict[str, Any] = {}
    row = asyncio.run(fs.outage(service, backends, "postgres", 2, observe=seen.update,
                                after_s=1.5))
    _no_failures(row)
    assert row.tally.of("during")["5xx"] > 0  # the deliberate 503s
    assert len(row.tally.acked) > 0
    # /health says states only: no error text, no address
    assert seen["status"] == "down"
    assert seen["checks"]["postgres"] == {"ok": False, "state": "down"}
    text = json.dumps(seen)
    assert "127.0.0.1" not in text and str(backends.postgres.port) not in text
    assert "Error" not in text


def test_a_burst_of_1000_requests_is_served_or_shed(live: tuple[Service, Backends]) -> None:
    import asyncio

    service, _ = live
    row = asyncio.run(fs.burst(service, 1000))
    _no_failures(row)
    assert row.tally.of("during")["2xx"] > 0


def test_bad_input_is_4xx_never_5xx(live: tuple[Service, Backends]) -> None:
    import asyncio

    service, _ = live
    row = asyncio.run(fs.bad_input(service))
    assert row.tally.bad == []
    during = row.tally.of("during")
    assert during["4xx"] == len(fs.BAD_BODIES) + len(fs.BAD_FRAMES)


def test_a_killed_worker_is_reported_and_replaced(live: tuple[Service, Backends]) -> None:
    import asyncio

    service, _ = live
    row, seen, replaced = asyncio.run(fs.kill_worker(service, after_s=1.5))
    # requests open on the killed worker die with it (connection errors, never a 5xx)
    assert all(": " in failure for failure in row.tally.bad), row.tally.bad
    assert row.tally.of("during")["5xx"] == 0
    assert row.tally.of("after")["5xx"] + row.tally.of("after")["error"] == 0
    assert row.lost == 0
    # right after the kill the slot is reported "dead", or "starting" once replaced
    states = [w["state"] for w in seen["checks"]["workers"]["list"]]
    assert "dead" in states or "starting" in states
    workers = replaced["checks"]["workers"]["list"]
    assert sorted(w["restarts"] for w in workers) == [0, 1]
    assert replaced["status"] == "ok"
