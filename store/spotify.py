"""SQL for ``spotify_accounts`` and ``spotify_auth_states``, and for matching Spotify tracks.

Tokens and code verifiers arrive here already encrypted (``bytea``); this module never sees
them in clear. Matching reads ``tracks`` by ISRC and by lower-case name and first artist,
the two look-ups the catalogue's indexes were made for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeAlias
from uuid import UUID

import asyncpg

Conn: TypeAlias = asyncpg.Pool | asyncpg.Connection


# ------------------------------------------------------------------ PKCE handshakes


async def save_auth_state(conn: Conn, state: str, user_id: UUID, code_verifier: bytes,
                          ttl_s: int) -> None:
    """A new handshake; the expired ones of anybody are swept on the way."""
    await conn.execute("DELETE FROM spotify_auth_states WHERE expires_at < now()")
    await conn.execute(
        """INSERT INTO spotify_auth_states (state, user_id, code_verifier, expires_at)
           VALUES ($1, $2, $3, now() + make_interval(secs => $4))""",
        state, user_id, code_verifier, float(ttl_s),
    )


async def take_auth_state(conn: Conn, state: str) -> asyncpg.Record | None:
    """Consume a handshake (single use): its user, the encrypted verifier, and ``expired``."""
    return await conn.fetchrow(
        """WITH taken AS (
               DELETE FROM spotify_auth_states WHERE state = $1
               RETURNING user_id, code_verifier, expires_at <= now() AS expired)
           SELECT taken.*, users.display_name, users.created_at
           FROM taken JOIN users ON users.id = taken.user_id""",
        state,
    )


# ------------------------------------------------------------------ accounts

_ACCOUNT_COLUMNS = """user_id, spotify_user_id, access_token, refresh_token, expires_at, scope,
                      connected_at, last_synced_at, recent_played_at"""


async def save_account(conn: Conn, user_id: UUID, *, spotify_user_id: str, access_token: bytes,
                       refresh_token: bytes, expires_at: datetime, scope: str) -> None:
    """Connect (or reconnect). Reconnecting the same Spotify account keeps its sync cursors,
    so its history is not imported twice; another Spotify account starts afresh."""
    await conn.execute(
        """INSERT INTO spotify_accounts (user_id, spotify_user_id, access_token, refresh_token,
                                         expires_at, scope)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (user_id) DO UPDATE SET
             access_token = EXCLUDED.access_token,
             refresh_token = EXCLUDED.refresh_token,
             expires_at = EXCLUDED.expires_at,
             scope = EXCLUDED.scope,
             connected_at = now(),
             last_synced_at = CASE WHEN spotify_accounts.spotify_user_id = EXCLUDED.spotify_user_id
                                   THEN spotify_accounts.last_synced_at END,
             recent_played_at = CASE
                 WHEN spotify_accounts.spotify_user_id = EXCLUDED.spotify_user_id
                 THEN spotify_accounts.recent_played_at END,
             spotify_user_id = EXCLUDED.spotify_user_id""",
        user_id, spotify_user_id, access_token, refresh_token, expires_at, scope,
    )


async def account(conn: Conn, user_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {_ACCOUNT_COLUMNS} FROM spotify_accounts WHERE user_id = $1", user_id)


async def lock_account(conn: asyncpg.Connection, user_id: UUID) -> asyncpg.Record | None:
    """The account row, locked until the transaction ends (one token refresh at a time)."""
    return await conn.fetchrow(
        f"SELECT {_ACCOUNT_COLUMNS} FROM spotify_accounts WHERE user_id = $1 FOR UPDATE",
        user_id)


async def update_tokens(conn: Conn, user_id: UUID, *, access_token: bytes, refresh_token: bytes,
                        expires_at: datetime, scope: str) -> None:
    await conn.execute(
        """UPDATE spotify_accounts SET access_token = $2, refresh_token = $3, expires_at = $4,
                                       scope = $5
           WHERE user_id = $1""",
        user_id, access_token, refresh_token, expires_at, scope,
    )


async def mark_synced(conn: Conn, user_id: UUID, *, top_tracks: bool,
                      recent_played_at: datetime | None) -> None:
    """Move the cursors: the top-tracks import time, the newest recent play imported."""
    await conn.execute(
        """UPDATE spotify_accounts SET
             last_synced_at = CASE WHEN $2 THEN now() ELSE last_synced_at END,
             recent_played_at = GREATEST(recent_played_at, $3)
           WHERE user_id = $1""",
        user_id, top_tracks, recent_played_at,
    )


async def delete_account(conn: Conn, user_id: UUID) -> str | None:
    """Forget the tokens and any handshake in flight; the Spotify user id that was connected."""
    await conn.execute("DELETE FROM spotify_auth_states WHERE user_id = $1", user_id)
    return await conn.fetchval(
        "DELETE FROM spotify_accounts WHERE user_id = $1 RETURNING spotify_user_id", user_id)


# ------------------------------------------------------------------ matching to the catalogue


async def tracks_by_isrc(conn: Conn, isrcs: Sequence[str]) -> dict[str, str]:
    """ISRC (upper case) -> catalogue track id; the most popular where several share one."""
    if not isrcs:
        return {}
    wanted = sorted({code.upper() for code in isrcs} | set(isrcs))
    rows = await conn.fetch(
        """SELECT DISTINCT ON (upper(isrc)) upper(isrc) AS isrc, id FROM tracks
           WHERE isrc = ANY($1::text[])
           ORDER BY upper(isrc), popularity DESC NULLS LAST, id""",
        wanted,
    )
    return {r["isrc"]: r["id"] for r in rows}


async def tracks_by_name_artist(
    conn: Conn, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """(lower-case name, lower-case first artist) -> catalogue track id, most popular first."""
    if not keys:
        return {}
    names = [name for name, _ in keys]
    artists = [artist for _, artist in keys]
    rows = await conn.fetch(
        """SELECT DISTINCT ON (wanted.name, wanted.artist) wanted.name, wanted.artist, t.id
           FROM unnest($1::text[], $2::text[]) AS wanted(name, artist)
           JOIN tracks t ON lower(t.name) = wanted.name
                        AND lower(split_part(t.artists, ', ', 1)) = wanted.artist
           ORDER BY wanted.name, wanted.artist, t.popularity DESC NULLS LAST, t.id""",
        names, artists,
    )
    return {(r["name"], r["artist"]): r["id"] for r in rows}
