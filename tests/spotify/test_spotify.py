"""Spotify against a fake Spotify the tests start: connect, tokens at rest, sync, export, limits."""

from __future__ import annotations

import secrets
import stat
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
import pytest
from cryptography.fernet import Fernet

from services.config import Settings
from store import chat
from tests.conftest import Backends
from tests.fake_spotify import CLIENT_ID, FakeSpotify, track_object
from tests.helpers import new_user, start_session


@pytest.fixture
async def fake(aiohttp_server: Any) -> FakeSpotify:
    spotify = FakeSpotify()
    server = await aiohttp_server(spotify.app())
    spotify.base_url = str(server.make_url("/"))
    return spotify


def spotify_settings(settings: Settings, fake: FakeSpotify, *, per_minute: int = 100,
                     prefix: str | None = None) -> Settings:
    """The test settings pointed at the fake, under a Redis prefix of their own."""
    spotify = settings.spotify.model_copy(update={
        "client_id": CLIENT_ID, "accounts_base": fake.base_url,
        "api_base": fake.base_url + "v1/",
    })
    rates = settings.rate_limits.model_copy(update={"spotify_app_per_minute": per_minute})
    redis = settings.redis.model_copy(update={
        "key_prefix": prefix or f"{settings.redis.key_prefix}sp{secrets.token_hex(3)}:"})
    return settings.model_copy(update={"spotify": spotify, "rate_limits": rates, "redis": redis})


@pytest.fixture
async def make_client(aiohttp_client: Any, backends: Backends, prepared_database: str) -> Any:
    from bot.web.app import init_app

    async def make(settings: Settings) -> Any:
        return await aiohttp_client(init_app(settings, database_url=prepared_database,
                                             redis_url=backends.redis_url))

    return make


@pytest.fixture
async def api(make_client: Any, settings: Settings, fake: FakeSpotify) -> Any:
    return await make_client(spotify_settings(settings, fake))


@dataclass(frozen=True)
class Seeded:
    top_ids: list[str]  # catalogue ids of the first 47 top tracks, in rank order
    isrc_target: str  # the catalogue track the ISRC-only entry must match
    name_target: str  # the catalogue track the name-and-artist entry must match
    recent_only: str  # a catalogue track only in recently played
    unknown_id: str  # a Spotify track that is not in the catalogue


async def seed_fake(pg: asyncpg.Connection, fake: FakeSpotify) -> Seeded:
    """50 top tracks (47 by id, one by ISRC, one by name, one unknown) and 3 recent plays."""
    rows = await pg.fetch(
        """SELECT t.id, t.name, t.artists FROM tracks t
           JOIN (SELECT lower(name) AS n, lower(split_part(artists, ', ', 1)) AS a FROM tracks
                 GROUP BY 1, 2 HAVING count(*) = 1) AS single
             ON lower(t.name) = single.n AND lower(split_part(t.artists, ', ', 1)) = single.a
           ORDER BY t.id LIMIT 50""")
    by_id, isrc_row, name_row, recent_row = rows[:47], rows[47], rows[48], rows[49]
    isrc = "QZTEST" + secrets.token_hex(3).upper()
    await pg.execute("UPDATE tracks SET isrc = $1 WHERE id = $2", isrc, isrc_row["id"])
    unknown_id = "sp" + secrets.token_hex(8)
    fake.top_tracks = [
        *(track_object(r["id"], r["name"], r["artists"].split(", ")) for r in by_id),
        track_object("sp" + secrets.token_hex(8), "Another Title", ["Someone"], isrc=isrc),
        track_object("sp" + secrets.token_hex(8), name_row["name"].upper(),
                     [name_row["artists"].split(", ")[0].upper(), "A Guest"]),
        track_object(unknown_id, "Not In Any Catalogue", ["Nobody Known"]),
    ]
    now = datetime.now(UTC).replace(microsecond=0)
    first = fake.top_tracks[0]
    fake.recent = [
        (first, now - timedelta(minutes=10)),
        (first, now - timedelta(minutes=5)),
        (track_object(recent_row["id"], recent_row["name"], [recent_row["artists"]]),
         now - timedelta(minutes=1)),
    ]
    return Seeded([r["id"] for r in by_id], isrc_row["id"], name_row["id"], recent_row["id"],
                  unknown_id)


async def connect(api: Any, headers: dict[str, str]) -> tuple[Any, str]:
    """Connect as the user through the fake's /authorize; the callback response and its URL."""
    response = await api.post("/api/v1/spotify/connect", headers=headers)
    assert response.status == 200, await response.text()
    authorize_url = (await response.json())["authorize_url"]
    async with api.session.get(authorize_url, allow_redirects=False) as redirect:
        assert redirect.status == 302, await redirect.text()
        location = redirect.headers["Location"]
    parts = urlsplit(location)
    callback = await api.get(f"{parts.path}?{parts.query}",
                             headers={"Accept": "application/json"})
    return callback, location


async def history_counts(api: Any, headers: dict[str, str]) -> dict[str, int]:
    body = await (await api.get("/api/v1/history", headers=headers)).json()
    return {t["track_id"]: t["play_count"] for t in body["tracks"]}


# ------------------------------------------------------------------ the whole journey


async def test_connect_import_and_export(api: Any, fake: FakeSpotify, pg: asyncpg.Connection,
                                         settings: Settings) -> None:
    seeded = await seed_fake(pg, fake)
    user_id, headers = await new_user(api)

    response = await api.post("/api/v1/spotify/connect", headers=headers)
    query = parse_qs(urlsplit((await response.json())["authorize_url"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == [CLIENT_ID]
    callback, location = await connect(api, headers)
    assert callback.status == 200, await callback.text()
    body = await callback.json()
    assert body["connected"] is True and body["spotify_user_id"] == fake.user_id
    assert body["sync_error"] is None

    # tokens at rest: encrypted with the generated key file, never in clear
    key_file = settings.data_dir / "spotify.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    row = await pg.fetchrow("SELECT * FROM spotify_accounts WHERE user_id = $1",
                            uuid.UUID(user_id))
    access, refresh = fake.issued_access[-1], fake.issued_refresh[-1]
    stored = b"".join(bytes(v) for v in row.values() if isinstance(v, bytes))
    assert access.encode() not in stored and refresh.encode() not in stored
    cipher = Fernet(key_file.read_bytes())
    assert cipher.decrypt(row["access_token"]).decode() == access
    assert cipher.decrypt(row["refresh_token"]).decode() == refresh
    assert row["spotify_user_id"] == fake.user_id

    # the first sync: counts by rank, recent plays added, three ways of matching, one unknown
    sync = body["sync"]
    assert sync["synced"] is True
    assert sync["matched_by"] == {"id": 48, "isrc": 1, "name_artist": 1}
    assert [u["spotify_id"] for u in sync["unknown"]] == [seeded.unknown_id]
    assert sync["top_tracks"]["fetched"] == 50 and sync["top_tracks"]["matched"] == 49
    assert sync["recently_played"] == {"fetched": 3, "matched": 3}
    counts = await history_counts(api, headers)
    assert counts[seeded.top_ids[0]] == 50 + 2
    assert counts[seeded.top_ids[1]] == 49
    assert counts[seeded.top_ids[46]] == 4
    assert counts[seeded.isrc_target] == 3
    assert counts[seeded.name_target] == 2
    assert counts[seeded.recent_only] == 1
    assert seeded.unknown_id not in counts and len(counts) == 50
    sources = {r["track_id"]: r["source"] for r in await pg.fetch(
        "SELECT track_id, source FROM listening_history WHERE user_id = $1", uuid.UUID(user_id))}
    assert sources[seeded.recent_only] == "spotify_recent"
    assert sources[seeded.top_ids[5]] == "spotify_top"

    # the next session start sees the history
    session = (await start_session(api, headers))["data"]
    assert session["metadata"]["listening_history_size"] == 50

    # a sync within the refresh interval does nothing; a forced one adds only new plays
    again = await (await api.post("/api/v1/spotify/sync", json={}, headers=headers)).json()
    assert again["synced"] is False and "unless forced" in again["note"]
    fake.recent.append((fake.top_tracks[1], datetime.now(UTC)))
    forced = await api.post("/api/v1/spotify/sync", json={"force": True}, headers=headers)
    assert (await forced.json())["recently_played"] == {"fetched": 1, "matched": 1}
    after = await history_counts(api, headers)
    assert after[seeded.top_ids[1]] == 50 and after[seeded.top_ids[0]] == 52
    assert fake.calls["GET /v1/me/top/tracks"] == 1

    # export the list on screen as a playlist, in order
    exported = await api.post("/api/v1/spotify/export", headers=headers, json={
        "session_id": session["session_id"], "name": "calm evening"})
    assert exported.status == 201, await exported.text()
    playlist = await exported.json()
    assert playlist["tracks"] == 50 and playlist["url"].endswith(playlist["playlist_id"])
    made = fake.playlists[playlist["playlist_id"]]
    assert made.name == "calm evening" and made.public is False
    assert made.uris == [f"spotify:track:{t['track_id']}" for t in session["recommendations"]]

    # tokens only ever travelled in headers, never in a URL
    assert "token" not in location and parse_qs(urlsplit(location).query).keys() == {
        "code", "state"}
    issued = set(fake.issued_access) | set(fake.issued_refresh)
    for request in fake.requests:
        assert request.authorization.removeprefix("Bearer ") in issued
        assert not issued & set(request.query.values())
    refused = await api.get("/api/v1/spotify?access_token=" + access, headers=headers)
    assert refused.status == 400
    status = await (await api.get("/api/v1/spotify", headers=headers)).json()
    assert status["connected"] is True and status["spotify_user_id"] == fake.user_id


async def test_export_sends_at_most_100_uris_per_call(
    api: Any, fake: FakeSpotify, pg: asyncpg.Connection
) -> None:
    await seed_fake(pg, fake)
    _, headers = await new_user(api)
    await connect(api, headers)
    session_id = (await start_session(api, headers))["data"]["session_id"]
    ids = [r["id"] for r in await pg.fetch("SELECT id FROM tracks ORDER BY id LIMIT 230")]
    await chat.set_shown(pg, uuid.UUID(session_id), [{"track_id": i} for i in ids], "default")
    exported = await api.post("/api/v1/spotify/export", headers=headers,
                              json={"session_id": session_id})
    body = await exported.json()
    assert body["tracks"] == 230
    assert fake.calls[f"POST /v1/playlists/{body['playlist_id']}/items"] == 3
    assert fake.playlists[body["playlist_id"]].uris == [f"spotify:track:{i}" for i in ids]
    # another user's session cannot be exported
    _, other = await new_user(api, "bob")
    stolen = await api.post("/api/v1/spotify/export", headers=other,
                            json={"session_id": session_id})
    assert stolen.status == 403


# ------------------------------------------------------------------ the handshake


async def test_state_is_single_use_and_expires(api: Any, fake: FakeSpotify,
                                               pg: asyncpg.Connection) -> None:
    await seed_fake(pg, fake)
    _, headers = await new_user(api)
    first, location = await connect(api, headers)
    assert first.status == 200
    parts = urlsplit(location)
    reused = await api.get(f"{parts.path}?{parts.query}")
    assert reused.status == 400
    error = (await reused.json())["error"]
    assert error["field"] == "state" and "already used" in error["message"]
    made_up = await api.get("/api/v1/spotify/callback?code=x&state=not-a-state")
    assert made_up.status == 400

    response = await api.post("/api/v1/spotify/connect", headers=headers)
    state = parse_qs(urlsplit((await response.json())["authorize_url"]).query)["state"][0]
    await pg.execute("UPDATE spotify_auth_states SET expires_at = now() - interval '1 second'"
                     " WHERE state = $1", state)
    expired = await api.get(f"/api/v1/spotify/callback?code=x&state={state}")
    assert expired.status == 400
    assert "expired" in (await expired.json())["error"]["message"]

    # the user declines on Spotify's page: 400, and that link is spent too
    response = await api.post("/api/v1/spotify/connect", headers=headers)
    state = parse_qs(urlsplit((await response.json())["authorize_url"]).query)["state"][0]
    declined = await api.get(f"/api/v1/spotify/callback?error=access_denied&state={state}")
    assert declined.status == 400 and (await declined.json())["error"]["field"] == "error"
    assert await pg.fetchval("SELECT count(*) FROM spotify_auth_states WHERE state = $1",
                             state) == 0


async def test_the_fake_checks_the_pkce_verifier(api: Any, fake: FakeSpotify,
                                                 pg: asyncpg.Connection,
                                                 settings: Settings) -> None:
    _, headers = await new_user(api)
    response = await api.post("/api/v1/spotify/connect", headers=headers)
    authorize_url = (await response.json())["authorize_url"]
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]
    wrong = Fernet((settings.data_dir / "spotify.key").read_bytes()).encrypt(b"x" * 64)
    await pg.execute("UPDATE spotify_auth_states SET code_verifier = $1 WHERE state = $2",
                     wrong, state)
    async with api.session.get(authorize_url, allow_redirects=False) as redirect:
        parts = urlsplit(redirect.headers["Location"])
    refused = await api.get(f"{parts.path}?{parts.query}")
    assert refused.status == 400
    assert "code_verifier" in (await refused.json())["error"]["message"]
    assert fake.issued_access == []


async def test_connect_without_a_client_id_is_a_clear_503(client: Any) -> None:
    _, headers = await new_user(client)
    response = await client.post("/api/v1/spotify/connect", headers=headers)
    assert response.status == 503
    assert "spotify.client_id" in (await response.json())["error"]["message"]


# ------------------------------------------------------------------ retries, refresh, limits


async def test_a_short_retry_after_is_honoured(api: Any, fake: FakeSpotify,
                                               pg: asyncpg.Connection) -> None:
    await seed_fake(pg, fake)
    _, headers = await new_user(api)
    await connect(api, headers)
    before = fake.calls["GET /v1/me/player/recently-played"]
    fake.throttle(1, retry_after=1)
    response = await api.post("/api/v1/spotify/sync", json={"force": True}, headers=headers)
    assert response.status == 200, await response.text()
    assert fake.throttled == 1
    assert fake.calls["GET /v1/me/player/recently-played"] == before + 2


async def test_a_long_retry_after_fails_clearly_instead_of_sleeping(
    api: Any, fake: FakeSpotify, pg: asyncpg.Connection
) -> None:
    await seed_fake(pg, fake)
    _, headers = await new_user(api)
    await connect(api, headers)
    before = sum(fake.calls.values())
    fake.throttle(5, retry_after=3600)
    response = await api.post("/api/v1/spotify/sync", json={"force": True}, headers=headers)
    assert response.status == 503
    assert response.headers["Retry-After"] == "3600"
    message = (await response.json())["error"]["message"]
    assert "3600" in message and "max_retry_after_s" in message
    assert sum(fake.calls.values()) == before + 1  # one attempt, no retry


async def test_a_failed_first_sync_imports_nothing_and_the_retry_reuses_cached_answers(
    api: Any, fake: FakeSpotify, pg: asyncpg.Connection
) -> None:
    await seed_fake(pg, fake)
    _, headers = await new_user(api)
    fake.throttle(1, retry_after=3600, path="/v1/me/player/recently-played")
    callback, _ = await connect(api, headers)
    body = await callback.json()
    assert body["connected"] is True and body["sync"] is None
    assert "3600" in body["sync_error"]
    assert await history_counts(api, headers) == {}  # nothing half-imported
    # the retry is due (the import never finished); the top tracks come from the Redis cache
    retried = await api.post("/api/v1/spotify/sync", json={}, headers=headers)
    assert (await retried.json())["synced"] is True
    assert fake.calls["GET /v1/me/top/tracks"] == 1
    assert fake.calls["GET /v1/me/player/recently-played"] == 2
    assert len(await history_counts(api, headers)) == 50
    metrics = await (await api.get("/api/v1/metrics", headers=headers)).json()
    assert metrics["cache"]["spotify"]["hits"] >= 1


async def test_an_expired_access_token_is_refreshed(api: Any, fake: FakeSpotify,
                                                    pg: asyncpg.Connection,
                                                    settings: Settings) -> None:
    await seed_fake(pg, fake)
    user_id, headers = await new_user(api)
    await connect(api, headers)
    cipher = Fernet((settings.data_dir / "spotify.key").read_bytes())

    # Spotify says the token expired (401): refresh once, retry, store the rotated tokens
    fake.expire_tokens()
    response = await api.post("/api/v1/spotify/sync", json={"force": True}, headers=headers)
    assert response.status == 200, await response.text()
    assert fake.calls["POST /api/token refresh_token"] == 1
    assert fake.rejected_tokens == 1
    row = await pg.fetchrow("SELECT * FROM spotify_accounts WHERE user_id = $1",
                            uuid.UUID(user_id))
    assert cipher.decrypt(row["access_token"]).decode() == fake.issued_access[-1]
    assert cipher.decrypt(row["refresh_token"]).decode() == fake.issued_refresh[-1]

    # our own record says it expired: refresh before calling, so Spotify never says 401
    await pg.execute("UPDATE spotify_accounts SET expires_at = now() - interval '1 minute'"
                     " WHERE user_id = $1", uuid.UUID(user_id))
    response = await api.post("/api/v1/spotify/sync", json={"force": True}, headers=headers)
    assert response.status == 200
    assert fake.calls["POST /api/token refresh_token"] == 2
    assert fake.rejected_tokens == 1


async def test_the_app_wide_spotify_budget_is_shared_through_redis(
    make_client: Any, settings: Settings, fake: FakeSpotify, pg: asyncpg.Connection
) -> None:
    await seed_fake(pg, fake)
    prefix = f"{settings.redis.key_prefix}budget{secrets.token_hex(3)}:"
    limited = spotify_settings(settings, fake, per_minute=5, prefix=prefix)
    first, second = await make_client(limited), await make_client(limited)
    _, headers = await new_user(first)
    # token exchange, /me, top tracks, recently played: four calls through the first app
    callback, _ = await connect(first, headers)
    assert callback.status == 200
    assert sum(fake.calls.values()) == 4
    fifth = await second.post("/api/v1/spotify/sync", json={"force": True}, headers=headers)
    assert fifth.status == 200, await fifth.text()
    for client in (first, second):
        refused = await client.post("/api/v1/spotify/sync", json={"force": True},
                                    headers=headers)
        assert refused.status == 503
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert "5 calls to Spotify" in (await refused.json())["error"]["message"]
    assert sum(fake.calls.values()) == 5


# ------------------------------------------------------------------ disconnecting


async def test_disconnect_deletes_the_tokens(api: Any, fake: FakeSpotify,
                                             pg: asyncpg.Connection) -> None:
    await seed_fake(pg, fake)
    user_id, headers = await new_user(api)
    await connect(api, headers)
    gone = await api.delete("/api/v1/spotify", headers=headers)
    assert (await gone.json()) == {"disconnected": True}
    assert await pg.fetchval("SELECT count(*) FROM spotify_accounts WHERE user_id = $1",
                             uuid.UUID(user_id)) == 0
    sync = await api.post("/api/v1/spotify/sync", json={}, headers=headers)
    assert sync.status == 409
    again = await api.delete("/api/v1/spotify", headers=headers)
    assert (await again.json()) == {"disconnected": False}
    # the history already imported stays: it is the user's, not Spotify's session
    assert len(await history_counts(api, headers)) == 50


async def test_the_spotify_routes_are_in_the_openapi_document(api: Any) -> None:
    document = await (await api.get("/api/v1/openapi.json")).json()
    paths = document["paths"]
    assert "post" in paths["/api/v1/spotify/connect"]
    assert "security" not in paths["/api/v1/spotify/callback"]["get"]
    assert "requestBody" in paths["/api/v1/spotify/export"]["post"]
    assert "delete" in paths["/api/v1/spotify"]
