"""Spotify connect, callback, sync, export and disconnect: parse, call, serialise."""

from __future__ import annotations

import functools
import html
from typing import Any

from aiohttp import web

from bot.spotify.client import (
    SpotifyAuthError,
    SpotifyBudgetExhausted,
    SpotifyError,
    SpotifyRateLimited,
    SpotifyUnavailable,
)
from bot.spotify.service import (
    EmptyList,
    InvalidState,
    SpotifyNotConfigured,
    SpotifyNotConnected,
)
from bot.web.errors import ApiError, BadRequest, Conflict, Handler, Unavailable
from bot.web.keys import services_key, spotify_key, user_key
from bot.web.ownership import owned_session
from bot.web.respond import json_response
from bot.web.schemas import SpotifyExportIn, SpotifySyncIn, parse_body


class BadGateway(ApiError):
    status, code = 502, "bad_gateway"


def _as_api_error(exc: SpotifyError) -> ApiError:
    """The edge: a Spotify domain error becomes the HTTP error a client can act on."""
    if isinstance(exc, (SpotifyRateLimited, SpotifyBudgetExhausted)):
        wait = str(max(1, int(exc.retry_after_s or 1)))
        return Unavailable(exc.message, headers={"Retry-After": wait})
    if isinstance(exc, SpotifyNotConfigured):
        return Unavailable(exc.message)
    if isinstance(exc, InvalidState):
        return BadRequest(exc.message, field="state")
    if isinstance(exc, (SpotifyNotConnected, EmptyList, SpotifyAuthError)):
        return Conflict(exc.message)
    if isinstance(exc, SpotifyUnavailable):
        return BadGateway(exc.message)
    return BadGateway(exc.message)


def spotify_errors(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except SpotifyError as exc:
            raise _as_api_error(exc) from None

    return wrapped


@spotify_errors
async def connect(request: web.Request) -> web.Response:
    url = await request.app[spotify_key].connect_url(request[user_key])
    return json_response({"authorize_url": url})


@spotify_errors
async def status(request: web.Request) -> web.Response:
    return json_response(await request.app[spotify_key].status(request[user_key]))


async def callback(request: web.Request) -> web.Response:
    """Spotify's redirect (public: the single-use ``state`` names the user)."""
    spotify = request.app[spotify_key]
    state = request.query.get("state", "")
    if not state:
        raise BadRequest("field 'state' is missing from the callback", field="state")
    if "error" in request.query:
        await spotify.abandon(state)  # the user said no: the link cannot be replayed
        raise BadRequest(f"Spotify did not authorize: {request.query['error']}", field="error")
    code = request.query.get("code", "")
    if not code:
        raise BadRequest("field 'code' is missing from the callback", field="code")
    try:
        user, spotify_user_id = await spotify.complete(code, state)
    except SpotifyAuthError as exc:
        raise BadRequest(exc.message, field="code") from None
    except SpotifyError as exc:
        raise _as_api_error(exc) from None
    sync: dict[str, Any] | None = None
    sync_error = None
    try:
        sync = (await spotify.sync(user, force=True)).as_dict()
    except SpotifyError as exc:
        sync_error = exc.message  # connected all the same; POST /api/v1/spotify/sync retries
    body = {"connected": True, "spotify_user_id": spotify_user_id, "sync": sync,
            "sync_error": sync_error}
    if "application/json" in request.headers.get("Accept", ""):
        return json_response(body)
    return web.Response(text=_connected_page(body), content_type="text/html")


@spotify_errors
async def sync(request: web.Request) -> web.Response:
    body = await parse_body(request, SpotifySyncIn)
    report = await request.app[spotify_key].sync(request[user_key], force=body.force)
    return json_response(report.as_dict())


@spotify_errors
async def export(request: web.Request) -> web.Response:
    body = await parse_body(request, SpotifyExportIn)
    user = request[user_key]
    await owned_session(request.app[services_key], user, body.session_id)
    playlist = await request.app[spotify_key].export(user, body.session_id, body.name)
    return json_response(playlist, status=201)


@spotify_errors
async def disconnect(request: web.Request) -> web.Response:
    removed = await request.app[spotify_key].disconnect(request[user_key])
    return json_response({"disconnected": removed})


def _connected_page(body: dict[str, Any]) -> str:
    sync = body["sync"]
    if sync is not None:
        detail = (f"Imported {sync['imported']} tracks from your Spotify history; "
                  f"{len(sync['unknown'])} are not in tunemate's catalogue.")
    else:
        detail = f"The first import failed ({body['sync_error']}); it will be retried."
    return (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        "<title>tunemate: Spotify connected</title>"
        f"<h1>Spotify connected</h1><p>Account {html.escape(body['spotify_user_id'])}.</p>"
        f"<p>{html.escape(detail)}</p><p><a href=\"/#spotify\">Back to tunemate</a></p>"
    )
