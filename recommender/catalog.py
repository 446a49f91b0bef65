"""The in-memory view of the catalogue that every scorer reads.

Columns are indexed by a track's row number: numbers in numpy arrays, text in the compact
columns of ``recommender.strings``.
Missing audio features are NaN (never a made-up constant); missing popularity is NaN;
an unknown release year is 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recommender.strings import (
    CodedColumn,
    IdColumn,
    IdIndex,
    RowOf,
    StringColumn,
    values_of,
)

# The audio features in the order of ``Catalog.features``' columns.
FEATURES: tuple[str, ...] = (
    "danceability",
    "energy",
    "key",
    "loudness",
    "mode",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
    "tempo",
    "duration_ms",
)
FEATURE_INDEX: dict[str, int] = {name: i for i, name in enumerate(FEATURES)}


@dataclass(frozen=True, eq=False)
class Catalog:
    """The catalogue's columns by row. Text is held compactly (``recommender.strings``):
    ``track_ids[row]``, ``names[row]``, ``artists[row]`` and ``albums[row]`` read as ``str``,
    ``row_of`` maps an id to its row like a dict."""

    ids: IdIndex
    names: StringColumn
    artist_column: CodedColumn  # artist_column.codes: int32[n] into artist_column.values
    album_column: CodedColumn
    release_year: np.ndarray  # int16[n], 0 = unknown
    popularity: np.ndarray  # float32[n] in 0–100, NaN = unknown
    features: np.ndarray  # float32[n, len(FEATURES)], NaN = unknown
    genres: tuple[frozenset[str], ...]  # per track: genre and subgenre labels, lower case

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def track_ids(self) -> IdColumn:
        return IdColumn(self.ids)

    @property
    def row_of(self) -> RowOf:
        return RowOf(self.ids)

    @property
    def artists(self) -> CodedColumn:
        return self.artist_column

    @property
    def artist_codes(self) -> np.ndarray:
        return self.artist_column.codes

    @property
    def artist_names(self) -> StringColumn:
        return self.artist_column.values

    @property
    def albums(self) -> CodedColumn:
        return self.album_column

    def rows(self, track_ids: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """Row numbers of the known ids, and the ids that are not in the catalogue."""
        known: list[int] = []
        unknown: list[str] = []
        for tid in track_ids:
            row = self.ids.get(tid)
            if row is None:
                unknown.append(tid)
            else:
                known.append(row)
        return np.asarray(known, dtype=np.int64), unknown


class CatalogBuilder:
    """A catalogue assembled chunk by chunk, so a big one never exists as Python strings."""

    def __init__(self) -> None:
        self._ids: list[np.ndarray] = []
        self._names: list[StringColumn] = []
        self._artists: dict[str, int] = {}
        self._albums: dict[str, int] = {}
        self._artist_codes: list[np.ndarray] = []
        self._album_codes: list[np.ndarray] = []
        self._numbers: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._genres: list[frozenset[str]] = []
        self._genre_sets: dict[frozenset[str], frozenset[str]] = {}

    def add(
        self, *, track_ids: Sequence[str] | np.ndarray, names: Sequence[str] | np.ndarray,
        artists: Sequence[str] | np.ndarray, albums: Sequence[str] | np.ndarray,
        release_year: Sequence[int] | np.ndarray, popularity: Sequence[float] | np.ndarray,
        features: np.ndarray, genres: Sequence[frozenset[str] | set[str] | Sequence[str]],
    ) -> None:
        n = len(track_ids)
        feats = np.asarray(features, dtype=np.float32)
        if feats.shape != (n, len(FEATURES)):
            raise ValueError(
                f"features must have shape ({n}, {len(FEATURES)}), not {feats.shape}")
        for name, column in (("names", names), ("artists", artists), ("albums", albums),
                             ("genres", genres), ("release_year", release_year),
                             ("popularity", popularity)):
            if len(column) != n:
                raise ValueError(f"{name} has {len(column)} rows, not {n}")
        self._ids.append(np.array([str(t).encode("utf-8") for t in track_ids], dtype=bytes))
        self._names.append(StringColumn(names))
        self._artist_codes.append(CodedColumn.encode(artists, self._artists).codes)
        self._album_codes.append(CodedColumn.encode(albums, self._albums).codes)
        self._numbers.append((np.asarray(release_year, dtype=np.int16),
                              np.asarray(popularity, dtype=np.float32), feats))
        for labels in genres:
            key = frozenset(g.lower() for g in labels)
            self._genres.append(self._genre_sets.setdefault(key, key))

    def build(self) -> Catalog:
        width = max((a.dtype.itemsize for a in self._ids), default=1)
        ids = (np.concatenate([a.astype(f"S{width}") for a in self._ids]) if self._ids
               else np.empty(0, dtype="S1"))
        years, popularity, features = (
            (np.concatenate(parts) for parts in zip(*self._numbers, strict=True))
            if self._numbers else
            (np.empty(0, np.int16), np.empty(0, np.float32),
             np.empty((0, len(FEATURES)), np.float32)))
        return Catalog(
            ids=IdIndex(ids),
            names=StringColumn.concat(self._names),
            artist_column=_coded(self._artist_codes, self._artists),
            album_column=_coded(self._album_codes, self._albums),
            release_year=years,
            popularity=popularity,
            features=features,
            genres=tuple(self._genres),
        )


def _coded(codes: list[np.ndarray], seen: dict[str, int]) -> CodedColumn:
    return CodedColumn(np.concatenate(codes) if codes else np.empty(0, np.int32),
                       values_of(seen))


def build_catalog(
    *,
    track_ids: Sequence[str] | np.ndarray,
    names: Sequence[str] | np.ndarray,
    artists: Sequence[str] | np.ndarray,
    albums: Sequence[str] | np.ndarray,
    release_year: Sequence[int] | np.ndarray,
    popularity: Sequence[float] | np.ndarray,
    features: np.ndarray,
    genres: Sequence[frozenset[str] | set[str] | Sequence[str]],
) -> Catalog:
    """Assemble a ``Catalog`` from plain columns; text is packed, artists and albums coded."""
    builder = CatalogBuilder()
    builder.add(track_ids=track_ids, names=names, artists=artists, albums=albums,
                release_year=release_year, popularity=popularity, features=features,
                genres=genres)
    return builder.build()
