"""The prepared catalogue as files under the data directory, memory-mapped by every worker.

The first worker of a host to start reads the catalogue from Postgres, prepares the
recommender (feature space, clusters, genre index, personality tables), and writes its arrays
as ``.npy`` files into ``<data dir>/catalog/<key>/``; every worker then maps those files
read-only (``np.load(mmap_mode="r")``), so N workers share one copy through the page cache.

The key names what the files were built from: the catalogue's version (a uuid that a
trigger on ``tracks`` changes with every write, migration 0003), the recommender and RL
settings, and the recommender's source code. Anything else gives another key, hence files
built afresh. Files are written into a temporary directory that is renamed into place when
complete; an exclusive lock file makes concurrent workers take turns, so only one builds.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import numpy as np

import recommender
from recommender.catalog import Catalog
from recommender.config import RecommenderSettings, RLSettings
from recommender.engine import Recommender
from recommender.snapshot import FORMAT, Manifest, recommender_arrays, restore_recommender
from store.catalog_store import load_catalog_versioned

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
_LOCK = "build.lock"
_ATTEMPTS = 3


@dataclass(frozen=True)
class SharedCatalog:
    recommender: Recommender
    directory: Path  # where its files are
    built: bool  # this process wrote them (False: mapped files another process wrote)

    @property
    def catalog(self) -> Catalog:
        return self.recommender.catalog


def _code_fingerprint() -> str:
    """A hash of the recommender package's source: changed code means rebuilt files."""
    digest = hashlib.sha256()
    for path in sorted(Path(recommender.__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


_CODE = _code_fingerprint()


def snapshot_key(version: str, settings: RecommenderSettings, rl: RLSettings) -> str:
    """The directory name for a catalogue version prepared with these settings and code."""
    digest = hashlib.sha256()
    for part in (str(FORMAT), version, settings.model_dump_json(), rl.model_dump_json(), _CODE):
        digest.update(part.encode())
        digest.update(b"\0")
    return f"v{FORMAT}-{digest.hexdigest()[:24]}"


async def catalog_version(conn: asyncpg.Connection | asyncpg.Pool) -> str:
    return str(await conn.fetchval("SELECT version::text FROM catalog_version"))


def write_snapshot(directory: Path, manifest: Manifest, arrays: dict[str, np.ndarray]) -> bool:
    """Write the arrays and manifest into ``directory`` atomically (a temporary directory
    renamed into place). False when the directory was already there (nothing written)."""
    if (directory / MANIFEST).is_file():
        return False
    directory.parent.mkdir(parents=True, exist_ok=True)
    temporary = directory.parent / f".{directory.name}.{os.getpid()}.tmp"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    try:
        files = {}
        for i, (name, array) in enumerate(sorted(arrays.items())):
            files[name] = f"{i:04d}.npy"
            with (temporary / files[name]).open("wb") as handle:
                np.save(handle, array, allow_pickle=False)
                handle.flush()
                os.fsync(handle.fileno())
        body = json.dumps({"manifest": manifest, "files": files}).encode()
        with (temporary / MANIFEST).open("wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.rename(temporary, directory)
        except OSError:  # another process renamed its copy first
            if not (directory / MANIFEST).is_file():
                raise
            return False
        return True
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def read_snapshot(directory: Path) -> tuple[Manifest, dict[str, np.ndarray]]:
    """The manifest and the arrays, memory-mapped read-only (empty arrays are read)."""
    body = json.loads((directory / MANIFEST).read_bytes())
    arrays = {}
    for name, file in body["files"].items():
        path = directory / file
        try:
            # a plain ndarray over the map: np.memmap's own indexing runs in Python, and
            # every result of it would be a memmap too
            arrays[name] = np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)
        except ValueError:  # numpy cannot map a zero-length array
            arrays[name] = np.load(path, allow_pickle=False)
    return body["manifest"], arrays


@contextlib.asynccontextmanager
async def _exclusive(path: Path) -> AsyncIterator[None]:
    """An exclusive ``flock`` on ``path`` (waited for in a thread, so the loop stays free)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _prepare(catalog: Catalog, settings: RecommenderSettings, rl: RLSettings,
             directory: Path) -> bool:
    built = Recommender(catalog, settings, rl)
    manifest, arrays = recommender_arrays(built)
    return write_snapshot(directory, manifest, arrays)


def _remove_others(root: Path, keep: Path) -> None:
    """Files of older versions: a process that mapped them keeps its mapping (Linux keeps
    an unlinked file while it is mapped)."""
    for path in root.iterdir():
        if path.is_dir() and path != keep and path.name.startswith("v"):
            shutil.rmtree(path, ignore_errors=True)


async def _build(pool: asyncpg.Pool, root: Path, settings: RecommenderSettings,
                 rl: RLSettings) -> tuple[Path, bool]:
    """Read the catalogue (one snapshot, its version read in the same transaction) and write
    its files, unless files for the version read are there by now. Call with the lock held."""
    catalog, version = await load_catalog_versioned(pool)
    directory = root / snapshot_key(version, settings, rl)
    if (directory / MANIFEST).is_file():
        return directory, False
    log.info("preparing the catalogue's files in %s (%d tracks)", directory, len(catalog))
    built = await asyncio.to_thread(_prepare, catalog, settings, rl, directory)
    _remove_others(root, directory)
    return directory, built


async def open_shared_catalog(
    pool: asyncpg.Pool,
    root: Path,
    settings: RecommenderSettings,
    rl: RLSettings,
    *,
    after_build: Callable[[], None] | None = None,
) -> SharedCatalog:
    """The recommender over this catalogue version's files under ``root``, built first if
    no process has built them yet. ``after_build`` runs (in a thread) once building is over
    and its temporary memory freed, e.g. to hand the heap back to the OS."""
    for _ in range(_ATTEMPTS):
        directory = root / snapshot_key(await catalog_version(pool), settings, rl)
        built = False
        if not (directory / MANIFEST).is_file():
            async with _exclusive(root / _LOCK):
                # another worker may have built them while this one waited for the lock
                directory = root / snapshot_key(await catalog_version(pool), settings, rl)
                if not (directory / MANIFEST).is_file():
                    directory, built = await _build(pool, root, settings, rl)
                    if after_build is not None:
                        await asyncio.to_thread(after_build)
        try:
            manifest, arrays = await asyncio.to_thread(read_snapshot, directory)
        except FileNotFoundError:  # replaced by a newer version meanwhile: look again
            continue
        shared = restore_recommender(manifest, arrays, settings, rl)
        return SharedCatalog(shared, directory, built)
    raise RuntimeError(f"the catalogue files under {root} kept changing while being opened")
