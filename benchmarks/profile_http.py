"""Where a worker's time goes, per kind of request: py-spy samples the workers while an open
load of one kind of request at a time runs.

    pip install py-spy   # a profiler, not a dependency of tunemate
    python benchmarks/profile_http.py [--rate 60] [--seconds 20] [--workers 2] [--top 12]

Same set-up as ``bench_http.py`` (own database, dev CSV or demo catalogue, ``tunemate serve``
as a separate process, prepared listeners). For each request kind of the realistic mix it
runs ``--rate`` requests a second of that kind alone for ``--seconds`` while ``py-spy
record`` samples every worker (100 Hz, idle time left out), then prints the share of busy
samples per area (the agent, JSON, Postgres driver, …) and the functions that hold the most
samples themselves.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_http import (  # noqa: E402
    DEV_CSV,
    MIX,
    ROOT,
    Client,
    _free_port,
    database_name,
    drop_database,
    open_step,
    prepare_database,
    prepare_listeners,
)

# where a frame's file lives -> the area it is counted in (first match wins)
# (py-spy names a frame "function (path/relative/to/sys.path.py:line)")
AREAS: list[tuple[str, str]] = [
    ("(langgraph", "agent (langgraph/langchain)"), ("(langchain", "agent (langgraph/langchain)"),
    ("(pydantic", "pydantic"), ("(asyncpg/", "Postgres driver (asyncpg)"),
    ("(redis/", "Redis client"), ("(limits/", "rate limit (limits)"),
    ("(aiohttp/", "HTTP (aiohttp)"), ("(yarl/", "HTTP (aiohttp)"),
    ("(multidict/", "HTTP (aiohttp)"),
    ("selectors.py", "waiting for I/O (epoll)"), ("(asyncio/", "event loop (asyncio)"),
    ("(numpy/", "numpy"), ("(scipy/", "numpy"), ("(json/", "JSON"),
    ("(prometheus_client/", "metrics"), ("(recommender/", "recommender"),
    ("(bot/agent/", "tunemate agent code"), ("(tools/", "tunemate tools"),
    ("(services/", "tunemate services"), ("(store/", "tunemate store"),
    ("(bot/web/", "tunemate web"),
]
OURS = ("(bot/web/", "(bot/agent/", "(tools/", "(services/", "(store/", "(recommender/")


def area_of(frame: str) -> str:
    for needle, area in AREAS:
        if needle in frame:
            return area
    return "other"


def summarise(raw: Path, top: int) -> dict[str, Any]:
    """Collapsed stacks -> busy samples by area (of the innermost frame) and by function."""
    by_area: collections.Counter[str] = collections.Counter()
    by_function: collections.Counter[str] = collections.Counter()
    own_code: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():  # a line py-spy cut short when stopped
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        by_area[area_of(frames[-1])] += count
        by_function[frames[-1]] += count
        # tunemate's own functions on the stack (inclusive time, each counted once a sample)
        for name in {f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0] + ")"
                     for f in frames if any(p in f for p in OURS)}:
            own_code[name] += count
    def share(counter: collections.Counter[str]) -> list[tuple[str, float]]:
        return [(name, round(100 * n / max(total, 1), 1)) for name, n in counter.most_common(top)]
    return {"samples": total, "areas": share(by_area), "functions": share(by_function),
            "ours_inclusive": share(own_code)}


def worker_pids(pid: int) -> list[int]:
    parent = psutil.Process(pid)
    return [p.pid for p in parent.children() if p.cmdline() == parent.cmdline()] or [pid]


async def run(args: argparse.Namespace) -> dict[str, Any]:
    admin_url, redis_url = os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
    catalog = args.catalog if args.catalog and args.catalog.is_file() else None
    url = await prepare_database(admin_url, catalog, 20000)
    data_dir = Path(tempfile.mkdtemp(prefix="tunemate-prof-"))
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url,
           "TUNEMATE_DATA_DIR": str(data_dir)}
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.cli.main", "serve", "--port", str(port), "--workers",
         str(args.workers)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    report: dict[str, Any] = {"rate": args.rate, "seconds": args.seconds, "kinds": {}}
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(900):
                try:
                    async with http.get(base + "/health") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)
        conn = await asyncpg.connect(url)
        track_ids = [r["id"] for r in await conn.fetch("SELECT id FROM tracks LIMIT 20000")]
        await conn.close()
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector,
                                         timeout=aiohttp.ClientTimeout(total=10)) as http:
            client = Client(http, base)
            listeners = await prepare_listeners(client, track_ids, args.listeners,
                                                random.Random(3))
            pids = worker_pids(server.pid)
            for i, kind in enumerate(args.kinds or list(MIX)):
                outs = [data_dir / f"{kind.replace(' ', '_')}.{pid}.txt" for pid in pids]
                spies = [subprocess.Popen(
                    [shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"),
                     "record", "--pid", str(pid), "--duration", str(int(args.seconds)),
                     "--rate", "100", "--format", "raw", "--output", str(out)]
                    # py-spy reads C stacks only while the process is paused
                    + (["--native"] if args.native else ["--nonblocking"]),
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    for pid, out in zip(pids, outs, strict=True)]
                step = await open_step(client, listeners, track_ids, args.rate, args.seconds,
                                       100 + i, mix={kind: 1}, server_pid=server.pid,
                                       database=database_name(url))
                for spy in spies:
                    spy.wait(60)
                merged = data_dir / f"{kind.replace(' ', '_')}.txt"
                merged.write_text("".join(o.read_text().rstrip("\n") + "\n"
                                          for o in outs if o.exists()))
                summary = summarise(merged, args.top)
                report["kinds"][kind] = {"latency": {k: step[k] for k in (
                    "achieved_per_s", "p50_ms", "p99_ms", "errors",
                    "worker_cpu_ms_per_request", "postgres_cpu_ms_per_request",
                    "redis_cpu_ms_per_request")}, **summary}
                if args.keep:
                    shutil.copy(merged, args.keep / merged.name)
                print(f"\n== {kind}: {args.rate:.0f}/s for {args.seconds:.0f} s, p50 "
                      f"{step['p50_ms']} ms, p99 {step['p99_ms']} ms, errors {step['errors']}, "
                      f"worker CPU {step['worker_cpu_ms_per_request']} ms a request "
                      f"(Postgres {step['postgres_cpu_ms_per_request']} ms, Redis "
                      f"{step['redis_cpu_ms_per_request']} ms); "
                      f"{summary['samples']} busy samples ==")
                print("  by area:     " + ", ".join(f"{a} {p}%" for a, p in summary["areas"]))
                print("  our functions, inclusive (share of busy samples under each):")
                for name, pct in summary["ours_inclusive"]:
                    print(f"    {pct:5.1f}%  {name}")
                print("  innermost functions:")
                for name, pct in summary["functions"]:
                    print(f"    {pct:5.1f}%  {name}")
                await asyncio.sleep(2)
        return report
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
        shutil.rmtree(data_dir, ignore_errors=True)
        await drop_database(admin_url, url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=60.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--listeners", type=int, default=600)
    parser.add_argument("--kinds", nargs="*", help="request kinds (default: the whole mix)")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--native", action="store_true",
                        help="also sample C frames (uvloop, asyncpg, orjson, numpy)")
    parser.add_argument("--catalog", type=Path,
                        default=DEV_CSV)
    parser.add_argument("--keep", type=Path, help="copy the collapsed stacks here")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args()
    result = asyncio.run(run(options))
    if options.json:
        options.json.write_text(json.dumps(result, indent=2))
