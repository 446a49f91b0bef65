"""Throughput with one host and with two behind HAProxy (open model, realistic mix).

    python benchmarks/bench_two_hosts.py [--workers 1] [--rates 50 100 150 ...]
                                         [--step-seconds 20] [--listeners 1500]

Makes a database of its own on ``DATABASE_URL`` and imports the dev CSV (or the 20k demo),
then twice: starts one, then two, ``tunemate serve --workers N`` instances, each with a data
directory of its own (as separate hosts would have), puts Debian's HAProxy in front
(round robin, health checks on ``/health``), and steps the arrival rate through the
balancer exactly as ``bench_http.py --rates`` does. Prints the highest rate with p99 ≤
``--p99-ms`` and no errors for each. On one 2-core machine the "hosts" share the cores,
so the second host can add at most what one more worker adds there.
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
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_http import (  # noqa: E402
    DEV_CSV,
    ROOT,
    _free_port,
    drop_database,
    prepare_database,
    saturation_run,
)


def haproxy_config(port: int, backends: list[int]) -> str:
    servers = "\n".join(f"    server host{i} 127.0.0.1:{p} check inter 1s"
                        for i, p in enumerate(backends, start=1))
    return (f"global\n    maxconn 4096\n\ndefaults\n    mode http\n    timeout connect 5s\n"
            f"    timeout client 60s\n    timeout server 60s\n\nfrontend tunemate\n"
            f"    bind 127.0.0.1:{port}\n    default_backend hosts\n\nbackend hosts\n"
            f"    balance roundrobin\n    option httpchk GET /health\n"
            f"    http-response set-header X-Tunemate-Host %[srv_name]\n{servers}\n")


async def wait_until(url: str, hosts_expected: int, timeout_s: float = 600) -> None:
    """Until ``url``/health answers 200 from ``hosts_expected`` distinct hosts."""
    seen: set[str] = set()
    async with aiohttp.ClientSession() as http:
        for _ in range(int(timeout_s / 0.2)):
            try:
                async with http.get(url + "/health") as response:
                    if response.status == 200:
                        seen.add(response.headers.get("X-Tunemate-Host", "direct"))
            except aiohttp.ClientError:
                pass
            if len(seen) >= hosts_expected:
                return
            await asyncio.sleep(0.2)
    raise TimeoutError(f"{url} reached only {seen}")


async def run_with_hosts(n_hosts: int, url: str, redis_url: str, haproxy: str,
                         track_ids: list[str], args: argparse.Namespace) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="tunemate-hosts-"))
    ports = [_free_port() for _ in range(n_hosts)]
    hosts = []
    balancer = None
    try:
        for i, port in enumerate(ports, start=1):
            env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url,
                   "TUNEMATE_DATA_DIR": str(root / f"host{i}")}
            hosts.append(subprocess.Popen(
                [sys.executable, "-m", "bot.cli.main", "serve", "--port", str(port),
                 "--workers", str(args.workers)], env=env, cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port in ports:
            await wait_until(f"http://127.0.0.1:{port}", 1)
        lb_port = _free_port()
        (root / "haproxy.cfg").write_text(haproxy_config(lb_port, ports))
        balancer = subprocess.Popen([haproxy, "-db", "-f", str(root / "haproxy.cfg")],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{lb_port}"
        await wait_until(base, n_hosts, 60)
        print(f"\n#### {n_hosts} host(s) × {args.workers} worker(s) behind HAProxy", flush=True)
        return await saturation_run(base, track_ids, args.rates, args.step_seconds,
                                    args.listeners, args.p99_ms, None, args.keep_going)
    finally:
        for proc in [p for p in (balancer, *hosts) if p is not None]:
            proc.send_signal(signal.SIGTERM)
        for proc in [p for p in (balancer, *hosts) if p is not None]:
            proc.wait(60)
        shutil.rmtree(root, ignore_errors=True)


async def main(args: argparse.Namespace) -> dict[str, Any]:
    haproxy = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")
    if haproxy is None:
        raise SystemExit("haproxy is not installed (Debian: apt-get install haproxy)")
    admin_url, redis_url = os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
    catalog = args.catalog if args.catalog and args.catalog.is_file() else None
    url = await prepare_database(admin_url, catalog, 20000)
    try:
        conn = await asyncpg.connect(url)
        track_ids = [r["id"] for r in await conn.fetch("SELECT id FROM tracks LIMIT 20000")]
        await conn.close()
        report: dict[str, Any] = {"workers_per_host": args.workers}
        for n_hosts in args.hosts:
            report[f"{n_hosts}_hosts"] = await run_with_hosts(
                n_hosts, url, redis_url, haproxy, track_ids, args)
        rates = ", ".join(f"{n} host(s): {report[f'{n}_hosts']['saturation_rate']} requests/s"
                          for n in args.hosts)
        print(f"\nsaturation rate (p99 <= {args.p99_ms:.0f} ms, 0 errors): {rates}")
        return report
    finally:
        await drop_database(admin_url, url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--workers", type=int, default=1, help="workers per host")
    parser.add_argument("--rates", type=float, nargs="+",
                        default=[50, 100, 150, 200, 250, 300, 350, 400])
    parser.add_argument("--step-seconds", type=float, default=20.0)
    parser.add_argument("--listeners", type=int, default=1500)
    parser.add_argument("--p99-ms", type=float, default=300.0)
    parser.add_argument("--keep-going", action="store_true")
    parser.add_argument("--catalog", type=Path, default=DEV_CSV)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args()
    result = asyncio.run(main(options))
    if options.json:
        options.json.write_text(json.dumps(result, indent=2))
