"""Pooled connections go back to the pool without asyncpg's reset query, and still clean."""

from __future__ import annotations

from store import db


async def test_a_connection_released_mid_transaction_comes_back_clean(
        prepared_database: str) -> None:
    pool = await db.create_pool(prepared_database, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            first_pid = conn.get_server_pid()
            transaction = conn.transaction()
            await transaction.start()
            await conn.execute("SELECT pg_advisory_xact_lock(4242)")
            # released with the transaction still open (as an exception would leave it)
        async with pool.acquire() as conn:
            assert conn.get_server_pid() == first_pid  # the same connection, reused
            assert not conn.is_in_transaction()
            held = await conn.fetchval(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND pid = pg_backend_pid()")
            assert held == 0
            assert conn.get_reset_query() == ""  # no reset round trip on release
    finally:
        await pool.close()
