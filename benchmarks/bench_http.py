"""Session start over real HTTP, Postgres and Redis: cache miss, cache hit, and load.

    python benchmarks/bench_http.py [--users 200] [--load-users 1000] [--ramp 60] [--think 10]
                                    [--workers 2] [--catalog ../shared/data/spotify_songs_dev.csv]

It makes a database of its own on ``DATABASE_URL`` (or on an embedded Postgres when unset),
imports the catalogue (the dev CSV when present, else the 20k demo), starts
``tunemate serve`` as a separate process and drives it with aiohttp from this one:

1. ``--users`` new users, each with a small listening history and a personality, start a
   session once (cache miss) and once more (cache hit); p50/p99 of each, measured by the
   client, end to end.
2. ``--load-users`` simulated users arriving evenly over ``--ramp`` seconds, each pausing
   ``--think`` ± 50% seconds before every request: create, history, personality, start a
   session, one chat message, come back three times, give feedback, come back three times.
   Errors, p50/p99 of every kind of request, the peak number of users active at once, and
   the cache hit rate of the repeat session starts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import orjson
import psutil
import uvloop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.embedded import start_embedded  # noqa: E402

# the dev CSV sits in ../shared beside the main checkout (../../shared from a worktree)
DEV_CSV = next((d / "shared" / "data" / "spotify_songs_dev.csv" for d in ROOT.parents
                if (d / "shared" / "data" / "spotify_songs_dev.csv").is_file()),
               ROOT.parent / "shared" / "data" / "spotify_songs_dev.csv")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def worker_rss_mb(pid: int) -> list[float]:
    """Resident memory of each process serving requests (the serve process or its workers)."""
    parent = psutil.Process(pid)
    # workers are forked from the serve process: they share its command line
    workers = [p for p in parent.children() if p.cmdline() == parent.cmdline()] or [parent]
    return [round(p.memory_info().rss / 2**20, 1) for p in workers]


def server_pss_mb(pid: int) -> float:
    """Proportional set size (MB) of the serve process and all its children, summed."""
    parent = psutil.Process(pid)
    total = 0
    for proc in [parent, *parent.children(recursive=True)]:
        try:
            total += proc.memory_full_info().pss
        except psutil.NoSuchProcess:
            continue
    return round(total / 2**20, 1)


def server_cpu_s(pid: int | Sequence[int]) -> float:
    """CPU seconds (user + system) used so far by the serve process and its workers (by
    several serve processes, summed, when given several)."""
    total = 0.0
    for one in [pid] if isinstance(pid, int) else pid:
        parent = psutil.Process(one)
        for proc in [parent, *parent.children(recursive=True)]:
            try:
                times = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
    return total


# Postgres' own processes that work for every client (WAL, dirty pages, checkpoints)
_PG_SHARED = ("walwriter", "background writer", "checkpointer")


def named_cpu_s(name: str, database: str | None = None) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each process called ``name`` on the
    machine (``postgres``, ``redis-server``), by pid: the shared services' share of a step
    is ``cpu_delta_s`` of two such readings. With ``database``, only Postgres' backends
    connected to it (its process title names it) and its shared writers, so other
    databases' clients on the same server do not count."""
    out: dict[int, float] = {}
    for proc in psutil.process_iter(["name", "cmdline"]):
        if proc.info["name"] != name:
            continue
        if database is not None:
            title = " ".join(proc.info["cmdline"] or ())
            if f" {database} " not in title and not any(w in title for w in _PG_SHARED):
                continue
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        out[proc.pid] = times.user + times.system
    return out


def cpu_delta_s(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two readings by the processes alive at the second; a process that
    started in between counts from zero. One that exited in between takes its time with it
    (a backend closed by an overloaded pool), so this is a floor, never negative."""
    return sum(max(0.0, t - before.get(pid, 0.0)) for pid, t in after.items())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(name: str, values: list[float]) -> dict[str, float]:
    out = {"n": len(values), "p50_ms": round(percentile(values, 50), 2),
           "p99_ms": round(percentile(values, 99), 2), "max_ms": round(max(values), 2)}
    print(f"{name:<34} n={out['n']:<6} p50={out['p50_ms']:>8.2f} ms  "
          f"p99={out['p99_ms']:>8.2f} ms  max={out['max_ms']:>8.2f} ms")
    return out


class Client:
    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.http = session
        self.base = base
        self.timings: dict[str, list[float]] = {}
        self.errors: list[str] = []

    async def call(self, label: str, method: str, path: str, *, token: str | None = None,
                   body: Any = None, parse: bool = True) -> tuple[int, Any]:
        """One request; its JSON body decoded (always for an error, else when ``parse``:
        the open model reads every body whole but decodes none it does not use)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        started = time.perf_counter()
        async with self.http.request(method, self.base + path, json=body,
                                     headers=headers) as response:
            raw = await response.read()
            status = response.status
        # orjson: the load generator shares the cores with the service it measures
        payload = orjson.loads(raw) if raw and (parse or status >= 400) else None
        self.timings.setdefault(label, []).append((time.perf_counter() - started) * 1000)
        if status >= 400:
            self.errors.append(f"{label}: {status} {payload}")
        return status, payload


async def new_user(client: Client, track_ids: list[str], rng: random.Random) -> str:
    _, created = await client.call("create user", "POST", "/api/v1/users",
                                   body={"display_name": "bench"})
    token = created["token"]
    plays = [{"track_id": t, "play_count": rng.randint(1, 30)}
             for t in rng.sample(track_ids, rng.randint(5, 40))]
    await client.call("history import", "POST", "/api/v1/history", token=token,
                      body={"tracks": plays})
    traits = {t: round(rng.uniform(1, 5), 2) for t in
              ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")}
    await client.call("personality", "PUT", "/api/v1/personality", token=token,
                      body={"traits": traits})
    return token


async def latency_run(base: str, track_ids: list[str], users: int) -> dict[str, Any]:
    rng = random.Random(0)
    async with aiohttp.ClientSession() as http:
        client = Client(http, base)
        misses, hits, server_ms = [], [], []
        for _ in range(users):
            token = await new_user(client, track_ids, rng)
            for bucket in (misses, hits):
                started = time.perf_counter()
                _, body = await client.call("session init", "POST",
                                            "/api/v1/chat/session/initialize", token=token,
                                            body={})
                bucket.append((time.perf_counter() - started) * 1000)
                meta = body["data"]["metadata"]
                expected = "miss" if bucket is misses else "hit"
                if meta["cache_status"] != expected:
                    client.errors.append(f"expected a cache {expected}, got {meta}")
                if bucket is misses:
                    server_ms.append(meta["response_time_ms"])
        print("\n== sequential session starts (client-side, end to end) ==")
        return {
            "cache_miss": summary("session init, cache miss", misses),
            "cache_hit": summary("session init, cache hit", hits),
            "server_reported_miss": summary("  (server-side response_time_ms, miss)", server_ms),
            "errors": client.errors,
        }


async def simulated_user(client: Client, track_ids: list[str], rng: random.Random,
                         think_s: float, active: list[int]) -> None:
    """One listener's visit, with a pause of ``think_s`` ± 50% before each request."""

    async def pause() -> None:
        await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))

    active[0] += 1
    active[1] = max(active[1], active[0])
    try:
        token = await new_user(client, track_ids, rng)
        await pause()
        _, body = await client.call("session init (first)", "POST",
                                    "/api/v1/chat/session/initialize", token=token, body={})
        data = body["data"]
        session_id = data["session_id"]
        await pause()
        message = rng.choice(["something calm", "more upbeat please", "why number 3?",
                              "90s rock, no rap", "I love number 2", "something for a workout"])
        await client.call("chat message", "POST", "/api/v1/chat/message", token=token,
                          body={"session_id": session_id, "message": message})
        for round_ in range(2):
            if round_ == 1:  # feedback invalidates the cached list: the next start recomputes
                await pause()
                await client.call("feedback", "POST", "/api/v1/feedback", token=token, body={
                    "event_id": str(uuid.uuid4()),
                    "signal": rng.choice(["like", "skip", "save"]),
                    "track_id": data["recommendations"][rng.randrange(10)]["track_id"],
                    "session_id": session_id})
            for _ in range(3):  # the listener comes back to the page
                await pause()
                _, again = await client.call("session init (repeat)", "POST",
                                             "/api/v1/chat/session/initialize", token=token,
                                             body={})
                client.timings.setdefault("repeat cache status", []).append(
                    1.0 if again["data"]["metadata"]["cache_status"] == "hit" else 0.0)
    finally:
        active[0] -= 1


async def load_run(base: str, track_ids: list[str], users: int, ramp_s: float,
                   think_s: float) -> dict[str, Any]:
    rng = random.Random(1)
    connector = aiohttp.TCPConnector(limit=0)
    active = [0, 0]  # now, peak
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=60)) as http:
        client = Client(http, base)

        async def one(index: int, seed: int) -> None:
            await asyncio.sleep(ramp_s * index / users)
            try:
                await simulated_user(client, track_ids, random.Random(seed), think_s, active)
            except (TimeoutError, aiohttp.ClientError, KeyError) as exc:
                client.errors.append(f"user failed: {exc!r}")

        started = time.perf_counter()
        await asyncio.gather(*(one(i, rng.randrange(1 << 30)) for i in range(users)))
        seconds = time.perf_counter() - started
    print(f"\n== load: {users} simulated users started over {ramp_s:.0f} s, "
          f"{think_s:.1f} s ± 50% think time, {seconds:.1f} s in all; "
          f"peak {active[1]} users at once ==")
    hit_flags = client.timings.pop("repeat cache status", [])
    everything: list[float] = []
    report: dict[str, Any] = {"seconds": round(seconds, 1), "peak_active_users": active[1],
                              "ramp_s": ramp_s, "think_s": think_s}
    for label, values in client.timings.items():
        report[label] = summary(label, values)
        everything += values
    report["all requests"] = summary("all requests", everything)
    report["errors"] = len(client.errors)
    report["repeat_cache_hit_rate"] = round(sum(hit_flags) / max(1, len(hit_flags)), 4)
    report["requests_per_s"] = round(len(everything) / seconds, 1)
    print(f"errors: {len(client.errors)}   mean requests/s: {report['requests_per_s']}   "
          f"cache hit rate of repeat session starts: {report['repeat_cache_hit_rate']:.1%}")
    for error in client.errors[:5]:
        print("  ", error)
    return report


# The realistic mix of the open model: the closed model's requests per visit (create, history,
# personality, first session start, one chat message, six repeat starts, one feedback).
MIX: dict[str, int] = {"create user": 1, "history import": 1, "personality": 1,
                       "chat message": 1, "session init": 7, "feedback": 1}
MESSAGES = ["something calm", "more upbeat please", "why number 3?", "90s rock, no rap",
            "I love number 2", "something for a workout"]


class Listener:
    """A prepared user of the open model: a token, a session and the list on screen."""

    def __init__(self, token: str, session_id: str, track_ids: list[str]) -> None:
        self.token, self.session_id, self.shown = token, session_id, track_ids


async def prepare_listeners(client: Client, track_ids: list[str], count: int,
                            rng: random.Random) -> list[Listener]:
    async def one() -> Listener:
        token = await new_user(client, track_ids, rng)
        _, body = await client.call("session init", "POST", "/api/v1/chat/session/initialize",
                                    token=token, body={})
        data = body["data"]
        return Listener(token, data["session_id"],
                        [t["track_id"] for t in data["recommendations"][:10]])

    out: list[Listener] = []
    for start in range(0, count, 50):
        out += await asyncio.gather(*(one() for _ in range(min(50, count - start))))
    return out


async def open_request(client: Client, kind: str, who: Listener, track_ids: list[str],
                       rng: random.Random) -> None:
    if kind == "create user":
        await client.call(kind, "POST", "/api/v1/users", body={"display_name": "open"},
                          parse=False)
    elif kind == "history import":
        plays = [{"track_id": t, "play_count": rng.randint(1, 30)}
                 for t in rng.sample(track_ids, rng.randint(1, 5))]
        await client.call(kind, "POST", "/api/v1/history", token=who.token,
                          body={"tracks": plays}, parse=False)
    elif kind == "personality":
        traits = {t: round(rng.uniform(1, 5), 2) for t in
                  ("openness", "conscientiousness", "extraversion", "agreeableness",
                   "neuroticism")}
        await client.call(kind, "PUT", "/api/v1/personality", token=who.token,
                          body={"traits": traits}, parse=False)
    elif kind == "chat message":
        await client.call(kind, "POST", "/api/v1/chat/message", token=who.token,
                          body={"session_id": who.session_id, "message": rng.choice(MESSAGES)},
                          parse=False)
    elif kind == "session init":
        await client.call(kind, "POST", "/api/v1/chat/session/initialize", token=who.token,
                          body={}, parse=False)
    else:
        await client.call(kind, "POST", "/api/v1/feedback", token=who.token, body={
            "event_id": str(uuid.uuid4()), "signal": rng.choice(["like", "skip", "save"]),
            "track_id": rng.choice(who.shown), "session_id": who.session_id}, parse=False)


async def open_step(client: Client, listeners: list[Listener], track_ids: list[str],
                    rate: float, seconds: float, seed: int,
                    mix: dict[str, int] | None = None,
                    server_pid: int | Sequence[int] | None = None,
                    database: str | None = None) -> dict[str, Any]:
    """Requests arrive every 1/rate s (Poisson gaps) whether or not earlier ones finished;
    each one's latency counts from its scheduled arrival, so a late client counts too.
    With ``server_pid``, also the workers' CPU time per request (user + system): a figure
    that other load on the machine disturbs much less than latency."""
    cpu_before = server_cpu_s(server_pid) if server_pid else 0.0
    client_cpu_before = time.process_time()
    pg_before, redis_before = named_cpu_s("postgres", database), named_cpu_s("redis-server")
    rng = random.Random(seed)
    mix = mix or MIX
    kinds, weights = list(mix), list(mix.values())
    client.timings, client.errors = {}, []
    lateness: list[float] = []
    tasks: list[asyncio.Task[None]] = []
    loop = asyncio.get_running_loop()
    started = loop.time()
    due = started

    async def one(kind: str, who: Listener, at: float) -> None:
        lateness.append((loop.time() - at) * 1000)
        try:
            await open_request(client, kind, who, track_ids, rng)
        except (TimeoutError, aiohttp.ClientError) as exc:
            client.errors.append(f"{kind}: {exc!r}")
            return
        # the client timed from the send: count from the scheduled arrival instead
        client.timings[kind][-1] = (loop.time() - at) * 1000

    while due - started < seconds:
        due += rng.expovariate(rate)
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        kind = rng.choices(kinds, weights)[0]
        tasks.append(asyncio.create_task(one(kind, rng.choice(listeners), due)))
    await asyncio.gather(*tasks)
    elapsed = loop.time() - started
    cpu_ms = (server_cpu_s(server_pid) - cpu_before) * 1000 if server_pid else None
    client_cpu_ms = (time.process_time() - client_cpu_before) * 1000
    pg_ms = cpu_delta_s(pg_before, named_cpu_s("postgres", database)) * 1000
    redis_ms = cpu_delta_s(redis_before, named_cpu_s("redis-server")) * 1000
    everything = [v for values in client.timings.values() for v in values]
    return {
        "worker_cpu_ms_per_request": round(cpu_ms / max(1, len(tasks)), 2) if cpu_ms else None,
        "client_cpu_ms_per_request": round(client_cpu_ms / max(1, len(tasks)), 2),
        "postgres_cpu_ms_per_request": round(pg_ms / max(1, len(tasks)), 2),
        "redis_cpu_ms_per_request": round(redis_ms / max(1, len(tasks)), 2),
        "rate": rate, "sent": len(tasks), "achieved_per_s": round(len(everything) / elapsed, 1),
        "p50_ms": round(percentile(everything, 50), 1) if everything else None,
        "p99_ms": round(percentile(everything, 99), 1) if everything else None,
        "errors": len(client.errors) + len(tasks) - len(everything),
        "client_late_p99_ms": round(percentile(lateness, 99), 1),
        "by_kind": {k: {"n": len(v), "p50_ms": round(percentile(v, 50), 1),
                        "p99_ms": round(percentile(v, 99), 1)}
                    for k, v in sorted(client.timings.items())},
        "first_errors": client.errors[:3],
    }


async def saturation_run(base: str, track_ids: list[str], rates: list[float],
                         seconds: float, listeners_n: int, p99_ms: float,
                         server_pid: int | Sequence[int] | None, keep_going: bool = False,
                         database: str | None = None) -> dict[str, Any]:
    rng = random.Random(2)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=10)) as http:
        client = Client(http, base)
        listeners = await prepare_listeners(client, track_ids, listeners_n, rng)
        if client.errors:
            raise RuntimeError(f"preparing the listeners failed: {client.errors[:3]}")
        print(f"\n== open model: {listeners_n} prepared listeners, {seconds:.0f} s per step, "
              f"mix {MIX} ==")
        print(f"{'rate/s':>7} {'sent':>6} {'done/s':>7} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'errors':>6} {'late p99':>9} {'cpu ms':>7} {'client':>7} {'pg':>5} {'redis':>5}"
              "  p99 by kind")
        steps, best = [], None
        for i, rate in enumerate(rates):
            step = await open_step(client, listeners, track_ids, rate, seconds, i,
                                   server_pid=server_pid, database=database)
            steps.append(step)
            kinds = ", ".join(f"{k} {v['p99_ms']:.0f}" for k, v in step["by_kind"].items())
            print(f"{rate:>7.0f} {step['sent']:>6} {step['achieved_per_s']:>7.1f} "
                  f"{step['p50_ms']:>8.1f} {step['p99_ms']:>8.1f} {step['errors']:>6} "
                  f"{step['client_late_p99_ms']:>9.1f} "
                  f"{step['worker_cpu_ms_per_request'] or 0:>7.2f} "
                  f"{step['client_cpu_ms_per_request']:>7.2f} "
                  f"{step['postgres_cpu_ms_per_request']:>5.2f} "
                  f"{step['redis_cpu_ms_per_request']:>5.2f}  {kinds}", flush=True)
            ok = step["errors"] == 0 and step["p99_ms"] is not None and step["p99_ms"] <= p99_ms
            if ok:
                best = rate
            elif not keep_going and len(steps) >= 2 and not any(
                    s["errors"] == 0 and s["p99_ms"] <= p99_ms for s in steps[-2:]):
                break  # two failing steps in a row: past the saturation point
            await asyncio.sleep(3)  # let queues drain between steps
    # a step may pass above one that failed (the machine's speed changes from step to step):
    # also say up to which rate every step passed
    steady = None
    for rate, step in zip(rates, steps, strict=False):
        if step["errors"] != 0 or step["p99_ms"] is None or step["p99_ms"] > p99_ms:
            break
        steady = rate
    print(f"highest rate with p99 <= {p99_ms:.0f} ms and no errors: "
          f"{best if best is not None else 'none'} requests/s; every step passed up to "
          f"{steady if steady is not None else 'none'} requests/s")
    return {"steps": steps, "saturation_rate": best, "steady_rate": steady,
            "p99_budget_ms": p99_ms,
            "listeners": listeners_n, "step_seconds": seconds, "mix": MIX}


async def prepare_database(admin_url: str, catalog: Path | None, demo_size: int) -> str:
    name = f"tunemate_bench_{os.getpid()}"
    conn = await asyncpg.connect(admin_url)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    from urllib.parse import urlsplit, urlunsplit

    url = urlunsplit(urlsplit(admin_url)._replace(path="/" + name))
    command = [sys.executable, "-m", "bot.cli.main"]
    env = {**os.environ, "DATABASE_URL": url}
    if catalog is not None:
        subprocess.run([*command, "catalog", "import", str(catalog)], env=env, check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        subprocess.run([*command, "catalog", "demo", "--size", str(demo_size)], env=env,
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return url


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?")[0]


async def drop_database(admin_url: str, url: str) -> None:
    conn = await asyncpg.connect(admin_url)
    await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1].split("?")[0]}" '
                       "WITH (FORCE)")
    await conn.close()


async def main(args: argparse.Namespace) -> dict[str, Any]:
    admin_url = os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    embedded = None
    if not admin_url or not redis_url:
        embedded = start_embedded(Path(tempfile.mkdtemp(prefix="tunemate-bench-")),
                                  postgres=not admin_url, redis=not redis_url)
        admin_url = admin_url or embedded.database_url
        redis_url = redis_url or embedded.redis_url
    assert admin_url and redis_url
    catalog = None if args.demo_size else (
        args.catalog if args.catalog and args.catalog.is_file() else None)
    url = args.database_url or await prepare_database(admin_url, catalog,
                                                      args.demo_size or 20000)
    port = _free_port()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="tunemate-bench-data-"))
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url,
           "TUNEMATE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.cli.main", "serve", "--port", str(port),
         "--workers", str(args.workers)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        async with aiohttp.ClientSession() as http:
            while time.perf_counter() - started < 3600:  # 10M tracks: files built first
                if server.poll() is not None:
                    raise RuntimeError(f"tunemate serve exited with {server.returncode}")
                try:
                    async with http.get(base + "/health") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)
        ready_s = time.perf_counter() - started
        conn = await asyncpg.connect(url)
        n_tracks = int(await conn.fetchval("SELECT count(*) FROM tracks"))
        # history picks: about 20,000 ids (a block sample of a big catalogue)
        share = min(100.0, 100.0 * 40_000 / max(n_tracks, 1))
        track_ids = [r["id"] for r in await conn.fetch(
            f"SELECT id FROM tracks TABLESAMPLE SYSTEM ({share}) REPEATABLE (1) LIMIT 20000")]
        await conn.close()
        print(f"catalogue: {n_tracks} tracks "
              f"({'given database' if args.database_url else 'dev CSV' if catalog else 'demo'}); "
              f"workers: {args.workers}; "
              f"healthy after {ready_s:.1f} s")
        pss = server_pss_mb(server.pid)
        report: dict[str, Any] = {"catalog_tracks": n_tracks, "workers": args.workers,
                                  "ready_s": round(ready_s, 1),
                                  "worker_rss_mb": worker_rss_mb(server.pid),
                                  "total_pss_mb_after_start": pss}
        print("worker RSS after start-up (MB): "
              + ", ".join(f"{mb:.0f}" for mb in report["worker_rss_mb"])
              + f"; total PSS of serve and its workers: {pss:.0f} MB")
        if args.users:
            report["latency"] = await latency_run(base, track_ids, args.users)
        if args.load_users:
            report["load"] = await load_run(base, track_ids, args.load_users, args.ramp,
                                            args.think)
        if args.rates:
            report["saturation"] = await saturation_run(
                base, track_ids, args.rates, args.step_seconds, args.listeners, args.p99_ms,
                server.pid, args.keep_going, database=database_name(url))
        report["total_pss_mb_at_end"] = server_pss_mb(server.pid)
        print(f"total PSS of serve and its workers at the end: "
              f"{report['total_pss_mb_at_end']:.0f} MB")
        return report
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
        if not args.database_url:
            await drop_database(admin_url, url)
        if embedded is not None:
            embedded.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--load-users", type=int, default=1000)
    parser.add_argument("--ramp", type=float, default=60.0,
                        help="seconds over which the simulated users arrive")
    parser.add_argument("--think", type=float, default=10.0,
                        help="mean seconds a simulated user waits before each request")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--catalog", type=Path,
                        default=DEV_CSV)
    parser.add_argument("--demo-size", type=int, default=0,
                        help="use a synthetic catalogue of this many tracks instead of the CSV")
    parser.add_argument("--rates", type=float, nargs="*", default=[],
                        help="open model: arrival rates (requests/s) to step through")
    parser.add_argument("--step-seconds", type=float, default=20.0)
    parser.add_argument("--listeners", type=int, default=2000,
                        help="open model: users prepared beforehand (each stays well under "
                             "the per-user rate limit)")
    parser.add_argument("--p99-ms", type=float, default=300.0)
    parser.add_argument("--keep-going", action="store_true",
                        help="open model: run every rate, even past two failing steps")
    parser.add_argument("--database-url",
                        help="use this prepared database (catalogue loaded) as it is, and keep it")
    parser.add_argument("--data-dir", type=Path,
                        help="the service's data directory, kept (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args()
    # uvloop for the load generator too: it shares the cores with the service it measures
    result = uvloop.run(main(options))
    if options.json:
        options.json.write_text(json.dumps(result, indent=2))
