"""The aiohttp application factory: one ``cleanup_ctx`` per resource, routes, middleware."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web
from redis.asyncio import Redis

from bot.config import Settings
from bot.errors import error_middleware
from bot.keys import catalog_key, pool_key, redis_key, settings_key
from bot.routes import setup_routes
from store import db
from store.catalog_store import load_catalog

log = logging.getLogger(__name__)


def _postgres_ctx(dsn: str):  # type: ignore[no-untyped-def]
    async def postgres(app: web.Application) -> AsyncIterator[None]:
        settings = app[settings_key]
        pool = await db.create_pool(
            dsn,
            min_size=settings.database.pool_min_size,
            max_size=settings.database.pool_max_size,
        )
        app[pool_key] = pool
        yield
        await pool.close()

    return postgres


def _redis_ctx(url: str):  # type: ignore[no-untyped-def]
    async def redis(app: web.Application) -> AsyncIterator[None]:
        client = Redis.from_url(url, decode_responses=True, health_check_interval=30)
        await client.ping()
        app[redis_key] = client
        yield
        await client.aclose()

    return redis


async def _catalog(app: web.Application) -> AsyncIterator[None]:
    catalog = await load_catalog(app[pool_key])
    log.info("catalogue loaded: %d tracks", len(catalog))
    app[catalog_key] = catalog
    yield


def init_app(settings: Settings, *, database_url: str, redis_url: str) -> web.Application:
    """Build the app; connections open on start-up and close on shutdown."""
    app = web.Application(
        client_max_size=settings.server.max_body_bytes, middlewares=[error_middleware]
    )
    app[settings_key] = settings
    app.cleanup_ctx.append(_postgres_ctx(database_url))
    app.cleanup_ctx.append(_redis_ctx(redis_url))
    app.cleanup_ctx.append(_catalog)
    setup_routes(app)
    return app
