"""Spotify in domain terms: connect an account, import its history, export a list.

One ``SpotifyService`` per worker, built at start-up (``bot.web.app``'s ``spotify_ctx``) and
kept on the app under ``spotify_key``. It joins the client side (``bot.spotify.client``), the SQL
(``store.spotify``, ``store.profile``) and the catalogue the tracks are matched against.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from cryptography.fernet import Fernet

from bot.spotify.client import (
    SpotifyApi,
    SpotifyError,
    SpotifyTokenRejected,
    authorize_url,
    decrypt,
    exchange_code,
    refresh_tokens,
    token_expiring,
)
from services.config import Settings
from services.core import Services
from store import chat, profile
from store import spotify as store
from store.users import User

# Spotify accepts at most this many URIs per "add items to playlist" call
PLAYLIST_CHUNK = 100
HISTORY_LIMIT = 50  # the most either history endpoint returns in one page


class SpotifyNotConfigured(SpotifyError):
    """No ``spotify.client_id``: connecting is impossible."""


class SpotifyNotConnected(SpotifyError):
    """The user has no Spotify account connected."""


class InvalidState(SpotifyError):
    """The callback's ``state`` is unknown, already used or expired."""


class EmptyList(SpotifyError):
    """The session has no list on screen to export."""


@dataclass
class SyncReport:
    synced: bool
    last_synced_at: str | None
    imported: int = 0
    top_tracks: dict[str, Any] = field(default_factory=dict)
    recently_played: dict[str, Any] = field(default_factory=dict)
    matched_by: dict[str, int] = field(default_factory=dict)
    unknown: list[dict[str, str]] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "synced": self.synced, "last_synced_at": self.last_synced_at,
            "imported": self.imported, "top_tracks": self.top_tracks,
            "recently_played": self.recently_played, "matched_by": self.matched_by,
            "unknown": self.unknown, "note": self.note,
        }


class SpotifyService:
    def __init__(self, settings: Settings, services: Services, api: SpotifyApi,
                 cipher: Fernet) -> None:
        self.settings = settings
        self.services = services
        self.pool = services.pool
        self.api = api
        self.cipher = cipher

    def _seal(self, secret: str) -> bytes:
        return self.cipher.encrypt(secret.encode())

    def _require_configured(self) -> None:
        if not self.settings.spotify.client_id:
            raise SpotifyNotConfigured(
                "Spotify is not configured on this server: set spotify.client_id "
                "(SPOTIFY_CLIENT_ID) and spotify.redirect_uri; see docs/SPOTIFY.md")

    # ------------------------------------------------------------ connecting

    async def connect_url(self, user: User) -> str:
        """A fresh single-use ``state`` bound to the user, and the URL to authorize at."""
        self._require_configured()
        state = secrets.token_urlsafe(32)
        url, verifier = authorize_url(self.settings, state)
        await store.save_auth_state(self.pool, state, user.id, self._seal(verifier),
                                    self.settings.spotify.state_ttl_s)
        return url

    async def complete(self, code: str, state: str) -> tuple[User, str]:
        """Spotify's redirect: consume the state, trade the code, store the tokens sealed.

        A made-up state is refused first (400), whether or not Spotify is configured: only a
        real one can make the missing configuration matter (503).
        """
        taken = await store.take_auth_state(self.pool, state)
        if taken is None:
            raise InvalidState("unknown or already used 'state'; start again from "
                               "POST /api/v1/spotify/connect")
        if taken["expired"]:
            raise InvalidState("this 'state' has expired; start again from "
                               "POST /api/v1/spotify/connect")
        self._require_configured()
        user = User(taken["user_id"], taken["display_name"], taken["created_at"])
        verifier = decrypt(self.cipher, taken["code_verifier"])
        tokens = await self.api.guarded(
            lambda: exchange_code(self.settings, code, verifier), idempotent=False)
        me = await self.api.call(tokens.access_token, "me")
        await store.save_account(
            self.pool, user.id, spotify_user_id=str(me["id"]),
            access_token=self._seal(tokens.access_token),
            refresh_token=self._seal(tokens.refresh_token),
            expires_at=tokens.expires_at, scope=tokens.scope,
        )
        return user, str(me["id"])

    async def abandon(self, state: str) -> None:
        """Spend a state whose authorization the user declined."""
        await store.take_auth_state(self.pool, state)

    async def status(self, user: User) -> dict[str, Any]:
        account = await store.account(self.pool, user.id)
        configured = bool(self.settings.spotify.client_id)
        if account is None:
            return {"configured": configured, "connected": False}
        return {
            "configured": configured,
            "connected": True,
            "spotify_user_id": account["spotify_user_id"],
            "scope": account["scope"],
            "connected_at": account["connected_at"].isoformat(),
            "last_synced_at": _iso(account["last_synced_at"]),
        }

    async def disconnect(self, user: User) -> bool:
        spotify_user_id = await store.delete_account(self.pool, user.id)
        if spotify_user_id is None:
            return False
        await self.api.forget(spotify_user_id)
        return True

    # ------------------------------------------------------------ tokens

    async def _account(self, user_id: UUID) -> Any:
        account = await store.account(self.pool, user_id)
        if account is None:
            raise SpotifyNotConnected("no Spotify account is connected; "
                                      "POST /api/v1/spotify/connect first")
        return account

    async def _access_token(self, user_id: UUID, *, rejected: str | None = None) -> str:
        """A usable access token, refreshed first when it is expiring or was just rejected.

        The refresh happens under a row lock, so two workers never spend one refresh token
        twice; the second finds the first one's new token and uses it.
        """
        account = await self._account(user_id)
        current = decrypt(self.cipher, account["access_token"])
        if rejected is None and not token_expiring(account["expires_at"]):
            return current
        async with self.pool.acquire() as conn, conn.transaction():
            locked = await store.lock_account(conn, user_id)
            if locked is None:
                raise SpotifyNotConnected("the Spotify account was disconnected")
            current = decrypt(self.cipher, locked["access_token"])
            if current != rejected and not token_expiring(locked["expires_at"]):
                return current  # somebody refreshed while we waited for the lock
            refresh = decrypt(self.cipher, locked["refresh_token"])
            tokens = await self.api.guarded(
                lambda: refresh_tokens(self.settings, refresh), idempotent=False)
            await store.update_tokens(
                conn, user_id, access_token=self._seal(tokens.access_token),
                refresh_token=self._seal(tokens.refresh_token),
                expires_at=tokens.expires_at, scope=tokens.scope or locked["scope"],
            )
            return tokens.access_token

    async def _call(self, user_id: UUID, method: str, *args: Any,
                    cache_owner: str | None = None, fresh: bool = False, **kwargs: Any) -> Any:
        """A Web API call as the user; one refresh-and-retry when the token is rejected."""
        token = await self._access_token(user_id)
        try:
            return await self.api.call(token, method, *args, cache_owner=cache_owner,
                                       fresh=fresh, **kwargs)
        except SpotifyTokenRejected:
            token = await self._access_token(user_id, rejected=token)
            return await self.api.call(token, method, *args, cache_owner=cache_owner,
                                       fresh=fresh, **kwargs)

    # ------------------------------------------------------------ history

    async def sync(self, user: User, *, force: bool = False) -> SyncReport:
        """Import top tracks (once per ``history_refresh_s``) and new recent plays.

        Top tracks count by rank (the first of n counts n plays, the last one); each recent
        play counts one. Tracks are matched by id, then ISRC, then name and first artist;
        the rest are reported as unknown, never added.
        """
        account = await self._account(user.id)
        owner = account["spotify_user_id"]
        now = datetime.now(UTC)
        last = account["last_synced_at"]
        every = self.settings.spotify.history_refresh_s
        due = last is None or (now - last).total_seconds() >= every
        if not due and not force:
            return SyncReport(
                synced=False, last_synced_at=_iso(last),
                note=f"synced {int((now - last).total_seconds())} s ago; history refreshes "
                     f"every {every} s unless forced")
        top: list[dict[str, Any]] = []
        if due:
            page = await self._call(user.id, "current_user_top_tracks", limit=HISTORY_LIMIT,
                                    time_range="medium_term", cache_owner=owner, fresh=force)
            top = [t for t in (page or {}).get("items", []) if t and t.get("id")]
        cursor = account["recent_played_at"]
        after_ms = None if cursor is None else int(cursor.timestamp() * 1000)
        page = await self._call(user.id, "current_user_recently_played", limit=HISTORY_LIMIT,
                                after=after_ms, cache_owner=owner, fresh=force)
        plays = [(p["track"], _parse_time(p["played_at"]))
                 for p in (page or {}).get("items", []) if p.get("track", {}).get("id")]
        plays = [(track, when) for track, when in plays if cursor is None or when > cursor]

        matches = await self._match([*top, *(track for track, _ in plays)])
        top_counts: Counter[str] = Counter()
        for rank, track in enumerate(top):
            if track["id"] in matches:
                top_counts[matches[track["id"]][0]] += len(top) - rank
        recent_counts: Counter[str] = Counter()
        last_played: dict[str, datetime] = {}
        for track, when in plays:
            if track["id"] in matches:
                tid = matches[track["id"]][0]
                recent_counts[tid] += 1
                last_played[tid] = max(when, last_played.get(tid, when))
        newest = max((when for _, when in plays), default=None)
        async with self.pool.acquire() as conn, conn.transaction():
            await profile.add_history(conn, user.id, [(t, n, None) for t, n in top_counts.items()],
                                      source="spotify_top")
            await profile.add_history(
                conn, user.id, [(t, n, last_played[t]) for t, n in recent_counts.items()],
                source="spotify_recent")
            await store.mark_synced(conn, user.id, top_tracks=due, recent_played_at=newest)
        if top_counts or recent_counts:
            await self.services.invalidate(user)

        unknown: dict[str, dict[str, str]] = {}
        for track in [*top, *(track for track, _ in plays)]:
            if track["id"] not in matches:
                unknown[track["id"]] = {"spotify_id": track["id"], "name": track.get("name", ""),
                                        "artists": ", ".join(_artist_names(track))}
        return SyncReport(
            synced=True,
            last_synced_at=_iso(now if due else last),
            imported=len(set(top_counts) | set(recent_counts)),
            top_tracks={"fetched": len(top), "matched": sum(t["id"] in matches for t in top),
                        "due": due},
            recently_played={"fetched": len(plays),
                             "matched": sum(t["id"] in matches for t, _ in plays)},
            matched_by=dict(Counter(how for _, how in matches.values())),
            unknown=list(unknown.values()),
        )

    async def _match(self, tracks: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
        """Spotify id -> (catalogue id, how it matched: 'id', 'isrc' or 'name_artist')."""
        row_of = self.services.catalog.row_of
        matches: dict[str, tuple[str, str]] = {}
        pending: dict[str, dict[str, Any]] = {}
        for track in tracks:
            if track["id"] in row_of:
                matches[track["id"]] = (track["id"], "id")
            else:
                pending[track["id"]] = track
        # the ISRC is gone from development-mode apps' answers since Feb 2026: used when present
        isrc_of = {sid: str(t.get("external_ids", {}).get("isrc") or "").upper()
                   for sid, t in pending.items()}
        by_isrc = await store.tracks_by_isrc(self.pool, [c for c in isrc_of.values() if c])
        for sid, code in isrc_of.items():
            if code and code in by_isrc and by_isrc[code] in row_of:
                matches[sid] = (by_isrc[code], "isrc")
                del pending[sid]
        key_of = {sid: _name_key(t) for sid, t in pending.items()}
        by_name = await store.tracks_by_name_artist(
            self.pool, sorted({k for k in key_of.values() if k is not None}))
        for sid, key in key_of.items():
            if key is not None and key in by_name and by_name[key] in row_of:
                matches[sid] = (by_name[key], "name_artist")
        return matches

    # ------------------------------------------------------------ export

    async def export(self, user: User, session_id: UUID, name: str | None) -> dict[str, Any]:
        """The session's list on screen as a new private playlist, in order."""
        await self._account(user.id)
        shown, _ = await chat.shown(self.pool, session_id)
        if not shown:
            raise EmptyList("this session has no list yet; start the session or ask for "
                            "recommendations first")
        uris = [f"spotify:track:{track['track_id']}" for track in shown]
        title = name or f"tunemate {datetime.now(UTC):%Y-%m-%d %H:%M}"
        playlist = await self._call(
            user.id, "current_user_playlist_create", title, public=False,
            description=f"{len(uris)} tracks recommended by tunemate")
        for start in range(0, len(uris), PLAYLIST_CHUNK):
            await self._call(user.id, "playlist_add_items", playlist["id"],
                             uris[start:start + PLAYLIST_CHUNK])
        return {"playlist_id": playlist["id"],
                "url": playlist.get("external_urls", {}).get("spotify", ""),
                "tracks": len(uris)}


def _artist_names(track: dict[str, Any]) -> list[str]:
    return [a.get("name", "") for a in track.get("artists") or [] if a.get("name")]


def _name_key(track: dict[str, Any]) -> tuple[str, str] | None:
    artists = _artist_names(track)
    name = (track.get("name") or "").strip().lower()
    if not name or not artists:
        return None
    return name, artists[0].strip().lower()


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat()
