"""Memory of 1, 2, 4, … workers on one host: proportional set size (PSS), summed.

    python benchmarks/bench_memory.py [--demo-size 1000000] [--workers 1 2 4] [--requests 40]

It makes a database of its own on ``DATABASE_URL``, writes the synthetic demo catalogue,
then for each worker count starts ``tunemate serve --workers N`` (one data directory for
all runs, so the catalogue's files are prepared by the first run and mapped by the others),
sends ``--requests`` session starts for new users (so each worker has scored lists and
touched what a request touches), and reads PSS of the serve process and every worker
(psutil ``memory_full_info().pss``). PSS divides each shared page among the processes that
map it, so the sum is what the host really spends; RSS would count shared pages once per
process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_http import (  # noqa: E402
    ROOT,
    _free_port,
    drop_database,
    new_user,
    prepare_database,
)
from bench_http import Client as HttpClient  # noqa: E402


def memory_of(pid: int) -> dict[str, Any]:
    """PSS and RSS (MB) of the serve process and of each of its worker processes."""
    parent = psutil.Process(pid)
    procs = [parent, *parent.children(recursive=True)]
    rows = []
    for proc in procs:
        try:
            info = proc.memory_full_info()
        except psutil.NoSuchProcess:
            continue
        rows.append({"pid": proc.pid, "pss_mb": round(info.pss / 2**20, 1),
                     "rss_mb": round(info.rss / 2**20, 1),
                     "uss_mb": round(info.uss / 2**20, 1)})
    return {"processes": rows,
            "total_pss_mb": round(sum(r["pss_mb"] for r in rows), 1),
            "total_rss_mb": round(sum(r["rss_mb"] for r in rows), 1)}


async def wait_healthy(base: str, server: subprocess.Popen[bytes], timeout_s: float) -> float:
    started = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        while time.perf_counter() - started < timeout_s:
            if server.poll() is not None:
                raise RuntimeError(f"tunemate serve exited with {server.returncode}")
            try:
                async with http.get(base + "/health") as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError("the service did not become healthy")


async def touch(base: str, track_ids: list[str], requests: int, workers: int) -> list[str]:
    """Session starts for new users, several at a time so that every worker gets some."""
    import random

    rng = random.Random(0)
    async with aiohttp.ClientSession() as http:
        client = HttpClient(http, base)

        async def one() -> None:
            token = await new_user(client, track_ids, rng)
            await client.call("session init", "POST", "/api/v1/chat/session/initialize",
                              token=token, body={})

        for start in range(0, requests, 2 * workers):
            await asyncio.gather(*(one() for _ in range(min(2 * workers, requests - start))))
        return client.errors


async def run(args: argparse.Namespace) -> dict[str, Any]:
    admin_url = os.environ["DATABASE_URL"]
    redis_url = os.environ["REDIS_URL"]
    started = time.perf_counter()
    url = await prepare_database(admin_url, None, args.demo_size)
    print(f"demo catalogue of {args.demo_size} tracks written in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    data_dir = Path(tempfile.mkdtemp(prefix="tunemate-mem-"))
    conn = await asyncpg.connect(url)
    track_ids = [r["id"] for r in await conn.fetch(
        "SELECT id FROM tracks TABLESAMPLE SYSTEM (2) LIMIT 20000")]
    await conn.close()
    report: dict[str, Any] = {"demo_size": args.demo_size, "runs": []}
    try:
        for workers in args.workers:
            port = _free_port()
            env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url,
                   "TUNEMATE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
            server = subprocess.Popen(
                [sys.executable, "-m", "bot.cli.main", "serve", "--port", str(port),
                 "--workers", str(workers)],
                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            base = f"http://127.0.0.1:{port}"
            try:
                ready_s = await wait_healthy(base, server, 1800)
                await asyncio.sleep(2)  # let every worker finish starting
                errors = await touch(base, track_ids, args.requests, workers)
                await asyncio.sleep(1)
                memory = memory_of(server.pid)
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(60)
            run_report = {"workers": workers, "ready_s": round(ready_s, 1),
                          "errors": len(errors), **memory}
            report["runs"].append(run_report)
            per = ", ".join(f"{p['pss_mb']:.0f}" for p in memory["processes"])
            print(f"workers={workers}: ready in {ready_s:.1f} s; total PSS "
                  f"{memory['total_pss_mb']:.0f} MB (processes: {per}); total RSS "
                  f"{memory['total_rss_mb']:.0f} MB; errors {len(errors)}", flush=True)
        files = sum(f.stat().st_size for f in (data_dir / "catalog").rglob("*") if f.is_file())
        report["catalog_files_mb"] = round(files / 2**20, 1)
        print(f"catalogue files: {report['catalog_files_mb']:.0f} MB")
        runs = report["runs"]
        for before, after in zip(runs, runs[1:], strict=False):
            added = after["workers"] - before["workers"]
            growth = (after["total_pss_mb"] - before["total_pss_mb"]) / added
            print(f"{before['workers']} → {after['workers']} workers: "
                  f"+{growth:.0f} MB total PSS per added worker")
        return report
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        await drop_database(admin_url, url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo-size", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args()
    result = asyncio.run(run(options))
    if options.json:
        options.json.write_text(json.dumps(result, indent=2))
