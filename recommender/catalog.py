"""The in-memory view of the catalogue that every scorer reads.

Columns are numpy arrays indexed by a track's row number; text columns are object arrays.
Missing audio features are NaN (never a made-up constant); missing popularity is NaN;
an unknown release year is 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

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
    track_ids: np.ndarray  # object[n]: Spotify-style ids
    names: np.ndarray  # object[n]
    artists: np.ndarray  # object[n]: the display artist string
    artist_codes: np.ndarray  # int32[n]: index into ``artist_names``
    artist_names: np.ndarray  # object[a]
    albums: np.ndarray  # object[n]
    release_year: np.ndarray  # int16[n], 0 = unknown
    popularity: np.ndarray  # float32[n] in 0–100, NaN = unknown
    features: np.ndarray  # float32[n, len(FEATURES)], NaN = unknown
    genres: tuple[frozenset[str], ...]  # per track: genre and subgenre labels, lower case
    row_of: dict[str, int] = field(repr=False)

    def __len__(self) -> int:
        return int(self.track_ids.shape[0])

    def rows(self, track_ids: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """Row numbers of the known ids, and the ids that are not in the catalogue."""
        known: list[int] = []
        unknown: list[str] = []
        for tid in track_ids:
            row = self.row_of.get(tid)
            if row is None:
                unknown.append(tid)
            else:
                known.append(row)
        return np.asarray(known, dtype=np.int64), unknown


def _interned_genre_sets(
    genres: Sequence[frozenset[str] | set[str] | Sequence[str]],
) -> tuple[frozenset[str], ...]:
    """One shared frozenset per distinct label set: a million tracks share a few hundred."""
    seen: dict[frozenset[str], frozenset[str]] = {}
    out = []
    for labels in genres:
        key = frozenset(g.lower() for g in labels)
        out.append(seen.setdefault(key, key))
    return tuple(out)


def build_catalog(
    *,
    track_ids: Sequence[str],
    names: Sequence[str],
    artists: Sequence[str],
    albums: Sequence[str],
    release_year: Sequence[int] | np.ndarray,
    popularity: Sequence[float] | np.ndarray,
    features: np.ndarray,
    genres: Sequence[frozenset[str] | set[str] | Sequence[str]],
) -> Catalog:
    """Assemble a ``Catalog`` from plain columns, interning artists into codes."""
    n = len(track_ids)
    feats = np.asarray(features, dtype=np.float32)
    if feats.shape != (n, len(FEATURES)):
        raise ValueError(f"features must have shape ({n}, {len(FEATURES)}), not {feats.shape}")
    artist_arr = np.asarray(artists, dtype=object)
    artist_names, artist_codes = np.unique(artist_arr.astype(str), return_inverse=True)
    ids = np.asarray(track_ids, dtype=object)
    return Catalog(
        track_ids=ids,
        names=np.asarray(names, dtype=object),
        artists=artist_arr,
        artist_codes=artist_codes.astype(np.int32),
        artist_names=artist_names.astype(object),
        albums=np.asarray(albums, dtype=object),
        release_year=np.asarray(release_year, dtype=np.int16),
        popularity=np.asarray(popularity, dtype=np.float32),
        features=feats,
        genres=_interned_genre_sets(genres),
        row_of={str(t): i for i, t in enumerate(ids)},
    )
