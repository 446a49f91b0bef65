"""Typed keys for what the aiohttp application holds."""

from __future__ import annotations

import asyncpg
from aiohttp import web
from redis.asyncio import Redis

from bot.config import Settings
from recommender.catalog import Catalog

settings_key = web.AppKey("settings", Settings)
pool_key = web.AppKey("pool", asyncpg.Pool)
redis_key = web.AppKey("redis", Redis)
catalog_key = web.AppKey("catalog", Catalog)
