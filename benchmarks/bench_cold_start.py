"""The first ``tunemate serve`` after install: seconds from launch to a healthy ``/health``.

    python benchmarks/bench_cold_start.py [--runs 3]

Each run starts ``python -m bot.cli serve`` on a fresh data directory with DATABASE_URL,
REDIS_URL and XDG_RUNTIME_DIR removed from its environment (as on a new machine: initdb of
the embedded Postgres, embedded Redis, migrations, the 20k demo catalogue, the Spotify token
key), polls ``/health`` every 50 ms until it answers 200 with status ``ok``, then stops the
service with SIGTERM and starts it once more on the same data directory ("warm"). It prints
each run's seconds and the service's own log, whose lines time each start-up step.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and json.load(response).get("status") == "ok"
    except OSError:
        return False


def start_once(data_dir: Path, timeout_s: float = 300) -> tuple[float, str]:
    """Seconds until /health is ok, and what the service printed."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "XDG_RUNTIME_DIR")}
    env["PYTHONUNBUFFERED"] = "1"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port),
         "--data-dir", str(data_dir)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        while not _healthy(f"http://127.0.0.1:{port}/health"):
            if proc.poll() is not None or time.perf_counter() - started > timeout_s:
                raise RuntimeError(f"serve did not become healthy:\n{proc.communicate()[0]}")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=60)
    return elapsed, output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh data directories to try")
    args = parser.parse_args()
    cold, warm = [], []
    for run in range(args.runs):
        data_dir = Path(tempfile.mkdtemp(prefix="tunemate-cold-"))
        try:
            seconds, log = start_once(data_dir / "data")
            cold.append(seconds)
            again, _ = start_once(data_dir / "data")
            warm.append(again)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
        print(f"run {run + 1}: cold {seconds:.2f} s, warm {again:.2f} s")
        if run == 0:
            print("the first cold run's log:\n" + "".join(
                f"    {line}\n" for line in log.splitlines() if "catalogue:" not in line))
    print(f"cold: median {statistics.median(cold):.2f} s, max {max(cold):.2f} s "
          f"over {len(cold)} runs")
    print(f"warm: median {statistics.median(warm):.2f} s, max {max(warm):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
