"""Genre labels as a sparse track × label matrix, matched by words.

A label such as "neo soul" or "southern hip hop" is split into words, and a genre phrase
matches a label whose words contain the phrase's words in order: "soul" matches "neo
soul", "hip hop" matches "southern hip hop", "rap" matches "gangster rap".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

_SPLIT = re.compile(r"[\s\-_/]+")


def genre_words(label: str) -> tuple[str, ...]:
    """The words of a genre label, lower case ("Hip-Hop" → ("hip", "hop"))."""
    return tuple(w for w in _SPLIT.split(label.strip().lower()) if w)


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    m = len(phrase)
    return any(words[i : i + m] == phrase for i in range(len(words) - m + 1))


@dataclass(frozen=True, eq=False)
class GenreIndex:
    labels: tuple[str, ...]
    track_labels: sp.csr_matrix  # float32[n, len(labels)], 1 where the track carries the label
    members: tuple[np.ndarray, ...]  # per label: int64 rows, most popular first
    _phrase_cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def n_tracks(self) -> int:
        return int(self.track_labels.shape[0])

    def labels_matching(self, phrase: str) -> np.ndarray:
        """Ids of the labels that contain the phrase's words (cached per phrase)."""
        key = " ".join(genre_words(phrase))
        found = self._phrase_cache.get(key)
        if found is None:
            words = genre_words(phrase)
            found = np.array(
                [
                    i
                    for i, lab in enumerate(self.labels)
                    if words and _contains(genre_words(lab), words)
                ],
                dtype=np.int64,
            )
            self._phrase_cache[key] = found
        return found

    def rows_with_labels(self, label_ids: Iterable[int]) -> np.ndarray:
        parts = [self.members[i] for i in label_ids]
        if not parts:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(parts))

    def rows_matching(self, phrases: Iterable[str]) -> np.ndarray:
        ids = {int(i) for p in phrases for i in self.labels_matching(p)}
        return self.rows_with_labels(sorted(ids))

    def mask_matching(self, phrases: Iterable[str]) -> np.ndarray:
        mask = np.zeros(self.n_tracks, dtype=bool)
        mask[self.rows_matching(phrases)] = True
        return mask

    def matches(self, rows: np.ndarray, phrases: Iterable[str]) -> np.ndarray:
        """Per row: does the track carry a label matching any of the phrases?"""
        ids = np.array(sorted({int(i) for p in phrases for i in self.labels_matching(p)}))
        return self.has_labels(rows, ids.astype(np.int64))

    def label_weights(self, rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Σ weight over the given rows, per label: a listener's genre profile."""
        if rows.size == 0:
            return np.zeros(len(self.labels))
        labels, owner = self.labels_of(rows)
        return np.bincount(labels, weights=np.asarray(weights)[owner], minlength=len(self.labels))

    def has_labels(self, rows: np.ndarray, label_ids: np.ndarray) -> np.ndarray:
        """Per row: does the track carry any of the labels?"""
        out = np.zeros(rows.shape[0], dtype=bool)
        if rows.size == 0 or label_ids.size == 0:
            return out
        labels, owner = self.labels_of(rows)
        out[owner[np.isin(labels, label_ids)]] = True
        return out

    def labels_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(label id, position in ``rows``) of every label the rows carry."""
        indptr, indices = self.track_labels.indptr, self.track_labels.indices
        starts, ends = indptr[rows], indptr[np.asarray(rows) + 1]
        counts = ends - starts
        owner = np.repeat(np.arange(rows.shape[0]), counts)
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        return indices[np.repeat(starts, counts) + offsets], owner


def genre_index_from_matrix(
    track_labels: sp.spmatrix, labels: Sequence[str], popularity_rank: np.ndarray | None = None
) -> GenreIndex:
    """An index from a track × label matrix (any positive entry = the track carries it)."""
    binary = sp.csr_matrix(track_labels, dtype=np.float32, copy=True)
    binary.data = (binary.data > 0).astype(np.float32)
    binary.eliminate_zeros()
    csc = binary.tocsc()
    members = []
    for j in range(len(labels)):
        rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]].astype(np.int64)
        if popularity_rank is not None and rows.size:
            rows = rows[np.argsort(popularity_rank[rows], kind="stable")]
        members.append(rows)
    return GenreIndex(labels=tuple(labels), track_labels=binary, members=tuple(members))


def build_genre_index(
    genres: Sequence[Iterable[str]], popularity_rank: np.ndarray | None = None
) -> GenreIndex:
    """An index over each track's set of genre labels (``Catalog.genres``)."""
    label_id: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for row, labels in enumerate(genres):
        for label in labels:
            cols.append(label_id.setdefault(label.lower(), len(label_id)))
            rows.append(row)
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)),
        shape=(len(genres), len(label_id)),
    )
    return genre_index_from_matrix(matrix, list(label_id), popularity_rank)
