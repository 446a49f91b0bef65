"""The aiohttp application factory: one ``cleanup_ctx`` per resource, routes, middleware."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import time
from collections.abc import AsyncIterator

from aiohttp import web

from bot.agent.build import build_agent, build_model
from bot.agent.nlu.reader import know_titles
from bot.spotify.client import SpotifyApi, load_token_cipher
from bot.spotify.service import SpotifyService
from bot.web import guard, workers
from bot.web.auth import auth_middleware
from bot.web.errors import error_middleware
from bot.web.keys import (
    agent_key,
    catalog_key,
    link_key,
    pool_key,
    recommender_key,
    redis_key,
    services_key,
    settings_key,
    spotify_key,
)
from bot.web.metrics import metrics_middleware, pool_sampler
from bot.web.routes import setup_routes
from recommender.ranker import TreeRanker
from recommender.search import name_index
from services.config import Settings
from services.core import Services
from store import db
from store.cache import AUDIO_FEATURES, RECOMMENDATIONS, SPOTIFY, USER_DATA, JsonCache
from store.catalog_files import open_shared_catalog
from store.ranker_store import load_ranker
from store.ratelimit import RateLimiter
from store.redis_link import RedisLink

log = logging.getLogger(__name__)


def _postgres_ctx(dsn: str):  # type: ignore[no-untyped-def]
    async def postgres(app: web.Application) -> AsyncIterator[None]:
        settings = app[settings_key]
        database = settings.database
        pool = await db.create_pool(
            dsn,
            min_size=database.pool_min_size,
            max_size=database.pool_max_size,
            connect_timeout_s=database.connect_timeout_s,
            statement_timeout_s=database.statement_timeout_s,
            acquire_timeout_s=database.acquire_timeout_s,
        )
        app[pool_key] = pool
        yield
        await pool.close()

    return postgres


def _redis_ctx(url: str):  # type: ignore[no-untyped-def]
    async def redis(app: web.Application) -> AsyncIterator[None]:
        config = app[settings_key].redis
        link = RedisLink(url, max_connections=config.max_connections,
                         pool_timeout_s=config.pool_timeout_s,
                         socket_timeout_s=config.socket_timeout_s,
                         health_check_interval_s=config.health_check_interval_s,
                         retry_down_after_s=config.retry_down_after_s)
        if not await link.ping():  # Redis only caches and counts: start without it
            log.warning("Redis is unavailable at start-up; serving without it until it answers")
        app[link_key] = link
        app[redis_key] = link.client
        yield
        await link.close()

    return redis


async def _catalog(app: web.Application) -> AsyncIterator[None]:
    """The catalogue and its prepared recommender, memory-mapped from the data directory's
    files (built by the first worker of the host to start), so workers share one copy."""
    settings = app[settings_key]
    started = time.perf_counter()
    shared = await open_shared_catalog(
        app[pool_key], settings.data_dir / "catalog", settings.recommender, settings.rl,
        after_build=_release_freed_memory)
    log.info("catalogue %s in %.2f s: %d tracks from %s",
             "prepared" if shared.built else "mapped", time.perf_counter() - started,
             len(shared.catalog), shared.directory)
    app[catalog_key] = shared.catalog
    # the learned ranker (`tunemate train`) is a small file of its own in the data directory
    app[recommender_key] = shared.recommender.with_ranker(_load_ranker(settings))
    yield


def _services_ctx(redis_url: str):  # type: ignore[no-untyped-def]
    async def services(app: web.Application) -> AsyncIterator[None]:
        settings = app[settings_key]
        catalog = app[catalog_key]
        recommender = app[recommender_key]
        cache = JsonCache(app[redis_key], settings.redis.key_prefix, {
            RECOMMENDATIONS: settings.cache.recommendations_ttl_s,
            USER_DATA: settings.cache.user_data_ttl_s,
            AUDIO_FEATURES: settings.cache.audio_features_ttl_s,
            SPOTIFY: settings.cache.spotify_response_ttl_s,
        }, link=app[link_key])
        limiter = RateLimiter(redis_url, settings.redis.key_prefix,
                              settings.rate_limits.user_per_minute, link=app[link_key])
        services = Services(settings, app[pool_key], cache, limiter, catalog, recommender)
        started = time.perf_counter()
        await services.refresh_collaborative()
        log.info("collaborative model built in %.2f s", time.perf_counter() - started)
        app[services_key] = services
        started = time.perf_counter()
        # "i love sunflower": titles typed in lower case, from the name search's own index
        know_titles(lambda: name_index(catalog).by_name)
        app[agent_key] = build_agent(build_model(settings.llm))
        log.info("agent built in %.2f s", time.perf_counter() - started)
        flusher = asyncio.create_task(cache.run_flusher(settings.cache.stats_flush_s))
        yield
        flusher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await flusher
        await cache.flush()  # the last counts, while Redis is still open

    return services


def _load_ranker(settings: Settings) -> TreeRanker | None:
    try:
        ranker = load_ranker(settings.data_dir)
    except (ValueError, KeyError, OSError) as exc:
        log.warning("the learned ranker in %s is unusable (%s); using the hand-weighted "
                    "score until `tunemate train` runs again", settings.data_dir, exc)
        return None
    if ranker is not None:
        log.info("learned ranker loaded: version %d, trained %s, %d trees; second stage: %s",
                 ranker.version, ranker.trained_at, ranker.n_trees,
                 f"{ranker.stage.n_trees} trees" if ranker.stage is not None
                 else ranker.meta.get("stage_unusable", "none (the first stage alone)"))
    return ranker



def spotify_ctx(redis_url: str):  # type: ignore[no-untyped-def]
    """A cleanup context that builds the worker's ``SpotifyService`` after ``Services``."""

    async def spotify(app: web.Application) -> AsyncIterator[None]:
        settings = app[settings_key]
        services = app[services_key]
        limiter = RateLimiter(redis_url, settings.redis.key_prefix,
                              settings.rate_limits.spotify_app_per_minute, link=app[link_key])
        api = SpotifyApi(settings, limiter, services.cache)
        started = time.perf_counter()
        cipher = load_token_cipher(settings)
        log.info("Spotify token key loaded in %.2f s", time.perf_counter() - started)
        app[spotify_key] = SpotifyService(settings, services, api, cipher)
        yield

    return spotify


def _release_freed_memory() -> None:
    """Hand the heap freed while loading a big catalogue back to the OS (glibc only).

    Reading a million tracks in chunks frees hundreds of MB that glibc would otherwise keep
    in the worker for good.
    """
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to hand back this way
        log.debug("malloc_trim is not available")


def init_app(settings: Settings, *, database_url: str, redis_url: str) -> web.Application:
    """Build the app; connections open on start-up and close on shutdown."""
    app = web.Application(
        client_max_size=settings.server.max_body_bytes,
        middlewares=[metrics_middleware, error_middleware, guard.shed_middleware,
                     guard.input_middleware, auth_middleware],
    )
    app[settings_key] = settings
    guard.prepare(app)
    workers.prepare(app)
    app.cleanup_ctx.append(_postgres_ctx(database_url))
    app.cleanup_ctx.append(pool_sampler)
    app.cleanup_ctx.append(_redis_ctx(redis_url))
    app.cleanup_ctx.append(_catalog)
    app.cleanup_ctx.append(_services_ctx(redis_url))
    app.cleanup_ctx.append(spotify_ctx(redis_url))
    setup_routes(app)
    return app
