"""Migrations, the listening-history schema, and catalogue import from both CSV formats."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import asyncpg
import pytest

from store import db
from store.csv_catalog import CsvFormatError, read_catalog_csv
from tests.conftest import dev_csv_or_skip
from tests.helpers import run_cli


async def test_migrations_apply_once_and_twice_is_harmless(fresh_database: str) -> None:
    conn = await db.connect(fresh_database)
    try:
        first = await db.migrate(conn)
        second = await db.migrate(conn)
        assert first == [p.name for p in db.migration_files()]
        assert second == []
        recorded = await conn.fetch("SELECT version FROM schema_migrations ORDER BY version")
        assert [r["version"] for r in recorded] == first
        tables = {
            r["tablename"]
            for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        }
        assert {"users", "tracks", "listening_history", "personality_scores",
                "recommendations_cache", "q_values", "feedback_events", "chat_sessions",
                "chat_messages"} <= tables
    finally:
        await conn.close()


async def test_the_list_on_screen_is_compressed_with_lz4_where_the_server_has_it(
        pg: asyncpg.Connection) -> None:
    """migrations/0005, 0006: lz4 on a server built with it, the default (pglz) on one
    without."""
    probe = pg.transaction()
    await probe.start()
    try:
        await pg.execute("CREATE TEMP TABLE lz4_probe (v text COMPRESSION lz4)")
        has_lz4 = True
    except asyncpg.FeatureNotSupportedError:
        has_lz4 = False
    finally:
        await probe.rollback()
    for table, column in (("chat_sessions", "shown"), ("recommendations_cache", "tracks")):
        method = await pg.fetchval(
            """SELECT attcompression::text FROM pg_attribute
               WHERE attrelid = $1::regclass AND attname = $2""", table, column)
        assert method == ("l" if has_lz4 else ""), (table, column)


async def test_the_stored_lists_are_json_text_not_jsonb(pg: asyncpg.Connection) -> None:
    """migrations/0006: the two lists written whole at every session start are kept as json
    (Postgres checks the syntax, no binary conversion), and still read back as lists."""
    for table, column in (("chat_sessions", "shown"), ("recommendations_cache", "tracks")):
        kind = await pg.fetchval(
            """SELECT format_type(atttypid, atttypmod) FROM pg_attribute
               WHERE attrelid = $1::regclass AND attname = $2""", table, column)
        assert kind == "json", (table, column)
    user = await pg.fetchval("INSERT INTO users (token_hash) VALUES ($1) RETURNING id",
                             os.urandom(32))
    session = await pg.fetchval("INSERT INTO chat_sessions (user_id) VALUES ($1) RETURNING id",
                                user)
    assert await pg.fetchval("SELECT json_array_length(shown) FROM chat_sessions WHERE id = $1",
                             session) == 0
    with pytest.raises(asyncpg.InvalidTextRepresentationError):
        await pg.execute("UPDATE chat_sessions SET shown = '[{\"a\": }]' WHERE id = $1", session)


async def test_listening_history_is_one_row_per_user_and_track(pg: asyncpg.Connection) -> None:
    user = await pg.fetchval("INSERT INTO users (token_hash) VALUES ($1) RETURNING id",
                             os.urandom(32))
    track = await pg.fetchval("SELECT id FROM tracks LIMIT 1")
    insert = """INSERT INTO listening_history (user_id, track_id, play_count, source)
                VALUES ($1, $2, $3, 'manual')"""
    await pg.execute(insert, user, track, 2)
    with pytest.raises(asyncpg.UniqueViolationError):
        await pg.execute(insert, user, track, 3)


async def test_import_dev_dataset_counts_tracks_and_bad_rows(fresh_database: str) -> None:
    csv_path = dev_csv_or_skip()
    result = run_cli(["catalog", "import", str(csv_path)], {"DATABASE_URL": fresh_database})
    assert result.returncode == 0, result.stderr
    assert "format: tidytuesday; rows read: 22777; tracks imported: 20186" in result.stdout
    assert "missing track_name: 1" in result.stdout
    conn = await db.connect(fresh_database)
    try:
        assert await conn.fetchval("SELECT count(*) FROM tracks") == 20186
        # a track that sits in playlists of two genres keeps both
        multi = await conn.fetchval("SELECT count(*) FROM tracks WHERE cardinality(genres) > 1")
        assert multi > 0
        # the tempo-0 track is kept, its tempo unknown rather than zero
        assert await conn.fetchval("SELECT count(*) FROM tracks WHERE tempo = 0") == 0
        assert await conn.fetchval("SELECT count(*) FROM tracks WHERE tempo IS NULL") == 1
    finally:
        await conn.close()
    # importing again changes nothing: one row per track
    again = run_cli(["catalog", "import", str(csv_path)], {"DATABASE_URL": fresh_database})
    assert again.returncode == 0, again.stderr
    conn = await db.connect(fresh_database)
    try:
        assert await conn.fetchval("SELECT count(*) FROM tracks") == 20186
    finally:
        await conn.close()


KAGGLE_HEADER = ["", "track_id", "artists", "album_name", "track_name", "popularity",
                 "duration_ms", "explicit", "danceability", "energy", "key", "loudness", "mode",
                 "speechiness", "acousticness", "instrumentalness", "liveness", "valence",
                 "tempo", "time_signature", "track_genre"]


def _kaggle_row(i: int, track_id: str, genre: str, **changes: str) -> list[str]:
    row = {"": str(i), "track_id": track_id, "artists": "Ana;Bo", "album_name": "Al",
           "track_name": f"Song {i}", "popularity": "40", "duration_ms": "200000",
           "explicit": "False", "danceability": "0.5", "energy": "0.6", "key": "5",
           "loudness": "-6.0", "mode": "1", "speechiness": "0.05", "acousticness": "0.2",
           "instrumentalness": "0.0", "liveness": "0.1", "valence": "0.4", "tempo": "120.0",
           "time_signature": "4", "track_genre": genre}
    row.update(changes)
    return [row[c] for c in KAGGLE_HEADER]


def test_kaggle_format_is_recognised_and_bad_rows_counted(tmp_path: Path) -> None:
    path = tmp_path / "kaggle.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(KAGGLE_HEADER)
        writer.writerow(_kaggle_row(0, "t1", "acoustic"))
        writer.writerow(_kaggle_row(1, "t1", "indie-pop"))  # same track, second genre
        writer.writerow(_kaggle_row(2, "t2", "rock", energy="1.7"))
        writer.writerow(_kaggle_row(3, "t3", "rock", tempo="fast"))
        writer.writerow(_kaggle_row(4, "", "rock"))
    parsed = read_catalog_csv(path)
    assert parsed.format == "kaggle"
    assert list(parsed.tracks) == ["t1"]
    assert parsed.tracks["t1"].genres == {"acoustic", "indie pop"}
    assert parsed.tracks["t1"].artists == "Ana, Bo"
    assert parsed.skipped == {"energy out of range": 1, "bad number in tempo": 1,
                              "missing track_id": 1}


def test_unknown_csv_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(CsvFormatError, match="unrecognised CSV header"):
        read_catalog_csv(path)
