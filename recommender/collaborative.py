"""Track co-occurrence across listeners' histories and likes (item-to-item, sparse).

``build_cooccurrence`` keeps the listener × track incidence B (both row- and column-major);
the co-occurrence counts are C = BᵀB without its diagonal (how many listeners have both
tracks), computed per query rather than stored: C has Σ(listener size)² entries, B only
Σ(listener size). A query scores tracks by Σ_i w_i · C[i, j] / √(n_i · n_j) over the
listener's tracks i (n = how many listeners have a track): the cosine of the two tracks'
listener sets, so a track that everyone has does not win by being everywhere.

``without(rows)`` answers as if one listener (exactly those rows) had never been counted —
the leave-one-out view the offline evaluation needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp


def _gather(
    indptr: np.ndarray, indices: np.ndarray, keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(entries, position in ``keys``) of the compressed rows ``keys``."""
    starts, ends = indptr[keys], indptr[keys + 1]
    counts = ends - starts
    owner = np.repeat(np.arange(keys.size), counts)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return indices[np.repeat(starts, counts) + offsets], owner


@dataclass(frozen=True, eq=False)
class CoOccurrence:
    by_listener: sp.csr_matrix  # [listeners, tracks] incidence
    by_track: sp.csc_matrix  # the same, column-major
    listeners: np.ndarray  # float64[n]: listeners having each track
    held_out: np.ndarray | None = None  # sorted rows of one listener to leave out

    @property
    def n_tracks(self) -> int:
        return int(self.listeners.shape[0])

    def counts(self) -> sp.csr_matrix:
        """C = BᵀB without the diagonal, for inspection (not used per request)."""
        pairs = (self.by_track.T @ self.by_listener).tocoo()
        keep = pairs.row != pairs.col
        return sp.csr_matrix(
            (pairs.data[keep], (pairs.row[keep], pairs.col[keep])), shape=(self.n_tracks,) * 2
        )

    def without(self, rows: np.ndarray) -> CoOccurrence:
        """The same counts, minus one listener who had exactly ``rows``."""
        return replace(self, held_out=np.unique(np.asarray(rows, dtype=np.int64)))

    def _n(self, rows: np.ndarray) -> np.ndarray:
        n = self.listeners[rows]
        if self.held_out is not None and self.held_out.size:
            n = n - np.isin(rows, self.held_out)
        return n

    def scores(self, rows: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(sorted rows, scores > 0) of every track co-occurring with the weighted query."""
        rows = np.asarray(rows, dtype=np.int64)
        weights = np.asarray(weights, dtype=np.float64)
        if rows.size == 0 or self.by_track.nnz == 0:
            return np.empty(0, np.int64), np.empty(0, np.float64)
        n_query = self._n(rows)
        coef = np.where(n_query > 0, weights / np.sqrt(np.maximum(n_query, 1e-12)), 0.0)
        users, owner = _gather(self.by_track.indptr, self.by_track.indices, rows)
        if users.size == 0:
            return np.empty(0, np.int64), np.empty(0, np.float64)
        users, inverse = np.unique(users, return_inverse=True)
        user_weight = np.bincount(inverse, weights=coef[owner])
        tracks, owner = _gather(self.by_listener.indptr, self.by_listener.indices, users)
        found, inverse = np.unique(tracks, return_inverse=True)
        raw = np.bincount(inverse, weights=user_weight[owner])
        # a track does not co-occur with itself: drop the diagonal C[i, i] = n_i
        pos = np.searchsorted(found, rows)
        hit = (pos < found.size) & (found[np.minimum(pos, found.size - 1)] == rows)
        np.subtract.at(raw, pos[hit], coef[hit] * self.listeners[rows[hit]])
        held = self.held_out
        if held is not None and held.size:
            # the held-out listener added 1 to C[i, j] for every pair i ≠ j of theirs
            in_held = np.isin(rows, held)
            held_pos = np.searchsorted(found, held)
            present = (held_pos < found.size) & (
                found[np.minimum(held_pos, found.size - 1)] == held
            )
            raw[held_pos[present]] -= coef[in_held].sum()
            np.subtract.at(raw, pos[hit & in_held], -coef[hit & in_held])
        n_found = self._n(found)
        keep = (raw > 1e-9) & (n_found > 0)
        return found[keep], raw[keep] / np.sqrt(n_found[keep])


def build_cooccurrence(rows_per_user: Sequence[np.ndarray], n_tracks: int) -> CoOccurrence:
    """Co-occurrence of tracks from each listener's rows (history and likes; repeats ignored)."""
    indptr = [0]
    indices: list[np.ndarray] = []
    for rows in rows_per_user:
        unique = np.unique(np.asarray(rows, dtype=np.int64))
        if unique.size and (unique[0] < 0 or unique[-1] >= n_tracks):
            raise ValueError(f"a row is outside the catalogue of {n_tracks} tracks")
        indices.append(unique)
        indptr.append(indptr[-1] + unique.size)
    flat = np.concatenate(indices) if indices else np.empty(0, np.int64)
    by_listener = sp.csr_matrix(
        (np.ones(flat.size, dtype=np.float32), flat, np.asarray(indptr, dtype=np.int64)),
        shape=(len(indptr) - 1, n_tracks),
    )
    by_listener.sort_indices()
    listeners = np.bincount(flat, minlength=n_tracks).astype(np.float64)
    return CoOccurrence(by_listener=by_listener, by_track=by_listener.tocsc(), listeners=listeners)
