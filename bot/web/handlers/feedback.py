"""``POST /api/v1/feedback`` (idempotent by the client's event id), ``GET`` of recent events,
and undo of an event (a compensating event; the history keeps both)."""

from __future__ import annotations

from aiohttp import web

from bot.web.errors import BadRequest, Conflict, NotFound
from bot.web.keys import services_key, user_key
from bot.web.ownership import owned_session
from bot.web.respond import json_response
from bot.web.schemas import FeedbackIn, parse_body
from store.feedback import EventConflict, EventNotFound, NotUndoable, recent_feedback


async def record(request: web.Request) -> web.Response:
    services = request.app[services_key]
    user = request[user_key]
    body = await parse_body(request, FeedbackIn)
    if body.track_id not in services.catalog.row_of:
        raise BadRequest(f"field 'track_id': no track {body.track_id!r} in the catalogue",
                         field="track_id")
    if body.session_id is not None:
        await owned_session(services, user, body.session_id)
    try:
        outcome = await services.record_feedback(
            user, event_id=body.event_id, track_id=body.track_id, signal=body.signal,
            session_id=body.session_id,
        )
    except EventConflict:
        raise Conflict(f"event_id {body.event_id!r} was already used for another event",
                       field="event_id") from None
    return json_response(
        {"applied": outcome.applied, "event": outcome.event, "q_values": outcome.q_values},
        status=201 if outcome.applied else 200,
    )


async def recent(request: web.Request) -> web.Response:
    services = request.app[services_key]
    events = await recent_feedback(services.pool, request[user_key].id)
    return json_response({"events": events})


async def undo(request: web.Request) -> web.Response:
    services = request.app[services_key]
    event_id = request.match_info["event_id"]
    try:
        outcome = await services.undo_feedback(request[user_key], event_id)
    except EventNotFound:
        raise NotFound(f"no feedback event {event_id!r} of yours") from None
    except NotUndoable:
        raise Conflict(f"event {event_id!r} is itself an undo; give the feedback again "
                       "instead", field="event_id") from None
    return json_response(
        {"applied": outcome.applied, "event": outcome.event, "q_values": outcome.q_values},
        status=201 if outcome.applied else 200,
    )
