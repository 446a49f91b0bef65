"""The history signals of a candidate track, each in [0, 1] (the parts of history similarity).

None of them reads a count of the catalogue (how many tracks an artist or album has): in a
catalogue assembled from playlists such a count points at the playlists themselves. What is
learned from other listeners (artist co-occurrence, track co-occurrence) can only add.

- ``artist``: how much of the history is by the candidate's artist, 1 − exp(−v / a) with v
  the weighted number of history tracks by that artist (weights scaled to mean 1).
- ``album``: the same for the candidate's album (album expansion).
- ``artist_cf``: how strongly the candidate's artist co-occurs, across other listeners, with
  the history's artists (cosine of the artists' listener sets), over the best in the request.
- ``genre``: the share of the history's genre labels (learned from other playlists) that the
  candidate carries, at its best label.
- ``year``: closeness of the release year to the history's years, a Gaussian kernel averaged
  over the history (an unknown year scores 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommender.collaborative import CoOccurrence, build_cooccurrence
from recommender.genres import GenreIndex
from recommender.scoring import ListenerProfile, WeightedCounts

# v at which the artist (album) signal reaches 1 − 1/e: a few tracks already say a lot
ARTIST_SCALE = 2.0
ALBUM_SCALE = 1.0
# width of the release-year kernel, in years
YEAR_WIDTH = 4.0


def count_signal(counts: WeightedCounts, codes: np.ndarray, scale: float) -> np.ndarray:
    """1 − exp(−v/scale) for each code's weighted history count v."""
    if len(counts) == 0 or codes.size == 0:
        return np.zeros(codes.shape[0])
    return 1.0 - np.exp(-counts.lookup(codes) / scale)


def year_closeness(
    candidate_years: np.ndarray, history_years: np.ndarray, history_weights: np.ndarray,
    width: float = YEAR_WIDTH,
) -> np.ndarray:
    """Σ_h w_h·exp(−(y − y_h)²/2σ²) / Σ_h w_h over history tracks with a known year."""
    out = np.zeros(candidate_years.shape[0])
    years = np.asarray(history_years, dtype=np.float64)
    known = years > 0
    if not known.any() or candidate_years.size == 0:
        return out
    values, inverse = np.unique(years[known], return_inverse=True)
    weights = np.bincount(inverse, weights=np.asarray(history_weights)[known] + 1e-12)
    weights = weights / weights.sum()
    cand = np.asarray(candidate_years, dtype=np.float64)
    kernel = np.exp(-((cand[:, None] - values[None, :]) ** 2) / (2.0 * width * width))
    out = kernel @ weights
    out[cand <= 0] = 0.0
    return out


def genre_closeness(genres: GenreIndex, rows: np.ndarray, history_labels: np.ndarray
                    ) -> np.ndarray:
    """Per row: the largest history share among the row's labels (0 for no label)."""
    out = np.zeros(rows.shape[0])
    if rows.size == 0 or history_labels.size == 0 or history_labels.sum() <= 0:
        return out
    share = history_labels / history_labels.sum()
    labels, owner = genres.labels_of(rows)
    if labels.size:
        np.maximum.at(out, owner, share[labels])
    return out


@dataclass(frozen=True, eq=False)
class ArtistAffinity:
    """The co-occurring artists of one request: sorted artist codes and scores in (0, 1]."""

    codes: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> ArtistAffinity:
        return cls(np.empty(0, np.int64), np.empty(0))

    @classmethod
    def of(cls, artists: CoOccurrence | None, listener: ListenerProfile) -> ArtistAffinity:
        counts = listener.artist_counts
        if artists is None or len(counts) == 0:
            return cls.empty()
        valid = counts.keys < artists.n_tracks
        codes, scores = artists.scores(counts.keys[valid], counts.values[valid])
        if codes.size == 0:
            return cls.empty()
        return cls(codes, scores / scores.max())

    def lookup(self, codes: np.ndarray) -> np.ndarray:
        out = np.zeros(codes.shape[0])
        if self.codes.size == 0 or codes.size == 0:
            return out
        pos = np.clip(np.searchsorted(self.codes, codes), 0, self.codes.size - 1)
        hit = self.codes[pos] == codes
        out[hit] = self.scores[pos[hit]]
        return out

    def best(self, count: int, exclude: np.ndarray) -> np.ndarray:
        """The ``count`` highest-scored artist codes not in the sorted ``exclude``."""
        if self.codes.size == 0:
            return np.empty(0, np.int64)
        keep = ~np.isin(self.codes, exclude)
        codes, scores = self.codes[keep], self.scores[keep]
        return codes[np.argsort(-scores, kind="stable")[:count]]


def build_artist_cooccurrence(
    rows_per_listener: list[np.ndarray], artist_codes: np.ndarray, n_artists: int
) -> CoOccurrence:
    """Artist co-occurrence: each listener (playlist) counted once per artist it holds."""
    per = [np.unique(artist_codes[np.asarray(r, dtype=np.int64)]) for r in rows_per_listener]
    return build_cooccurrence(per, n_artists)
