"""A small fake of Spotify's accounts service and Web API, for the tests to start.

It imitates what tunemate uses: ``/authorize`` (redirects back with a code),
``/api/token`` (authorization_code with a real S256 PKCE check, and refresh_token with
rotation), and under ``/v1``: ``me``, ``me/top/tracks``, ``me/player/recently-played``,
``me/playlists`` and ``playlists/{id}/items``. The endpoints Spotify removed in February 2026
(``users/{id}/playlists``, ``playlists/{id}/tracks``) answer 403 as Spotify does now.

Knobs: ``throttle(calls, retry_after, path)`` answers the next ``calls`` Web API requests
(to ``path``, or any) with 429,
``expire_tokens()`` makes every access token issued so far expired; ``calls`` counts
requests by ``"METHOD /path"``, ``requests`` records each Web API request.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

CLIENT_ID = "tunemate-test-client"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    authorization: str


@dataclass
class Playlist:
    id: str
    name: str
    public: bool
    uris: list[str] = field(default_factory=list)


def track_object(track_id: str, name: str, artists: list[str],
                 isrc: str | None = None) -> dict[str, Any]:
    track: dict[str, Any] = {
        "id": track_id, "name": name, "uri": f"spotify:track:{track_id}",
        "artists": [{"name": a, "id": f"artist{i}"} for i, a in enumerate(artists)],
    }
    if isrc is not None:
        track["external_ids"] = {"isrc": isrc}
    return track


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _api_error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": {"status": status, "message": message}}, status=status,
                             headers=headers)


class FakeSpotify:
    def __init__(self, user_id: str = "fakeuser") -> None:
        self.user_id = user_id
        self.base_url = ""  # set once the server listens: accounts at /, the Web API at /v1/
        self.top_tracks: list[dict[str, Any]] = []
        self.recent: list[tuple[dict[str, Any], datetime]] = []  # (track, played_at)
        self.playlists: dict[str, Playlist] = {}
        self.calls: Counter[str] = Counter()
        self.requests: list[RecordedRequest] = []
        self.issued_access: list[str] = []
        self.issued_refresh: list[str] = []
        self._codes: dict[str, dict[str, str]] = {}
        self._access: dict[str, bool] = {}  # token -> still valid
        self._refresh: set[str] = set()
        self._throttle_left = 0
        self._retry_after = 1
        self._throttle_path: str | None = None
        self.throttled = 0
        self.rejected_tokens = 0

    # ------------------------------------------------------------ knobs

    def throttle(self, calls: int, retry_after: int, path: str | None = None) -> None:
        """429 for the next ``calls`` Web API requests (to ``path`` only, when given)."""
        self._throttle_left, self._retry_after, self._throttle_path = calls, retry_after, path

    def expire_tokens(self) -> None:
        self._access = dict.fromkeys(self._access, False)

    # ------------------------------------------------------------ accounts

    async def on_authorize(self, request: web.Request) -> web.Response:
        q = request.query
        if q.get("client_id") != CLIENT_ID or q.get("response_type") != "code":
            return web.Response(status=400, text="bad client_id or response_type")
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return web.Response(status=400, text="PKCE with S256 is required")
        code = secrets.token_urlsafe(16)
        self._codes[code] = {"challenge": q["code_challenge"],
                             "redirect_uri": q["redirect_uri"], "scope": q.get("scope", "")}
        back = {"code": code}
        if "state" in q:
            back["state"] = q["state"]
        raise web.HTTPFound(f"{q['redirect_uri']}?{urlencode(back)}")

    async def on_token(self, request: web.Request) -> web.Response:
        form = await request.post()
        grant = str(form.get("grant_type", ""))
        self.calls[f"POST /api/token {grant}"] += 1
        if form.get("client_id") != CLIENT_ID:
            return self._oauth_error("invalid_client", "unknown client")
        if grant == "authorization_code":
            issued = self._codes.pop(str(form.get("code", "")), None)
            if issued is None:
                return self._oauth_error("invalid_grant", "invalid authorization code")
            if form.get("redirect_uri") != issued["redirect_uri"]:
                return self._oauth_error("invalid_grant", "invalid redirect uri")
            if _challenge(str(form.get("code_verifier", ""))) != issued["challenge"]:
                return self._oauth_error("invalid_grant", "code_verifier was incorrect")
            return web.json_response(self._issue(issued["scope"]))
        if grant == "refresh_token":
            refresh = str(form.get("refresh_token", ""))
            if refresh not in self._refresh:
                return self._oauth_error("invalid_grant", "invalid refresh token")
            self._refresh.discard(refresh)  # rotated: the old one is spent
            return web.json_response(self._issue("user-top-read"))
        return self._oauth_error("unsupported_grant_type", str(grant))

    def _issue(self, scope: str) -> dict[str, Any]:
        access, refresh = "fake-at-" + secrets.token_hex(16), "fake-rt-" + secrets.token_hex(16)
        self._access[access] = True
        self._refresh.add(refresh)
        self.issued_access.append(access)
        self.issued_refresh.append(refresh)
        return {"access_token": access, "token_type": "Bearer", "scope": scope,
                "expires_in": 3600, "refresh_token": refresh}

    @staticmethod
    def _oauth_error(error: str, description: str) -> web.Response:
        return web.json_response({"error": error, "error_description": description}, status=400)

    # ------------------------------------------------------------ Web API

    @web.middleware
    async def web_api_guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith("/v1/"):
            return await handler(request)
        self.calls[f"{request.method} {request.path}"] += 1
        self.requests.append(RecordedRequest(request.method, request.path, dict(request.query),
                                             request.headers.get("Authorization", "")))
        if self._throttle_left > 0 and self._throttle_path in (None, request.path):
            self._throttle_left -= 1
            self.throttled += 1
            return _api_error(429, "API rate limit exceeded",
                              {"Retry-After": str(self._retry_after)})
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self._access:
            self.rejected_tokens += 1
            return _api_error(401, "Invalid access token")
        if not self._access[token]:
            self.rejected_tokens += 1
            return _api_error(401, "The access token expired")
        return await handler(request)

    async def on_me(self, request: web.Request) -> web.Response:
        return web.json_response({"id": self.user_id, "display_name": "Fake User",
                                  "uri": f"spotify:user:{self.user_id}"})

    async def on_top_tracks(self, request: web.Request) -> web.Response:
        limit = min(50, int(request.query.get("limit", "20")))
        offset = int(request.query.get("offset", "0"))
        return web.json_response({"items": self.top_tracks[offset:offset + limit],
                                  "total": len(self.top_tracks), "limit": limit,
                                  "offset": offset})

    async def on_recently_played(self, request: web.Request) -> web.Response:
        limit = min(50, int(request.query.get("limit", "20")))
        after = request.query.get("after")
        plays = sorted(self.recent, key=lambda p: p[1], reverse=True)
        if after is not None:
            plays = [p for p in plays if p[1].timestamp() * 1000 > int(after)]
        items = [{"track": track, "played_at": when.isoformat().replace("+00:00", "Z")}
                 for track, when in plays[:limit]]
        return web.json_response({"items": items, "limit": limit})

    async def on_create_playlist(self, request: web.Request) -> web.Response:
        body = await request.json()
        playlist = Playlist("pl" + secrets.token_hex(8), body["name"], bool(body.get("public")))
        self.playlists[playlist.id] = playlist
        return web.json_response({
            "id": playlist.id, "name": playlist.name, "uri": f"spotify:playlist:{playlist.id}",
            "external_urls": {"spotify": f"https://open.spotify.com/playlist/{playlist.id}"},
        }, status=201)

    async def on_add_items(self, request: web.Request) -> web.Response:
        playlist = self.playlists.get(request.match_info["playlist_id"])
        if playlist is None:
            return _api_error(404, "Not found.")
        body = json.loads(await request.text())
        uris = body if isinstance(body, list) else body.get("uris", [])
        if len(uris) > 100:
            return _api_error(400, "You can add a maximum of 100 tracks per request.")
        playlist.uris.extend(uris)
        return web.json_response({"snapshot_id": secrets.token_hex(8)}, status=201)

    async def on_removed(self, request: web.Request) -> web.Response:
        return _api_error(403, "This endpoint was removed in February 2026")

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self.web_api_guard])
        app.router.add_get("/authorize", self.on_authorize)
        app.router.add_post("/api/token", self.on_token)
        app.router.add_get("/v1/me", self.on_me)
        app.router.add_get("/v1/me/", self.on_me)  # spotipy asks for "me/"
        app.router.add_get("/v1/me/top/tracks", self.on_top_tracks)
        app.router.add_get("/v1/me/player/recently-played", self.on_recently_played)
        app.router.add_post("/v1/me/playlists", self.on_create_playlist)
        app.router.add_post("/v1/playlists/{playlist_id}/items", self.on_add_items)
        app.router.add_post("/v1/users/{user_id}/playlists", self.on_removed)
        app.router.add_post("/v1/playlists/{playlist_id}/tracks", self.on_removed)
        return app
