"""SQL for ``playlist_tracks``: the playlists imported with a catalogue CSV."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

Membership = tuple[str, str, str, str]  # (track_id, playlist_id, genre, subgenre)


async def save_memberships(conn: asyncpg.Connection, memberships: Sequence[Membership]) -> int:
    """Upsert playlist memberships (file order is each playlist's order); returns how many."""
    position: dict[str, int] = {}
    records = []
    seen: set[tuple[str, str]] = set()
    for track_id, playlist_id, genre, subgenre in memberships:
        if (playlist_id, track_id) in seen:
            continue
        seen.add((playlist_id, track_id))
        at = position.get(playlist_id, 0)
        position[playlist_id] = at + 1
        records.append((playlist_id, track_id, at, genre, subgenre))
    async with conn.transaction():
        await conn.execute(
            "CREATE TEMP TABLE playlist_staging (LIKE playlist_tracks) ON COMMIT DROP")
        await conn.copy_records_to_table(
            "playlist_staging", records=records,
            columns=["playlist_id", "track_id", "position", "genre", "subgenre"])
        await conn.execute(
            """INSERT INTO playlist_tracks SELECT * FROM playlist_staging
               ON CONFLICT (playlist_id, track_id) DO UPDATE SET
                 position = EXCLUDED.position, genre = EXCLUDED.genre,
                 subgenre = EXCLUDED.subgenre""")
    return len(records)


async def all_memberships(conn: asyncpg.Pool | asyncpg.Connection) -> list[Membership]:
    """Every membership, each playlist in its own order."""
    rows = await conn.fetch(
        """SELECT track_id, playlist_id, genre, subgenre FROM playlist_tracks
           ORDER BY playlist_id, position""")
    return [(r["track_id"], r["playlist_id"], r["genre"], r["subgenre"]) for r in rows]
