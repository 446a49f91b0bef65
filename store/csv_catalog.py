"""Read the public Spotify-features CSV files into tracks and playlist memberships.

Two formats, told apart by their header:
- ``tidytuesday``: the TidyTuesday 2020-01-21 ``spotify_songs.csv`` (one row per track and
  playlist; a track's genres are the labels of the playlists it sits in);
- ``kaggle``: the common "spotify tracks dataset" (one row per track and genre,
  artists separated by ``;``, no release date).

A track that appears on several rows becomes one track whose genres and subgenres are the
union of its rows. A row that cannot be used is skipped and counted under its reason.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from recommender.catalog import FEATURES, Catalog, build_catalog

TIDYTUESDAY = "tidytuesday"
KAGGLE = "kaggle"

_TIDY_REQUIRED = {"track_id", "track_name", "track_artist", "track_popularity",
                  "track_album_name", "track_album_release_date", "playlist_id",
                  "playlist_genre", "playlist_subgenre", *FEATURES}
_KAGGLE_REQUIRED = {"track_id", "artists", "album_name", "track_name", "popularity",
                    "track_genre", *FEATURES}

# Plausible bounds per feature: a value outside is a broken row, not a track.
_FEATURE_BOUNDS: dict[str, tuple[float, float]] = {
    "danceability": (0.0, 1.0),
    "energy": (0.0, 1.0),
    "key": (-1.0, 11.0),
    "loudness": (-70.0, 10.0),
    "mode": (0.0, 1.0),
    "speechiness": (0.0, 1.0),
    "acousticness": (0.0, 1.0),
    "instrumentalness": (0.0, 1.0),
    "liveness": (0.0, 1.0),
    "valence": (0.0, 1.0),
    "tempo": (0.0, 300.0),
    "duration_ms": (0.0, 7_200_000.0),
}
_MISSING = {"", "NA", "N/A", "NaN", "nan", "null", "None"}


class CsvFormatError(ValueError):
    """The file is not one of the supported formats."""


@dataclass
class CsvTrack:
    id: str
    name: str
    artists: str
    album: str
    release_date: str
    release_year: int  # 0 = unknown
    popularity: float | None
    features: tuple[float, ...]  # NaN = unknown
    genres: set[str] = field(default_factory=set)
    subgenres: set[str] = field(default_factory=set)


@dataclass
class ParsedCsv:
    format: str
    tracks: dict[str, CsvTrack]
    # (track_id, playlist_id, playlist_genre, playlist_subgenre) per usable row, in file order
    memberships: list[tuple[str, str, str, str]]
    skipped: Counter[str]
    notes: Counter[str]  # values kept but marked unknown (e.g. tempo 0)
    rows_read: int


class _BadRow(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def detect_format(header: list[str]) -> str:
    columns = {c.strip() for c in header}
    if columns >= _TIDY_REQUIRED:
        return TIDYTUESDAY
    if columns >= _KAGGLE_REQUIRED:
        return KAGGLE
    missing_tidy = sorted(_TIDY_REQUIRED - columns)
    raise CsvFormatError(
        "unrecognised CSV header: neither the TidyTuesday spotify_songs columns "
        f"(missing {', '.join(missing_tidy[:6])}) nor the Kaggle spotify tracks columns"
    )


def _text(row: dict[str, str], column: str, *, required: bool) -> str:
    value = (row.get(column) or "").strip()
    if value in _MISSING:
        if required:
            raise _BadRow(f"missing {column}")
        return ""
    return value


def _number(row: dict[str, str], column: str) -> float:
    raw = (row.get(column) or "").strip()
    if raw in _MISSING:
        return math.nan
    try:
        value = float(raw)
    except ValueError:
        raise _BadRow(f"bad number in {column}") from None
    if not math.isfinite(value):
        raise _BadRow(f"bad number in {column}")
    return value


def _features(row: dict[str, str], notes: Counter[str]) -> tuple[float, ...]:
    values: list[float] = []
    for name in FEATURES:
        value = _number(row, name)
        if not math.isnan(value):
            low, high = _FEATURE_BOUNDS[name]
            if not low <= value <= high:
                raise _BadRow(f"{name} out of range")
        if name == "tempo" and value == 0.0:
            notes["tempo 0 kept as unknown"] += 1
            value = math.nan
        values.append(value)
    if all(math.isnan(v) for v in values):
        raise _BadRow("no audio features")
    return tuple(values)


def _year(date: str) -> int:
    head = date[:4]
    return int(head) if len(head) == 4 and head.isdigit() else 0


def _popularity(row: dict[str, str], column: str) -> float | None:
    value = _number(row, column)
    if math.isnan(value):
        return None
    if not 0.0 <= value <= 100.0:
        raise _BadRow(f"{column} out of range")
    return value


def _tidy_row(row: dict[str, str], notes: Counter[str]) -> tuple[CsvTrack, tuple[str, str, str]]:
    track_id = _text(row, "track_id", required=True)
    date = _text(row, "track_album_release_date", required=False)
    track = CsvTrack(
        id=track_id,
        name=_text(row, "track_name", required=True),
        artists=_text(row, "track_artist", required=True),
        album=_text(row, "track_album_name", required=False),
        release_date=date,
        release_year=_year(date),
        popularity=_popularity(row, "track_popularity"),
        features=_features(row, notes),
    )
    genre = _text(row, "playlist_genre", required=False).lower()
    subgenre = _text(row, "playlist_subgenre", required=False).lower()
    playlist = _text(row, "playlist_id", required=False)
    return track, (playlist, genre, subgenre)


def _kaggle_row(row: dict[str, str], notes: Counter[str]) -> tuple[CsvTrack, tuple[str, str, str]]:
    artists = _text(row, "artists", required=True)
    track = CsvTrack(
        id=_text(row, "track_id", required=True),
        name=_text(row, "track_name", required=True),
        artists=", ".join(a.strip() for a in artists.split(";") if a.strip()),
        album=_text(row, "album_name", required=False),
        release_date="",
        release_year=0,
        popularity=_popularity(row, "popularity"),
        features=_features(row, notes),
    )
    genre = _text(row, "track_genre", required=False).lower().replace("-", " ")
    return track, ("", genre, "")


def _merge(tracks: dict[str, CsvTrack], track: CsvTrack, genre: str, subgenre: str) -> None:
    kept = tracks.setdefault(track.id, track)
    if genre:
        kept.genres.add(genre)
    if subgenre:
        kept.subgenres.add(subgenre)


def iter_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def read_catalog_csv(
    path: Path | str, *, on_row: Callable[[int], None] | None = None
) -> ParsedCsv:
    """Parse a catalogue CSV; ``on_row`` is called with each row's byte-free index (progress)."""
    path = Path(path)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fmt = detect_format(list(reader.fieldnames or []))
        parse = _tidy_row if fmt == TIDYTUESDAY else _kaggle_row
        tracks: dict[str, CsvTrack] = {}
        memberships: list[tuple[str, str, str, str]] = []
        skipped: Counter[str] = Counter()
        notes: Counter[str] = Counter()
        rows_read = 0
        for row in reader:
            rows_read += 1
            if on_row is not None:
                on_row(rows_read)
            if None in row:  # more cells than header columns
                skipped["wrong number of columns"] += 1
                continue
            try:
                track, (playlist, genre, subgenre) = parse(row, notes)
            except _BadRow as bad:
                skipped[bad.reason] += 1
                continue
            _merge(tracks, track, genre, subgenre)
            if playlist:
                memberships.append((track.id, playlist, genre, subgenre))
    return ParsedCsv(fmt, tracks, memberships, skipped, notes, rows_read)


def catalog_from_parsed(parsed: ParsedCsv) -> Catalog:
    """The in-memory catalogue of every parsed track (genres = genres ∪ subgenres)."""
    tracks = list(parsed.tracks.values())
    return build_catalog(
        track_ids=[t.id for t in tracks],
        names=[t.name for t in tracks],
        artists=[t.artists for t in tracks],
        albums=[t.album for t in tracks],
        release_year=[t.release_year for t in tracks],
        popularity=np.array(
            [math.nan if t.popularity is None else t.popularity for t in tracks], dtype=np.float32
        ),
        features=np.array([t.features for t in tracks], dtype=np.float32).reshape(
            len(tracks), len(FEATURES)
        ),
        genres=[t.genres | t.subgenres for t in tracks],
    )
