"""Which backend exceptions mean "try again later" and which mean "this value cannot be stored".

The web layer answers the first with 503 + ``Retry-After`` and the second with 400; both
without a traceback in the body.
"""

from __future__ import annotations

import asyncio

import asyncpg
from asyncpg.exceptions._base import DataError as ArgumentError  # a bad query argument
from asyncpg.exceptions._base import InternalClientError, ProtocolError

from store.redis_link import REDIS_FAILURES

# Postgres is down, restarting, refusing connections, out of them, or too slow
_PG_UNAVAILABLE: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,  # admin shutdown, cannot connect now, timeout
    asyncpg.exceptions.InsufficientResourcesError,  # too many connections, disk full
    asyncpg.InterfaceError,  # a pooled connection that died with the server, a closing pool
    InternalClientError,  # a connection torn down under a running query
    ProtocolError,
)


def is_unavailable(exc: BaseException) -> bool:
    """A backend (Postgres or Redis) is unreachable or too slow right now."""
    if is_bad_value(exc):
        return False
    return isinstance(exc, _PG_UNAVAILABLE + REDIS_FAILURES + (OSError, asyncio.TimeoutError))


def breaks_connections(exc: BaseException) -> bool:
    """The failure may have left dead connections in the Postgres pool."""
    return isinstance(exc, (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError,
                            InternalClientError, ProtocolError,
                            asyncpg.exceptions.AdminShutdownError,
                            asyncpg.exceptions.CannotConnectNowError))


def is_bad_value(exc: BaseException) -> bool:
    """Postgres refused a value (a NUL character, a number out of range, …)."""
    return isinstance(exc, (asyncpg.DataError, ArgumentError, UnicodeError))
