"""Two hosts behind HAProxy: two ``tunemate serve`` instances, each with its own data
directory (and so its own catalogue files), on one Postgres and one Redis.

A session started on one host continues on the other, the per-user rate limit and the
cached lists are shared, and the balancer spreads requests over both. Needs Debian's
``haproxy`` (CI installs it); skipped with a message where it is absent. Throughput with
one host and with two: ``benchmarks/bench_two_hosts.py``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml

from tests.conftest import Backends

ROOT = Path(__file__).resolve().parents[2]
RATE_LIMIT = 8


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def haproxy_config(port: int, backends: list[int]) -> str:
    servers = "\n".join(f"    server host{i} 127.0.0.1:{p} check inter 1s"
                        for i, p in enumerate(backends, start=1))
    return f"""global
    maxconn 4096

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s

frontend tunemate
    bind 127.0.0.1:{port}
    default_backend hosts

backend hosts
    balance roundrobin
    option httpchk GET /health
    http-response set-header X-Tunemate-Host %[srv_name]
{servers}
"""


async def _wait_healthy(base: str, proc: subprocess.Popen[str], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()[0][-3000:]
            try:
                async with http.get(base + "/health") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.3)
    raise AssertionError(f"{base} did not become healthy")


@pytest.fixture
async def two_hosts(prepared_database: str, backends: Backends,
                    tmp_path: Path) -> AsyncIterator[dict[str, str]]:
    haproxy = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")
    if haproxy is None:
        pytest.skip("haproxy is not installed (Debian: apt-get install haproxy); "
                    "the two-host test needs a real load balancer")
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["redis"]["key_prefix"] = backends.key_prefix  # the test session's keys
    config["rate_limits"]["user_per_minute"] = RATE_LIMIT
    config_path = tmp_path / "config.yaml"
    config_path.write_text(yaml.safe_dump(config))
    ports = [_free_port(), _free_port()]
    hosts = []
    for i, port in enumerate(ports, start=1):
        env = {**os.environ, "DATABASE_URL": prepared_database, "REDIS_URL": backends.redis_url,
               "TUNEMATE_CONFIG": str(config_path), "PYTHONUNBUFFERED": "1",
               "TUNEMATE_DATA_DIR": str(tmp_path / f"host{i}")}
        hosts.append(subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    lb_port = _free_port()
    (tmp_path / "haproxy.cfg").write_text(haproxy_config(lb_port, ports))
    balancer: subprocess.Popen[str] | None = None
    try:
        for port, proc in zip(ports, hosts, strict=True):
            await _wait_healthy(f"http://127.0.0.1:{port}", proc, 180)
        balancer = subprocess.Popen([haproxy, "-db", "-f", str(tmp_path / "haproxy.cfg")],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True)
        await _wait_both_up(f"http://127.0.0.1:{lb_port}", balancer)
        yield {"lb": f"http://127.0.0.1:{lb_port}", "host1": f"http://127.0.0.1:{ports[0]}",
               "host2": f"http://127.0.0.1:{ports[1]}", "data": str(tmp_path)}
    finally:
        running = [p for p in (balancer, *hosts) if p is not None]
        for proc in running:
            proc.send_signal(signal.SIGTERM)
        for proc in running:
            proc.communicate(timeout=60)


async def _wait_both_up(lb: str, balancer: subprocess.Popen[str]) -> None:
    """Until the balancer's health checks have brought both hosts into rotation."""
    deadline = time.monotonic() + 30
    seen: set[str] = set()
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline and seen != {"host1", "host2"}:
            assert balancer.poll() is None, balancer.communicate()[0]
            try:
                async with http.get(lb + "/health") as response:
                    if response.status == 200:
                        seen.add(response.headers.get("X-Tunemate-Host", ""))
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    assert seen == {"host1", "host2"}, f"the balancer only reached {seen}"


async def _call(http: aiohttp.ClientSession, method: str, url: str, *,
                token: str | None = None, body: Any = None) -> tuple[int, Any, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with http.request(method, url, json=body, headers=headers) as response:
        return (response.status, await response.json(),
                response.headers.get("X-Tunemate-Host", ""))


async def test_two_hosts_share_sessions_limits_and_caches(two_hosts: dict[str, str]) -> None:
    lb, one, two = two_hosts["lb"], two_hosts["host1"], two_hosts["host2"]
    async with aiohttp.ClientSession() as http:
        # the balancer spreads requests over both hosts
        served_by = set()
        tokens = []
        for _ in range(4):
            status, body, host = await _call(http, "POST", lb + "/api/v1/users",
                                             body={"display_name": "two"})
            assert status == 201
            served_by.add(host)
            tokens.append(body["token"])
        assert served_by == {"host1", "host2"}

        # a user made through one host is known to the other; a list made on host 1 is
        # cached for host 2
        token = tokens[0]
        status, started, _ = await _call(http, "POST", one + "/api/v1/chat/session/initialize",
                                         token=token, body={})
        assert status == 200 and started["data"]["metadata"]["cache_status"] == "miss"
        status, again, _ = await _call(http, "POST", two + "/api/v1/chat/session/initialize",
                                       token=token, body={})
        assert status == 200 and again["data"]["metadata"]["cache_status"] == "hit"
        assert [t["track_id"] for t in again["data"]["recommendations"]] == [
            t["track_id"] for t in started["data"]["recommendations"]]

        # the session opened on host 2 continues on host 1: "number 3" is its third track
        session_id = again["data"]["session_id"]
        third = again["data"]["recommendations"][2]
        status, reply, _ = await _call(http, "POST", one + "/api/v1/chat/message", token=token,
                                       body={"session_id": session_id,
                                             "message": "why number 3?"})
        assert status == 200, reply
        assert third["name"] in reply["reply"]

        # one per-user limit for both hosts: RATE_LIMIT requests in all, whichever host
        fresh = tokens[1]
        statuses = []
        for i in range(RATE_LIMIT + 2):
            status, _, _ = await _call(http, "GET", (one, two)[i % 2] + "/api/v1/me",
                                       token=fresh)
            statuses.append(status)
        assert statuses == [200] * RATE_LIMIT + [429, 429]

    # each host prepared the catalogue's files in its own data directory
    data = Path(two_hosts["data"])
    for host in ("host1", "host2"):
        assert list((data / host / "catalog").glob("v*/manifest.json"))
