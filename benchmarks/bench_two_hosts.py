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

``--cpu-per-host 0.5`` gives each "host" a CPU budget of its own instead: every ``serve``
instance (and the workers it forks) runs in a cgroup of its own whose CFS quota is that
many cores (cgroup v1 ``cpu`` controller, ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``
under ``/sys/fs/cgroup/cpu/``, or cgroup v2 ``cpu.max``; needs root), with a CPU weight
16 times the default so that other work on the machine cannot take that budget. Two hosts
then bring twice the CPU of one, as separate machines would, while HAProxy, the load
generator, Postgres and Redis stay outside the quotas on the cores left over. The report
gives each step's CPU per request of all hosts together and, per host, how often the quota
throttled it.
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
from collections.abc import Iterator
from contextlib import contextmanager
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
    database_name,
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


CGROUP_V1_CPU = Path("/sys/fs/cgroup/cpu")
CGROUP_V2 = Path("/sys/fs/cgroup")
PERIOD_US = 100_000
# a high weight beside the quota: the quota caps a host, the weight lets it have its budget
# even while other work keeps the machine's cores busy (the default weight is 1024 / 100)
SHARES_V1 = 16 * 1024
WEIGHT_V2 = 1600


def _v2_has_cpu() -> bool:
    controllers = CGROUP_V2 / "cgroup.controllers"
    return controllers.exists() and "cpu" in controllers.read_text().split()


class CpuBudget:
    """A cgroup with a CFS quota of ``cores`` CPUs; processes started through ``command``
    join it before they exec, so everything they fork is counted against it too."""

    def __init__(self, name: str, cores: float) -> None:
        quota = max(1000, round(cores * PERIOD_US))
        if (CGROUP_V1_CPU / "cpu.cfs_period_us").exists():
            self.path = CGROUP_V1_CPU / name
            self.path.mkdir()
            (self.path / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (self.path / "cpu.cfs_quota_us").write_text(str(quota))
            (self.path / "cpu.shares").write_text(str(SHARES_V1))
        elif _v2_has_cpu():
            self.path = CGROUP_V2 / name
            self.path.mkdir()
            (self.path / "cpu.max").write_text(f"{quota} {PERIOD_US}")
            (self.path / "cpu.weight").write_text(str(WEIGHT_V2))
        else:
            raise SystemExit("no cgroup cpu controller found (cgroup v1 /sys/fs/cgroup/cpu "
                             "or v2 with 'cpu' in cgroup.controllers)")
        self.cores = quota / PERIOD_US

    def command(self, argv: list[str]) -> list[str]:
        # the shell moves itself into the cgroup, then becomes the command
        return ["/bin/sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', str(self.path),
                *argv]

    def stat(self) -> dict[str, int]:
        """``cpu.stat``: periods, periods throttled, time throttled (v1 ns, v2 usec)."""
        out = {}
        for line in (self.path / "cpu.stat").read_text().splitlines():
            key, _, value = line.partition(" ")
            if value.isdigit():
                out[key] = int(value)
        return out

    def remove(self) -> None:
        for _ in range(50):  # the processes have exited; the kernel may lag a moment
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.1)


@contextmanager
def cpu_budgets(n_hosts: int, cores: float | None) -> Iterator[list[CpuBudget | None]]:
    budgets: list[CpuBudget | None] = []
    try:
        for i in range(1, n_hosts + 1):
            budgets.append(CpuBudget(f"tunemate-bench-{os.getpid()}-host{i}", cores)
                           if cores else None)
        yield budgets
    finally:
        for budget in budgets:
            if budget is not None:
                budget.remove()


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
    with cpu_budgets(n_hosts, args.cpu_per_host) as budgets:
        return await _run_hosts(n_hosts, url, redis_url, haproxy, track_ids, args, budgets)


async def _run_hosts(n_hosts: int, url: str, redis_url: str, haproxy: str,
                     track_ids: list[str], args: argparse.Namespace,
                     budgets: list[CpuBudget | None]) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="tunemate-hosts-"))
    ports = [_free_port() for _ in range(n_hosts)]
    hosts = []
    balancer = None
    try:
        for i, (port, budget) in enumerate(zip(ports, budgets, strict=True), start=1):
            env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url,
                   "TUNEMATE_DATA_DIR": str(root / f"host{i}")}
            argv = [sys.executable, "-m", "bot.cli.main", "serve", "--port", str(port),
                    "--workers", str(args.workers)]
            hosts.append(subprocess.Popen(
                budget.command(argv) if budget is not None else argv, env=env, cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port in ports:
            await wait_until(f"http://127.0.0.1:{port}", 1)
        lb_port = _free_port()
        (root / "haproxy.cfg").write_text(haproxy_config(lb_port, ports))
        balancer = subprocess.Popen([haproxy, "-db", "-f", str(root / "haproxy.cfg")],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{lb_port}"
        await wait_until(base, n_hosts, 60)
        budget_text = (f", each host limited to {args.cpu_per_host:g} CPU (cgroup quota)"
                       if args.cpu_per_host else "")
        print(f"\n#### {n_hosts} host(s) × {args.workers} worker(s) behind HAProxy"
              f"{budget_text}", flush=True)
        before = [b.stat() for b in budgets if b is not None]
        report = await saturation_run(base, track_ids, args.rates, args.step_seconds,
                                      args.listeners, args.p99_ms, [h.pid for h in hosts],
                                      args.keep_going, database=database_name(url))
        if before:
            after = [b.stat() for b in budgets if b is not None]
            report["cpu_per_host"] = args.cpu_per_host
            report["throttled"] = [
                {k: a[k] - b.get(k, 0) for k in a if k.startswith(("nr_", "throttled"))}
                for a, b in zip(after, before, strict=True)]
            print("quota throttling per host over the run (listeners included): "
                  + "; ".join(f"host{i}: {t.get('nr_throttled', 0)} of "
                              f"{t.get('nr_periods', 0)} periods"
                              for i, t in enumerate(report["throttled"], start=1)))
        return report
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
    parser.add_argument("--cpu-per-host", type=float, default=None, metavar="CORES",
                        help="give each host its own CPU quota of CORES (cgroup; root)")
    parser.add_argument("--catalog", type=Path, default=DEV_CSV)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args()
    result = asyncio.run(main(options))
    if options.json:
        options.json.write_text(json.dumps(result, indent=2))
