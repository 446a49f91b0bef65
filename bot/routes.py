"""Every route of the service, in one place."""

from __future__ import annotations

from aiohttp import web

from bot.handlers import health


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/health", health.health)
    app.router.add_get("/api/v1/health", health.health)
