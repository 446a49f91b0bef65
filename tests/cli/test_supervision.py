"""``tunemate serve`` as a process: a graceful stop finishes a request whose body is still
arriving and closes WebSockets with 1001; workers that keep crashing stop the service with
a non-zero status (a killed worker is replaced: tests/web/test_faults.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator

import asyncpg
import psutil
import pytest

from tests import fault_scenarios as fs
from tests.conftest import Backends
from tests.live import Service


@pytest.fixture
def service(backends: Backends, prepared_database: str,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    live = Service(tmp_path_factory.mktemp("serve"), prepared_database, backends.redis_url,
                   config={"redis.key_prefix": backends.key_prefix + "sv:"})
    yield live
    live.stop()


def test_sigterm_finishes_an_arriving_body_and_closes_websockets_1001(
    service: Service
) -> None:
    service.start()
    row, ws_code, exit_code = asyncio.run(fs.sigterm_during_upload(service))
    assert row.tally.of("during")["2xx"] == 1, (row.tally.counts, row.tally.bad,
                                                service.output()[-3000:])
    assert ws_code == 1001
    assert exit_code == 0

    async def stored() -> int:
        conn = await asyncpg.connect(service.database_url)
        try:
            return int(await conn.fetchval(
                "SELECT count(*) FROM feedback_events WHERE id = $1", row.tally.acked[0]))
        finally:
            await conn.close()

    assert asyncio.run(stored()) == 1


def test_workers_that_keep_crashing_stop_the_service_non_zero(
    backends: Backends, prepared_database: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    live = Service(tmp_path_factory.mktemp("crashing"), prepared_database, backends.redis_url,
                   workers=2, config={"redis.key_prefix": backends.key_prefix + "cr:",
                                      "server.worker_restarts_per_minute": 0})
    live.start()
    assert live.proc is not None
    serve = psutil.Process(live.proc.pid)
    # the workers are forked from serve: the same command line
    workers = [p for p in serve.children() if p.cmdline() == serve.cmdline()]
    os.kill(workers[0].pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while live.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert live.proc.returncode == 1, live.output()[-3000:]
    assert "stopping the service" in live.output()
    for worker in workers[1:]:
        assert not psutil.pid_exists(worker.pid) or worker.status() == psutil.STATUS_ZOMBIE
