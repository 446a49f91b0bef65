"""Typed keys for what the aiohttp application holds."""

from __future__ import annotations

from typing import Any

import asyncpg
from aiohttp import web
from redis.asyncio import Redis

from bot.spotify.service import SpotifyService
from recommender.catalog import Catalog
from services.config import Settings
from services.core import Services
from store.users import User

settings_key = web.AppKey("settings", Settings)
pool_key = web.AppKey("pool", asyncpg.Pool)
redis_key = web.AppKey("redis", Redis)
catalog_key = web.AppKey("catalog", Catalog)
services_key = web.AppKey("services", Services)
spotify_key = web.AppKey("spotify", SpotifyService)
agent_key: web.AppKey[Any] = web.AppKey("agent")  # the compiled langchain agent
user_key = web.RequestKey("user", User)  # the authenticated caller of this request
