"""Personality and listening history: what users tell us about themselves."""

from __future__ import annotations

from aiohttp import web

from bot.web.errors import BadRequest, NotFound
from bot.web.keys import services_key, user_key
from bot.web.questionnaire import SCALE_LABELS, questionnaire_items
from bot.web.respond import json_response
from bot.web.schemas import HistoryIn, PersonalityIn, parse_body
from recommender.personality import PersonalityInputError, score_bfi44, traits_from_scores
from store import profile


async def set_personality(request: web.Request) -> web.Response:
    services = request.app[services_key]
    body = await parse_body(request, PersonalityIn)
    try:
        if body.answers is not None:
            traits = score_bfi44(body.answers)
            source, answers = "bfi44", {str(k): v for k, v in sorted(body.answers.items())}
        else:
            traits = traits_from_scores(body.traits or {}, scale=body.scale)
            source, answers = "direct", None
    except PersonalityInputError as exc:
        where = ("answers." + exc.field.removeprefix("item ") if body.answers is not None
                 else "traits." + exc.field)
        raise BadRequest(f"field '{where}': {exc.message}", field=where) from None
    stored = await services.set_personality(request[user_key], traits, source=source,
                                            answers=answers)
    return json_response(stored)


async def questionnaire(request: web.Request) -> web.Response:
    return json_response({
        "items": questionnaire_items(),
        "scale": {"min": 1, "max": 5, "labels": list(SCALE_LABELS)},
    })


async def get_personality(request: web.Request) -> web.Response:
    stored = await profile.latest_personality(request.app[services_key].pool,
                                              request[user_key].id)
    if stored is None:
        raise NotFound("no personality profile yet; PUT /api/v1/personality to set one")
    return json_response(stored)


async def import_history(request: web.Request) -> web.Response:
    services = request.app[services_key]
    user = request[user_key]
    body = await parse_body(request, HistoryIn)
    known, unknown = [], []
    for play in body.tracks:
        if play.track_id in services.catalog.row_of:
            known.append((play.track_id, play.play_count, play.last_played))
        else:
            unknown.append(play.track_id)
    imported = await profile.add_history(services.pool, user.id, known, source="manual")
    if imported:
        await services.invalidate(user)
    return json_response({"imported": imported, "unknown_track_ids": unknown},
                             status=200)


async def get_history(request: web.Request) -> web.Response:
    services = request.app[services_key]
    user = request[user_key]
    rows = await profile.history(services.pool, user.id)
    tracks = []
    for r in rows:
        row = services.catalog.row_of.get(r["track_id"])
        tracks.append({
            "track_id": r["track_id"],
            "name": None if row is None else str(services.catalog.names[row]),
            "artists": None if row is None else str(services.catalog.artists[row]),
            "play_count": r["play_count"],
            "last_played": None if r["last_played"] is None else r["last_played"].isoformat(),
            "source": r["source"],
        })
    total = await profile.history_size(services.pool, user.id)
    return json_response({"tracks": tracks, "total": total})
