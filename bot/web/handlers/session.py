"""``POST /api/v1/chat/session/initialize``: a fresh conversation and 50 tracks."""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from aiohttp import web

from bot.web.keys import services_key, user_key
from bot.web.ownership import owned_session
from bot.web.respond import json_response
from bot.web.schemas import SessionInitIn, parse_body
from store import chat
from tools.context import ChatContext
from tools.recommend import recommend_tracks

# a session that is still being opened has no id; nothing reads it before it has one
_OPENING = UUID(int=0)

_STAGE_TEXT = {
    "week1": "First week: 80% personality, 20% popular tracks.",
    "weeks2_4": "Weeks 2-4: 60% personality, 40% listening history.",
    "month2_plus": "Month 2+: 40% history, 40% personality, 20% diversity and novelty.",
}


async def initialize(request: web.Request) -> web.Response:
    started = time.perf_counter()
    services = request.app[services_key]
    user = request[user_key]
    body = await parse_body(request, SessionInitIn)
    if body.session_id is not None:
        await owned_session(services, user, body.session_id)
    ctx = ChatContext(services, user, body.session_id or _OPENING)
    # the same code path as the agent's `recommend` tool; its call opens the fresh history
    summary = await recommend_tracks(ctx, count=services.settings.recommender.list_size,
                                     show=False)
    assert ctx.result is not None  # recommend_tracks always makes a list here
    tracks = ctx.result.tracks
    opening: list[dict[str, Any]] = [
        {"role": "ai", "content": "", "tool_calls": [
            {"name": "recommend", "args": {"count": 50}, "id": "session-start"}]},
        {"role": "tool", "content": summary, "tool_call_id": "session-start"},
    ]
    session_id = await chat.open_session(services.pool, user.id, body.session_id, tracks,
                                         ctx.result.state, opening)
    metadata = dict(ctx.result.metadata)
    metadata["response_time_ms"] = round((time.perf_counter() - started) * 1000, 2)
    target = 10.0 if metadata["cache_status"] == "hit" else 25.0
    metadata["performance_target_met"] = metadata["response_time_ms"] <= target
    personality = ctx.result.personality
    stage = metadata["cold_start_stage"]
    return json_response({
        "success": True,
        "message": f"Session started with {len(tracks)} recommendations.",
        "data": {
            "session_id": str(session_id),
            "recommendations": tracks,
            "metadata": metadata,
            "personality_profile": personality,
            "cold_start_info": {
                "stage": stage,
                "account_age_days": metadata["account_age_days"],
                "listening_history_size": metadata.get("listening_history_size", 0),
                "feedback_events": metadata.get("feedback_events", 0),
                "weights": metadata.get("weights", {}),
                # which rule chose the stage: the account's age, or the evidence (history
                # tracks, feedback events) that moves a new account on sooner
                "reason": metadata.get("cold_start_reason", ""),
                "description": _STAGE_TEXT.get(stage, "")
                + (f" Chosen by {metadata['cold_start_reason']}."
                   if metadata.get("cold_start_reason") else ""),
            },
        },
    })
