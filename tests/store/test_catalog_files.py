"""The prepared catalogue's files: built once per catalogue version, mapped by every worker."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import numpy as np
import pytest

from recommender.synthetic import generate_catalog
from services.config import Settings
from store import catalog_files, db
from store.catalog_files import MANIFEST, catalog_version, open_shared_catalog
from store.catalog_store import catalog_records, copy_tracks, load_catalog_versioned

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def small_db(fresh_database: str) -> str:
    conn = await db.connect(fresh_database)
    try:
        await db.migrate(conn)
        await copy_tracks(conn, catalog_records(generate_catalog(800, 11)))
    finally:
        await conn.close()
    return fresh_database


async def test_files_are_built_once_and_then_mapped(small_db: str, settings: Settings,
                                                    tmp_path: Path) -> None:
    pool = await db.create_pool(small_db, min_size=1, max_size=4)
    try:
        first = await open_shared_catalog(pool, tmp_path, settings.recommender, settings.rl)
        second = await open_shared_catalog(pool, tmp_path, settings.recommender, settings.rl)
    finally:
        await pool.close()
    assert first.built and not second.built
    assert first.directory == second.directory
    assert (first.directory / MANIFEST).is_file()
    assert len(second.catalog) == 800
    # the big arrays are read-only maps of the files, not copies
    for array in (second.catalog.features, second.recommender.index.space.unit,
                  second.recommender.index.ivf.labels):
        assert isinstance(array.base, np.memmap) or isinstance(array, np.memmap)
        assert not array.flags.writeable
    assert [d.name for d in tmp_path.iterdir() if not d.name.endswith(".lock")] == [
        first.directory.name]


async def test_concurrent_workers_build_once(small_db: str, settings: Settings,
                                             tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    loads = []

    async def counted(pool: asyncpg.Pool) -> tuple[Any, str]:
        loads.append(1)
        return await load_catalog_versioned(pool)

    # only the worker that builds reads the catalogue from Postgres; the others wait, then map
    monkeypatch.setattr(catalog_files, "load_catalog_versioned", counted)
    pool = await db.create_pool(small_db, min_size=1, max_size=6)
    try:
        opened = await asyncio.gather(*(
            open_shared_catalog(pool, tmp_path, settings.recommender, settings.rl)
            for _ in range(3)))
    finally:
        await pool.close()
    assert sorted(o.built for o in opened) == [False, False, True]
    assert len({o.directory for o in opened}) == 1
    assert len(loads) == 1


async def test_separate_processes_build_once(small_db: str, settings: Settings,
                                             tmp_path: Path) -> None:
    script = (
        "import asyncio, sys\n"
        "from services.config import load_settings\n"
        "from store import db\n"
        "from store.catalog_files import open_shared_catalog\n"
        "from pathlib import Path\n"
        "async def main():\n"
        "    s = load_settings(environ={})\n"
        "    pool = await db.create_pool(sys.argv[1], min_size=1, max_size=2)\n"
        "    shared = await open_shared_catalog(pool, Path(sys.argv[2]), s.recommender, s.rl)\n"
        "    await pool.close()\n"
        "    print(shared.built, len(shared.catalog))\n"
        "asyncio.run(main())\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, small_db, str(tmp_path)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = sorted(p.communicate(timeout=120)[0].strip() for p in procs)
    assert all(p.returncode == 0 for p in procs)
    assert outputs == ["False 800", "True 800"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


async def test_a_changed_catalogue_gets_new_files(small_db: str, settings: Settings,
                                                  tmp_path: Path) -> None:
    pool = await db.create_pool(small_db, min_size=1, max_size=4)
    try:
        before = await open_shared_catalog(pool, tmp_path, settings.recommender, settings.rl)
        version = await catalog_version(pool)
        async with pool.acquire() as conn:
            await conn.execute("UPDATE tracks SET popularity = 99 WHERE id = $1",
                               before.catalog.track_ids[0])
        assert await catalog_version(pool) != version
        after = await open_shared_catalog(pool, tmp_path, settings.recommender, settings.rl)
        changed = settings.recommender.model_copy(update={"list_size": 20})
        other = await open_shared_catalog(pool, tmp_path, changed, settings.rl)
    finally:
        await pool.close()
    assert after.built and after.directory != before.directory
    assert float(after.catalog.popularity[0]) == 99.0
    assert float(before.catalog.popularity[0]) != 99.0  # a mapped old version stays readable
    assert other.built and other.directory != after.directory
    # the older versions' files are gone
    assert not before.directory.exists() and not after.directory.exists()
    assert json.loads((other.directory / MANIFEST).read_text())["manifest"]["tracks"] == 800


async def test_every_statement_on_tracks_changes_the_version(pg: asyncpg.Connection) -> None:
    before = await catalog_version(pg)
    transaction = pg.transaction()
    await transaction.start()
    try:
        await pg.execute("DELETE FROM tracks WHERE false")  # a statement, even of no rows
        assert await catalog_version(pg) != before
    finally:
        await transaction.rollback()
    assert await catalog_version(pg) == before
