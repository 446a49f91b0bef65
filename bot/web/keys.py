"""Typed keys for what the aiohttp application holds."""

from __future__ import annotations

from typing import Any

import asyncpg
from aiohttp import web
from redis.asyncio import Redis

from bot.spotify.service import SpotifyService
from recommender.catalog import Catalog
from recommender.engine import Recommender
from services.config import Settings
from services.core import Services
from store.redis_link import RedisLink
from store.users import User

settings_key = web.AppKey("settings", Settings)
pool_key = web.AppKey("pool", asyncpg.Pool)
redis_key = web.AppKey("redis", Redis)
link_key = web.AppKey("redis_link", RedisLink)  # the pool, and whether Redis is usable now
catalog_key = web.AppKey("catalog", Catalog)
recommender_key = web.AppKey("recommender", Recommender)  # over the memory-mapped files
services_key = web.AppKey("services", Services)
spotify_key = web.AppKey("spotify", SpotifyService)
agent_key: web.AppKey[Any] = web.AppKey("agent")  # the compiled langchain agent
sockets_key = web.AppKey("sockets", set)  # open WebSockets, closed with 1001 on shutdown
user_key = web.RequestKey("user", User)  # the authenticated caller of this request
