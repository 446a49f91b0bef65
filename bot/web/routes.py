"""Every route of the service, in one table that also feeds the OpenAPI document."""

from __future__ import annotations

from aiohttp import web

from bot.web import schemas
from bot.web.handlers import chat, feedback, health, meta, profile, session, spotify, users
from bot.web.handlers.page import setup_page_routes
from bot.web.metrics import prometheus
from bot.web.openapi import Route, build_openapi
from bot.web.respond import json_response

ROUTES: list[Route] = [
    Route("GET", "/health", health.health, "Each dependency's state",
          response=schemas.HealthOut, public=True),
    Route("GET", "/api/v1/health", health.health, "Each dependency's state",
          response=schemas.HealthOut, public=True),
    Route("POST", "/api/v1/users", users.create, "Create a user; returns the API token once",
          schemas.CreateUserIn, schemas.CreateUserOut, 201, public=True),
    Route("GET", "/api/v1/me", users.me, "The calling user"),
    Route("POST", "/api/v1/chat/session/initialize", session.initialize,
          "Start (or restart) a chat session with 50 recommendations",
          schemas.SessionInitIn, schemas.SessionInitOut),
    Route("POST", "/api/v1/chat/message", chat.message,
          "Send a chat message; the agent replies, with the tools it used and any new list",
          schemas.ChatMessageIn, schemas.ChatReplyOut),
    Route("GET", "/api/v1/chat/ws", chat.websocket,
          "WebSocket: first frame {type: auth, token}, then {type: message, session_id, "
          "message}; streams action, reply_chunk and done frames", public=True, also=(101,)),
    Route("PUT", "/api/v1/personality", profile.set_personality,
          "Set the Big Five profile: 44 BFI answers or five trait scores",
          schemas.PersonalityIn, schemas.PersonalityOut, body_required=True),
    Route("GET", "/api/v1/personality/questionnaire", profile.questionnaire,
          "The 44 questionnaire items (wording written here, scored by the BFI-44 key) and "
          "the 1–5 agreement scale", response=schemas.QuestionnaireOut, public=True),
    Route("GET", "/api/v1/personality", profile.get_personality, "The active Big Five profile",
          response=schemas.PersonalityOut),
    Route("POST", "/api/v1/history", profile.import_history,
          "Add plays to the listening history (unknown track ids are reported)",
          schemas.HistoryIn, schemas.HistoryImportOut),
    Route("GET", "/api/v1/history", profile.get_history, "The listening history, most played first",
          response=schemas.HistoryOut),
    Route("POST", "/api/v1/feedback", feedback.record,
          "Record feedback on a track (idempotent by event_id); 201 new, 200 repeated",
          schemas.FeedbackIn, schemas.FeedbackOut, 201, also=(200, 409)),
    Route("POST", "/api/v1/feedback/{event_id}/undo", feedback.undo,
          "Undo a feedback event: a new event with the opposite reward cancels it (the "
          "history keeps both); 201 new, 200 already undone", response=schemas.FeedbackOut,
          status=201, also=(200, 409)),
    Route("GET", "/api/v1/feedback", feedback.recent, "The user's recent feedback events",
          response=schemas.FeedbackListOut),
    Route("GET", "/api/v1/metrics", meta.metrics, "Cache hit/miss counts and catalogue size"),
    Route("GET", "/metrics", prometheus,
          "Prometheus metrics of every worker of this host, in the text format", public=True),
    Route("POST", "/api/v1/spotify/connect", spotify.connect,
          "Start connecting Spotify (PKCE): the URL to send the user to; 503 if unconfigured",
          response=schemas.SpotifyConnectOut, also=(409, 502)),
    Route("GET", "/api/v1/spotify/callback", spotify.callback,
          "Spotify's redirect (?code&state): stores the tokens encrypted, runs a first sync; "
          "HTML, or JSON with Accept: application/json",
          response=schemas.SpotifyCallbackOut, public=True, also=(409, 502),
          query=(("state", True, "the single-use state of the connect link"),
                 ("code", False, "Spotify's authorization code (absent on refusal)"),
                 ("error", False, "why Spotify did not authorize"))),
    Route("GET", "/api/v1/spotify", spotify.status, "Whether Spotify is connected",
          response=schemas.SpotifyStatusOut, also=(409, 502)),
    Route("POST", "/api/v1/spotify/sync", spotify.sync,
          "Import top tracks and recent plays into the listening history (every 6 h unless "
          "forced); unknown tracks are reported", schemas.SpotifySyncIn, schemas.SpotifySyncOut,
          also=(409, 502)),
    Route("POST", "/api/v1/spotify/export", spotify.export,
          "Save a session's current list as a private Spotify playlist",
          schemas.SpotifyExportIn, schemas.SpotifyExportOut, 201, also=(409, 502)),
    Route("DELETE", "/api/v1/spotify", spotify.disconnect,
          "Disconnect Spotify: the stored tokens are deleted",
          response=schemas.SpotifyDisconnectOut, also=(409, 502)),
]


def setup_routes(app: web.Application, extra: list[Route] | None = None) -> None:
    routes = ROUTES + (extra or [])
    for route in routes:
        if route.method == "GET":  # and HEAD, which every GET resource answers (RFC 9110)
            app.router.add_get(route.path, route.handler)
        else:
            app.router.add_route(route.method, route.path, route.handler)
    document = build_openapi(routes)

    async def openapi(request: web.Request) -> web.Response:
        return json_response(document)

    app.router.add_get("/api/v1/openapi.json", openapi)
    setup_page_routes(app)

