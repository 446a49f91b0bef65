"""``POST /api/v1/users`` and ``GET /api/v1/me``."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from bot.web.keys import services_key, user_key
from bot.web.respond import json_response
from bot.web.schemas import CreateUserIn, parse_body
from store.users import create_user


async def create(request: web.Request) -> web.Response:
    body = await parse_body(request, CreateUserIn)
    user, token = await create_user(request.app[services_key].pool, body.display_name)
    return json_response({
        "user_id": str(user.id), "token": token, "display_name": user.display_name,
        "created_at": user.created_at.isoformat(),
    }, status=201)


async def me(request: web.Request) -> web.Response:
    user = request[user_key]
    return json_response({
        "user_id": str(user.id), "display_name": user.display_name,
        "created_at": user.created_at.isoformat(),
        "account_age_days": round(user.account_age_days(datetime.now(UTC)), 3),
    })
