"""The fault table of docs/RELIABILITY.md: real faults against ``tunemate serve``.

Starts a Postgres cluster and a redis-server of its own (tests/live.py: initdb/pg_ctl,
as ``nobody`` when run as root), runs ``tunemate serve --workers 2`` against them and
drives steady traffic (reads, session starts, feedback writes, chat turns) through each
fault; every answer is counted. Usage, from the project root:

    .venv/bin/python benchmarks/faults.py [--outage-s 10] [--write docs/RELIABILITY.md]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import fault_scenarios as fs  # noqa: E402
from tests.live import Backends, Service  # noqa: E402

HEADER = ["fault", "requests", "during 2xx/4xx/5xx", "after 2xx/4xx/5xx", "recovery s",
          "acknowledged writes lost", "5xx other than 503 + Retry-After, or dropped"]


def table(rows: list[fs.Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def run(outage_s: float) -> tuple[list[fs.Row], list[str]]:
    rows: list[fs.Row] = []
    notes: list[str] = []
    backends = Backends()
    backends.start()
    try:
        service = Service(backends.root / "service", backends.postgres.url, backends.redis.url,
                          workers=2)
        service.start()
        try:
            seen: dict = {}
            rows.append(asyncio.run(fs.outage(service, backends, "redis", outage_s,
                                              observe=seen.update)))
            notes.append(f"Redis down: /health said {seen.get('status')!r}, redis "
                         f"{seen.get('checks', {}).get('redis')}")
            rows.append(asyncio.run(fs.redis_restart_idle(service, backends)))
            seen = {}
            rows.append(asyncio.run(fs.outage(service, backends, "postgres", outage_s,
                                              observe=seen.update)))
            notes.append(f"Postgres down: /health said {seen.get('status')!r}, postgres "
                         f"{seen.get('checks', {}).get('postgres')}")
            rows.append(asyncio.run(fs.burst(service, 1000)))
            rows.append(asyncio.run(fs.bad_input(service)))
            row, dead, replaced = asyncio.run(fs.kill_worker(service))
            rows.append(row)
            notes.append("kill -9: /health listed the workers as " + str(
                [(w["slot"], w["state"]) for w in dead["checks"]["workers"]["list"]])
                + ", then as " + str([(w["slot"], w["state"], w["restarts"]) for w in
                                      replaced["checks"]["workers"]["list"]]))
        finally:
            service.stop()
        single = Service(backends.root / "single", backends.postgres.url, backends.redis.url)
        single.start()
        try:
            row, ws_code, code = asyncio.run(fs.sigterm_during_upload(single))
            rows.append(row)
            notes.append(f"SIGTERM: the upload was answered "
                         f"{'2xx' if row.tally.acked else 'not 2xx'}, {row.note}")
        finally:
            single.stop()
    finally:
        backends.stop()
    return rows, notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage-s", type=float, default=10.0)
    parser.add_argument("--write", type=Path, help="replace the table in this markdown file")
    args = parser.parse_args()
    started = time.monotonic()
    rows, notes = run(args.outage_s)
    text = table(rows)
    footer = "\n".join(f"- {note}" for note in notes)
    print(text)
    print(footer)
    print(f"({time.monotonic() - started:.0f} s on {platform.node()}, "
          f"{platform.python_version()})")
    if args.write:
        doc = args.write.read_text(encoding="utf-8")
        begin, end = "<!-- faults:begin -->", "<!-- faults:end -->"
        head, _, rest = doc.partition(begin)
        _, _, tail = rest.partition(end)
        args.write.write_text(f"{head}{begin}\n{text}\n\n{footer}\n{end}{tail}",
                              encoding="utf-8")
    return 0 if all(not row.tally.bad or row.fault.startswith("kill") for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
