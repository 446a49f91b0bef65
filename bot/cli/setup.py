"""What the commands share: service URLs (embedded servers where unset), migrations, seeding.

``main`` (the argument parser) and ``terminal`` (the chat client's in-process server) both use
these, so they live here rather than in either of them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from services.config import Settings
from store.embedded import start_embedded

log = logging.getLogger(__name__)


def prepare_metrics_dir(data_dir: Path) -> Path:
    """An empty ``<data dir>/metrics`` named by ``PROMETHEUS_MULTIPROC_DIR``, for the workers'
    metric files (``services/metrics.py``). Must run before that module is imported and
    before the workers fork; values of an earlier run are dropped."""
    if "prometheus_client" in sys.modules:
        log.warning("prometheus_client was imported before its directory was set: "
                    "each worker's /metrics will show only its own counts")
    path = data_dir / "metrics"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


def forget_worker_metrics(pid: int) -> None:
    """Drop a dead worker's live gauges (its pool figures) from the metric files; its
    counters and histograms stay, as Prometheus expects of counts."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


@contextlib.contextmanager
def service_urls(settings: Settings, *, need_redis: bool = True) -> Iterator[tuple[str, str]]:
    """The Postgres and Redis URLs to use, starting the embedded servers where unset."""
    db_url = settings.database.url.get_secret_value() if settings.database.url else None
    redis_url = settings.redis.url.get_secret_value() if settings.redis.url else None
    embedded = start_embedded(
        settings.data_dir, postgres=db_url is None, redis=need_redis and redis_url is None
    )
    try:
        yield db_url or embedded.database_url or "", redis_url or embedded.redis_url or ""
    finally:
        embedded.stop()


async def migrate_database(db_url: str) -> list[str]:
    from store import db

    conn = await db.connect(db_url)
    try:
        return await db.migrate(conn)
    finally:
        await conn.close()


async def seed_demo_if_empty(db_url: str, settings: Settings) -> int:
    from store import db
    from store.catalog_store import count_tracks

    conn = await db.connect(db_url)
    try:
        if await count_tracks(conn) > 0:
            return 0
    finally:
        await conn.close()
    return await write_demo(db_url, settings.catalog.demo_size, settings.catalog.demo_seed)


async def write_demo(db_url: str, size: int, seed: int) -> int:
    from tqdm import tqdm

    from recommender.synthetic import generate_catalog
    from store import db
    from store.catalog_store import catalog_records, copy_tracks

    started = time.perf_counter()
    if size >= 1_000_000:  # the stages of a big one take minutes: say what is going on
        print(f"generating {size:,} tracks…", flush=True)
    catalog = generate_catalog(size, seed)
    if size >= 1_000_000:
        print(f"generated in {time.perf_counter() - started:.0f} s; writing to Postgres",
              flush=True)
    conn = await db.connect(db_url)
    try:
        with tqdm(total=size, desc="demo catalogue", unit="track") as bar:

            def advance(rows: int) -> None:
                bar.update(rows)
                if bar.n >= size:  # all copied; one INSERT … SELECT moves them into tracks
                    bar.set_description("demo catalogue (merging into tracks)")

            return await copy_tracks(conn, catalog_records(catalog), on_batch=advance)
    finally:
        await conn.close()


async def import_csv(db_url: str, path: Path) -> int:
    from tqdm import tqdm

    from store import db
    from store.catalog_store import copy_tracks
    from store.csv_catalog import read_catalog_csv
    from store.playlists import save_memberships

    started = time.perf_counter()
    with path.open("rb") as handle:
        total_rows = max(0, sum(1 for _ in handle) - 1)
    with tqdm(total=total_rows, desc="reading", unit="row") as bar:
        def tick(n: int) -> None:
            if n % 1000 == 0:
                bar.update(1000)
        parsed = read_catalog_csv(path, on_row=tick)
        bar.update(parsed.rows_read - bar.n)
    conn = await db.connect(db_url)
    try:
        await db.migrate(conn)
        with tqdm(total=len(parsed.tracks), desc="loading", unit="track") as bar:
            written = await copy_tracks(conn, parsed.tracks.values(), on_batch=bar.update)
        memberships = await save_memberships(conn, parsed.memberships)
    finally:
        await conn.close()
    seconds = time.perf_counter() - started
    print(f"format: {parsed.format}; rows read: {parsed.rows_read}; tracks imported: {written}; "
          f"{seconds:.2f} s")
    print(f"playlist memberships: {memberships}")
    if parsed.skipped:
        print(f"rows skipped: {sum(parsed.skipped.values())}")
        for reason, count in parsed.skipped.most_common():
            print(f"  {reason}: {count}")
    else:
        print("rows skipped: 0")
    for note, count in parsed.notes.most_common():
        print(f"  note: {note}: {count}")
    return written
