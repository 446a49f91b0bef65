"""Track co-occurrence across listeners' histories and likes (item-to-item, sparse).

``build_cooccurrence`` counts, for every pair of tracks, how many listeners have both.
A query scores tracks by Σ_i w_i · C[i, j] / √(n_i · n_j) over the listener's tracks i
(n = how many listeners have a track): the cosine of the two tracks' listener sets, so a
track that everyone has does not win by being everywhere.

``without(rows)`` answers as if one listener (those rows) had never been counted — the
leave-one-out view the offline evaluation needs, at the price of one query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True, eq=False)
class CoOccurrence:
    counts: sp.csr_matrix  # float32[n, n]: listeners having both tracks, zero diagonal
    listeners: np.ndarray  # float64[n]: listeners having each track
    held_out: np.ndarray | None = None  # sorted rows of one listener to leave out

    @property
    def n_tracks(self) -> int:
        return int(self.listeners.shape[0])

    def without(self, rows: np.ndarray) -> CoOccurrence:
        """The same counts, minus one listener who had exactly ``rows``."""
        return replace(self, held_out=np.unique(np.asarray(rows, dtype=np.int64)))

    def scores(self, rows: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores > 0) of every track co-occurring with the weighted query rows."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0 or self.counts.nnz == 0:
            return np.empty(0, np.int64), np.empty(0, np.float64)
        n = self.listeners.copy()
        held = self.held_out
        if held is not None and held.size:
            n[held] -= 1.0
        n_query = n[rows]
        coef = np.where(n_query > 0, weights / np.sqrt(np.maximum(n_query, 1e-12)), 0.0)
        sub = self.counts[rows]
        raw = np.asarray(sub.T @ coef).ravel() if sub.nnz else np.zeros(self.n_tracks)
        if held is not None and held.size:
            # The held-out listener added 1 to C[i, j] for every i ≠ j of theirs.
            in_held = np.isin(rows, held)
            raw[held] -= coef[in_held].sum()
            raw[rows[in_held]] += coef[in_held]  # no self-pair was counted
        found = np.flatnonzero(raw > 1e-9)
        found = found[n[found] > 0]
        return found, raw[found] / np.sqrt(n[found])


def build_cooccurrence(rows_per_user: Sequence[np.ndarray], n_tracks: int) -> CoOccurrence:
    """Co-occurrence counts from each listener's rows (history and likes; repeats ignored)."""
    indptr = [0]
    indices: list[np.ndarray] = []
    for rows in rows_per_user:
        unique = np.unique(np.asarray(rows, dtype=np.int64))
        if unique.size and (unique[0] < 0 or unique[-1] >= n_tracks):
            raise ValueError(f"a row is outside the catalogue of {n_tracks} tracks")
        indices.append(unique)
        indptr.append(indptr[-1] + unique.size)
    flat = np.concatenate(indices) if indices else np.empty(0, np.int64)
    users = sp.csr_matrix(
        (np.ones(flat.size, dtype=np.float32), flat, np.asarray(indptr, dtype=np.int64)),
        shape=(len(indptr) - 1, n_tracks),
    )
    listeners = np.asarray(users.sum(axis=0), dtype=np.float64).ravel()
    pairs = (users.T @ users).tocoo()
    off_diagonal = pairs.row != pairs.col
    counts = sp.csr_matrix(
        (pairs.data[off_diagonal], (pairs.row[off_diagonal], pairs.col[off_diagonal])),
        shape=(n_tracks, n_tracks),
        dtype=np.float32,
    )
    counts.sort_indices()
    return CoOccurrence(counts=counts, listeners=listeners)
