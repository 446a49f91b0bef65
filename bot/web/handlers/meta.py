"""``GET /api/v1/openapi.json`` and ``GET /api/v1/metrics``."""

from __future__ import annotations

from aiohttp import web

from bot.web.keys import services_key, user_key
from bot.web.respond import json_response


async def metrics(request: web.Request) -> web.Response:
    services = request.app[services_key]
    return json_response({
        "cache": await services.cache.stats(),
        "catalog_tracks": len(services.catalog),
        "user_id": str(request[user_key].id),
    })
