"""``GET /metrics``: Prometheus text of requests, caches, lists, tools, feedback and the pool;
with several workers, every worker's counts add up."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from services.config import Settings
from tests.conftest import Backends
from tests.helpers import new_user, say, start_session

ROOT = Path(__file__).resolve().parents[2]


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return out


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str,
          **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def scrape(client: Any) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return samples(await response.text())


async def test_metrics_count_what_happened(client: Any) -> None:
    before = await scrape(client)
    _, headers = await new_user(client)
    first = await start_session(client, headers)
    await start_session(client, headers)  # the cached list
    session_id = first["data"]["session_id"]
    await say(client, headers, session_id, "something calm")
    track_id = first["data"]["recommendations"][0]["track_id"]
    response = await client.post("/api/v1/feedback", headers=headers, json={
        "event_id": str(uuid.uuid4()), "signal": "like", "track_id": track_id,
        "session_id": session_id})
    assert response.status == 201
    assert (await client.get(f"/api/v1/no/such/{uuid.uuid4()}")).status == 404
    after = await scrape(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    session = {"method": "POST", "route": "/api/v1/chat/session/initialize", "status": "200"}
    assert grew("tunemate_http_request_duration_seconds_count", **session) == 2
    assert grew("tunemate_http_request_duration_seconds_bucket", le="+Inf", **session) == 2
    assert grew("tunemate_http_request_duration_seconds_sum", **session) > 0
    # a raw path with an id in it never becomes a series of its own
    assert grew("tunemate_http_request_duration_seconds_count", method="GET",
                route="unmatched", status="404") == 1
    assert grew("tunemate_cache_lookups_total", cache="recommendations", result="miss") >= 1
    assert grew("tunemate_cache_lookups_total", cache="recommendations", result="hit") == 1
    for stage in ("cache", "profile", "score", "format", "save"):
        assert grew("tunemate_recommendation_stage_seconds_count", stage=stage) >= 1, stage
    assert sum(grew("tunemate_agent_tool_calls_total", tool=tool)
               for tool in ("recommend", "rerank", "explain", "feedback", "personality")) >= 1
    assert grew("tunemate_feedback_events_total", signal="like") == 1
    assert value(after, "tunemate_postgres_pool_size") >= 1
    assert value(after, "tunemate_postgres_pool_in_use") >= 0


async def test_rate_limit_rejections_are_counted(aiohttp_client: Any, settings: Settings,
                                                 backends: Backends,
                                                 prepared_database: str) -> None:
    from bot.web.app import init_app

    strict = settings.model_copy(update={
        "rate_limits": settings.rate_limits.model_copy(update={"user_per_minute": 2})})
    client = await aiohttp_client(init_app(strict, database_url=prepared_database,
                                           redis_url=backends.redis_url))
    before = await scrape(client)
    _, headers = await new_user(client)
    statuses = [(await client.get("/api/v1/me", headers=headers)).status for _ in range(4)]
    after = await scrape(client)
    assert statuses.count(429) == 2
    assert (value(after, "tunemate_rate_limit_rejections_total", route="/api/v1/me")
            - value(before, "tunemate_rate_limit_rejections_total", route="/api/v1/me")) == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _wait_healthy(base: str, proc: subprocess.Popen[str], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()[0]
            try:
                async with http.get(base + "/health") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.3)
    raise AssertionError("tunemate serve did not become healthy")


async def test_two_workers_counts_add_up(prepared_database: str, backends: Backends,
                                         tmp_path: Path) -> None:
    port = _free_port()
    data_dir = tmp_path / "data"
    env = {**os.environ, "DATABASE_URL": prepared_database, "REDIS_URL": backends.redis_url,
           "TUNEMATE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(base, proc, 180)
        sent = 0
        # a new connection per request, so the kernel spreads them over both workers
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
            while sent < 400:
                replies = await asyncio.gather(*(
                    http.post(base + "/api/v1/users", json={"display_name": "m"})
                    for _ in range(20)))
                assert [r.status for r in replies] == [201] * 20
                for reply in replies:
                    reply.release()
                sent += 20
                writers = {f.stem.rsplit("_", 1)[1] for f in (data_dir / "metrics").glob(
                    "histogram_*.db")}
                if sent >= 40 and len(writers) >= 2:
                    break
            async with http.get(base + "/metrics") as response:
                found = samples(await response.text())
        assert len(writers) == 2, "both workers should have served some requests"
        assert value(found, "tunemate_http_request_duration_seconds_count", method="POST",
                     route="/api/v1/users", status="201") == sent
        assert value(found, "tunemate_postgres_pool_size") >= 2  # both workers' pools
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)


async def test_a_replaced_worker_leaves_no_live_gauge(prepared_database: str, backends: Backends,
                                                      tmp_path: Path) -> None:
    import psutil

    port = _free_port()
    data_dir = tmp_path / "data"
    env = {**os.environ, "DATABASE_URL": prepared_database, "REDIS_URL": backends.redis_url,
           "TUNEMATE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(base, proc, 180)
        serve = psutil.Process(proc.pid)
        workers = [p for p in serve.children() if p.cmdline() == serve.cmdline()]
        assert len(workers) == 2
        live = data_dir / "metrics" / f"gauge_livesum_{workers[0].pid}.db"
        deadline = time.monotonic() + 30
        while not live.exists() and time.monotonic() < deadline:  # sampled every second
            await asyncio.sleep(0.2)
        assert live.exists()
        workers[0].kill()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            now = []
            for child in serve.children():
                try:
                    if child.cmdline() == serve.cmdline():
                        now.append(child.pid)
                except (psutil.ZombieProcess, psutil.NoSuchProcess):
                    continue  # the killed worker, not yet collected
            if len(now) == 2 and workers[0].pid not in now:
                break
            await asyncio.sleep(0.2)
        await _wait_healthy(base, proc, 120)
        assert not live.exists()  # the dead worker's pool no longer counts
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
