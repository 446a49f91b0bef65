"""Shared fixtures: real Postgres and Redis for every test that needs them.

Where ``DATABASE_URL`` / ``REDIS_URL`` are set (CI, the dev machines) the tests use those
servers; elsewhere they start the embedded ones, so the suite passes on a fresh machine.
Each test session works in a database of its own (created and dropped here) and under a
Redis key prefix of its own, so parallel runs on one machine do not meet.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from redis.asyncio import Redis

from recommender.synthetic import generate_catalog
from services.config import Settings, load_settings
from store import db
from store.catalog_store import catalog_records, copy_tracks
from store.embedded import EmbeddedServices, start_embedded

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# the dev playlists: $TUNEMATE_DEV_CSV, else ../shared/data/ beside the project
DEV_CSV = Path(
    os.environ.get("TUNEMATE_DEV_CSV")
    or PROJECT_ROOT.parent / "shared" / "data" / "spotify_songs_dev.csv"
)
TEST_CATALOG_SIZE = 3000


@dataclass(frozen=True)
class Backends:
    database_url: str  # the test session's own database
    admin_url: str  # the server's maintenance database, for CREATE/DROP DATABASE
    redis_url: str
    key_prefix: str


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def embedded_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="tunemate-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def backends(embedded_dir: Path) -> Iterator[Backends]:
    admin_url = os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    services: EmbeddedServices | None = None
    if not admin_url or not redis_url:
        services = start_embedded(embedded_dir, postgres=not admin_url, redis=not redis_url)
        admin_url = admin_url or services.database_url
        redis_url = redis_url or services.redis_url
    assert admin_url and redis_url
    name = f"tunemate_test_{os.getpid()}_{secrets.token_hex(3)}"

    async def create() -> None:
        conn = await asyncpg.connect(admin_url)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    async def drop() -> None:
        conn = await asyncpg.connect(admin_url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    asyncio.run(create())
    prefix = f"tmtest:{secrets.token_hex(4)}:"
    try:
        yield Backends(with_database(admin_url, name), admin_url, redis_url, prefix)
    finally:
        asyncio.run(drop())
        asyncio.run(_delete_prefix(redis_url, prefix))
        if services is not None:
            services.stop()


async def _delete_prefix(redis_url: str, prefix: str) -> None:
    client = Redis.from_url(redis_url)
    try:
        async for key in client.scan_iter(match=prefix + "*", count=500):
            await client.delete(key)
        # the rate limiter keeps its own prefix, derived from ours
        async for key in client.scan_iter(match="*" + prefix + "*", count=500):
            await client.delete(key)
    finally:
        await client.aclose()


@pytest.fixture(scope="session")
def settings(backends: Backends, embedded_dir: Path) -> Settings:
    return load_settings(
        environ={},
        overrides={
            "database.url": backends.database_url,
            "redis.url": backends.redis_url,
            "redis.key_prefix": backends.key_prefix,
            "data_dir": str(embedded_dir / "data"),
            "llm": "rules",
        },
    )


@pytest.fixture(scope="session")
def prepared_database(backends: Backends, settings: Settings) -> str:
    """The session database, migrated and holding a small synthetic catalogue."""

    async def prepare() -> None:
        conn = await db.connect(backends.database_url)
        try:
            await db.migrate(conn)
            catalog = generate_catalog(TEST_CATALOG_SIZE, settings.catalog.demo_seed)
            await copy_tracks(conn, catalog_records(catalog))
        finally:
            await conn.close()

    asyncio.run(prepare())
    return backends.database_url


@pytest.fixture
async def pg(prepared_database: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await db.connect(prepared_database)
    yield conn
    await conn.close()


@pytest.fixture
async def client(aiohttp_client: Any, settings: Settings, backends: Backends,
                 prepared_database: str) -> Any:
    """The real app on a real socket, against the session's Postgres and Redis."""
    from bot.web.app import init_app

    app = init_app(settings, database_url=prepared_database, redis_url=backends.redis_url)
    return await aiohttp_client(app)


def dev_csv_or_skip() -> Path:
    if not DEV_CSV.is_file():
        pytest.skip(f"the dev dataset is absent ({DEV_CSV}); see ../shared/data/README.md")
    return DEV_CSV


@pytest.fixture
async def fresh_database(backends: Backends) -> str:
    """An empty database of its own, for tests that need to see a schema come to be."""
    name = f"tunemate_fresh_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(backends.admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    yield with_database(backends.admin_url, name)
    admin = await asyncpg.connect(backends.admin_url)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()
