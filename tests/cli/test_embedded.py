"""The zero-config default: `tunemate serve` with no DATABASE_URL or REDIS_URL."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
import redis

from store.embedded import pid_alive, start_embedded

pytestmark = pytest.mark.embedded


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_health(url: str, proc: subprocess.Popen[str], timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited early with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.loads(response.read())
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the service did not become healthy in time")


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.2)
    return False


def test_serve_starts_embedded_services_and_leaves_no_process_behind(tmp_path: Path) -> None:
    port = _free_port()
    # as on CI: no session runtime directory, which once made every command warn
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "XDG_RUNTIME_DIR")}
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--workers", "2",
         "--data-dir", str(tmp_path / "data")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    # read the output as it comes, so that the test can wait for the announcement: the
    # supervisor probes /health itself, and a SIGTERM sent the moment this test's own probe
    # succeeds could land before the supervisor's (a race seen on a loaded machine)
    lines: list[str] = []
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        health = _wait_for_health(f"http://127.0.0.1:{port}/health", proc, timeout=120)
        assert health["status"] == "ok"
        assert health["checks"]["catalog"]["tracks"] == 20000  # the seeded demo catalogue
        serve = psutil.Process(proc.pid)
        # the workers are forked from serve: the same command line (Postgres and Redis differ)
        workers = [p for p in serve.children() if p.cmdline() == serve.cmdline()]
        assert len(workers) == 2
        deadline = time.monotonic() + 60
        while (time.monotonic() < deadline and proc.poll() is None
               and not any(f"http://127.0.0.1:{port}/" in line for line in list(lines))):
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        reader.join(timeout=10)
        proc.stdout.close()
    output = "".join(lines)
    assert proc.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output
    assert "Warning" not in output, output
    pg_pid = int(re.search(r"embedded Postgres ready at .* \(pid (\d+)\)", output).group(1))
    redis_pid = int(re.search(r"embedded Redis ready at .* \(pid (\d+)\)", output).group(1))
    assert _wait_gone(pg_pid, 15), "embedded Postgres outlived the service"
    assert _wait_gone(redis_pid, 15), "embedded Redis outlived the service"
    for worker in workers:
        assert _wait_gone(worker.pid, 15), "a worker outlived the service"


def test_embedded_redis_listens_on_no_network_interface(tmp_path: Path) -> None:
    services = start_embedded(tmp_path, postgres=False, redis=True)
    other_client = None
    try:
        assert services.redis_url and services.redis_url.startswith("unix://")
        # a client that is still connected must not keep the server alive after stop()
        other_client = redis.Redis.from_url(services.redis_url)
        assert other_client.ping()
        pid = services.redis_pid
        assert pid is not None and pid_alive(pid)
        listening = [c for c in psutil.Process(pid).net_connections(kind="inet")
                     if c.status == psutil.CONN_LISTEN]
        assert listening == []
    finally:
        services.stop()
    assert _wait_gone(pid, 15)
    other_client.close()
