"""SQL for the ``tracks`` table: bulk load with COPY, and the in-memory view for scoring."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

import asyncpg
import numpy as np

from recommender.catalog import FEATURES, Catalog, CatalogBuilder
from store.csv_catalog import CsvTrack

TRACK_COLUMNS: tuple[str, ...] = (
    "id", "name", "artists", "album", "release_date", "release_year", "popularity",
    "genres", "subgenres", *FEATURES,
)
_BATCH = 20_000


def _record(track: CsvTrack) -> tuple[object, ...]:
    feats = tuple(None if math.isnan(v) else v for v in track.features)
    return (
        track.id, track.name, track.artists, track.album, track.release_date,
        track.release_year, track.popularity, sorted(track.genres), sorted(track.subgenres),
        *feats,
    )


Record = tuple[object, ...]


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch


async def copy_tracks(
    conn: asyncpg.Connection,
    tracks: Iterable[CsvTrack],
    *,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Upsert tracks with COPY into a staging table; genres of a known track are merged.

    Returns the number of rows written. Runs in one transaction: all or nothing.
    """
    written = 0
    async with conn.transaction():
        await conn.execute(
            "CREATE TEMP TABLE tracks_staging (LIKE tracks INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        for batch in _batches((_record(t) for t in tracks), _BATCH):
            await conn.copy_records_to_table(
                "tracks_staging", records=batch, columns=list(TRACK_COLUMNS)
            )
            written += len(batch)
            if on_batch is not None:
                on_batch(len(batch))
        updates = ", ".join(
            f"{c} = EXCLUDED.{c}" for c in TRACK_COLUMNS if c not in ("id", "genres", "subgenres")
        )
        await conn.execute(
            f"""INSERT INTO tracks ({", ".join(TRACK_COLUMNS)})
                SELECT {", ".join(TRACK_COLUMNS)} FROM tracks_staging
                ON CONFLICT (id) DO UPDATE SET {updates},
                  genres = ARRAY(SELECT DISTINCT unnest(tracks.genres || EXCLUDED.genres)
                                 ORDER BY 1),
                  subgenres = ARRAY(SELECT DISTINCT unnest(tracks.subgenres || EXCLUDED.subgenres)
                                    ORDER BY 1)"""
        )
    return written


def catalog_records(catalog: Catalog) -> Iterator[CsvTrack]:
    """The rows of an in-memory catalogue (e.g. the synthetic one) as tracks to COPY."""
    for i in range(len(catalog)):
        genres = sorted(catalog.genres[i])
        year = int(catalog.release_year[i])
        pop = float(catalog.popularity[i])
        yield CsvTrack(
            id=str(catalog.track_ids[i]),
            name=str(catalog.names[i]),
            artists=str(catalog.artists[i]),
            album=str(catalog.albums[i]),
            release_date=str(year) if year else "",
            release_year=year,
            popularity=None if math.isnan(pop) else pop,
            features=tuple(float(v) for v in catalog.features[i]),
            # an in-memory catalogue keeps genre and subgenre labels together
            genres=set(genres),
            subgenres=set(),
        )


async def count_tracks(conn: asyncpg.Connection | asyncpg.Pool) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM tracks"))


async def load_catalog(pool: asyncpg.Pool, *, chunk: int = 50_000) -> Catalog:
    """Read the whole catalogue into its in-memory view, ordered by id (stable row numbers)."""
    catalog, _ = await load_catalog_versioned(pool, chunk=chunk)
    return catalog


async def load_catalog_versioned(pool: asyncpg.Pool, *, chunk: int = 50_000
                                 ) -> tuple[Catalog, str]:
    """The whole catalogue ordered by id (stable row numbers), and its version (migration
    0003), both read in one repeatable-read snapshot.

    Streams in chunks through a cursor; each chunk is packed into the compact columns
    before the next is read, so a million tracks never sit in memory as a million records
    or Python strings at once.
    """
    builder = CatalogBuilder()
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read",
                                                        readonly=True):
        version = str(await conn.fetchval("SELECT version::text FROM catalog_version"))
        cursor = await conn.cursor(
            f"""SELECT id, name, artists, album, release_year, popularity,
                       genres || subgenres AS labels, {", ".join(FEATURES)}
                FROM tracks ORDER BY id"""
        )
        while rows := await cursor.fetch(chunk):
            builder.add(
                track_ids=[r["id"] for r in rows],
                names=[r["name"] for r in rows],
                artists=[r["artists"] for r in rows],
                albums=[r["album"] for r in rows],
                release_year=[r["release_year"] for r in rows],
                popularity=np.array([r["popularity"] for r in rows], dtype=np.float32),
                features=np.array([r[7:] for r in rows], dtype=np.float32).reshape(
                    len(rows), len(FEATURES)),  # None -> NaN
                genres=[r["labels"] for r in rows],
            )
    return builder.build(), version
