"""The asyncpg pool and the migration runner.

Nothing waits without bound: opening a connection, each statement (server side with
``statement_timeout``, client side with ``command_timeout``) and waiting for a free pooled
connection all have a timeout, so a stalled or stopped Postgres turns into an error the
web layer answers with 503, not a hung request.
"""

from __future__ import annotations

from pathlib import Path

import asyncpg
import orjson

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# any constant works: it only has to be the same in every process that migrates
_MIGRATION_LOCK = 0x74756E65


async def _init_connection(conn: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(
            type_name, encoder=_dumps, decoder=orjson.loads, schema="pg_catalog"
        )


def _dumps(value: object) -> str:
    return orjson.dumps(value).decode()


class PooledConnection(asyncpg.Connection):
    """A pooled connection released without asyncpg's reset query (``RESET ALL``, ``CLOSE
    ALL``, ``UNLISTEN *``, unlock all advisory locks): one round trip fewer per use.
    tunemate keeps no session state on pooled connections — no ``SET``, ``LISTEN``, held
    cursors or session-level advisory locks (feedback takes a transaction-level lock) — and
    asyncpg still ends any open transaction on release."""

    def get_reset_query(self) -> str:
        return ""


class BoundedPool(asyncpg.Pool):
    """An asyncpg pool whose every acquire (also inside ``pool.fetch`` & co.) has a timeout."""

    acquire_timeout_s: float | None = None

    def acquire(self, *, timeout: float | None = None):  # type: ignore[no-untyped-def]
        return super().acquire(timeout=self.acquire_timeout_s if timeout is None else timeout)


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10,
                      connect_timeout_s: float = 60.0, statement_timeout_s: float | None = None,
                      acquire_timeout_s: float | None = None) -> asyncpg.Pool:
    server_settings = {}
    if statement_timeout_s is not None:
        server_settings["statement_timeout"] = str(int(statement_timeout_s * 1000))
    pool = BoundedPool(
        dsn, min_size=min_size, max_size=max_size, max_queries=50_000,
        max_inactive_connection_lifetime=300.0, loop=None,
        connection_class=PooledConnection, record_class=asyncpg.Record,
        init=_init_connection, timeout=connect_timeout_s,
        # the client gives the server a moment more than its own statement timeout
        command_timeout=None if statement_timeout_s is None else statement_timeout_s + 1.0,
        server_settings=server_settings,
    )
    pool.acquire_timeout_s = acquire_timeout_s
    await pool
    return pool


async def connect(dsn: str) -> asyncpg.Connection:
    conn = await asyncpg.connect(dsn)
    await _init_connection(conn)
    return conn


def migration_files(directory: Path = MIGRATIONS_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("*.sql") if p.name[:4].isdigit())


async def migrate(conn: asyncpg.Connection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply the migrations not yet recorded, each in its own transaction; return their names.

    An advisory lock makes concurrent callers (several workers starting at once) take turns.
    """
    await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
    try:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   version    text PRIMARY KEY,
                   applied_at timestamptz NOT NULL DEFAULT now())"""
        )
        done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
        applied: list[str] = []
        for path in migration_files(directory):
            if path.name in done:
                continue
            async with conn.transaction():
                await conn.execute(path.read_text(encoding="utf-8"))
                await conn.execute(
                    "INSERT INTO schema_migrations (version) VALUES ($1)", path.name
                )
            applied.append(path.name)
        return applied
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)
