"""KMeans clusters of the standardised audio features, fitted once and kept as arrays.

Two uses: the coarse clusters are the Q-learning actions "cluster:<n>", and a finer set
is an inverted-file index, so that a request scores the tracks of a few nearby clusters
instead of the whole catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans

# KMeans is fitted on at most this many rows (a seeded sample); every row is then assigned
# to its nearest centroid. Beyond a few tens of thousands of points the centroids of nine
# features hardly move.
FIT_SAMPLE = 40_000
_ASSIGN_CHUNK = 16_384


@dataclass(frozen=True, eq=False)
class AudioClusters:
    centroids: np.ndarray  # float32[c, d]
    labels: np.ndarray  # int32[n]
    order: np.ndarray  # int32[n]: rows grouped by cluster
    offsets: np.ndarray  # int64[c + 1]: cluster j's rows are order[offsets[j]:offsets[j+1]]

    @property
    def n_clusters(self) -> int:
        return int(self.centroids.shape[0])

    def members(self, cluster: int) -> np.ndarray:
        return self.order[self.offsets[cluster] : self.offsets[cluster + 1]]

    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)


def assign(vectors: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """The nearest centroid (Euclidean) of each row, in chunks to bound memory."""
    labels = np.empty(vectors.shape[0], dtype=np.int32)
    c_sq = (centroids.astype(np.float32) ** 2).sum(axis=1)
    for start in range(0, vectors.shape[0], _ASSIGN_CHUNK):
        block = vectors[start : start + _ASSIGN_CHUNK].astype(np.float32)
        dist = c_sq[None, :] - 2.0 * (block @ centroids.T.astype(np.float32))
        labels[start : start + block.shape[0]] = np.argmin(dist, axis=1)
    return labels


def fit_clusters(vectors: np.ndarray, n_clusters: int, seed: int) -> AudioClusters:
    """Seeded KMeans on (a sample of) the rows; deterministic for the same input and seed."""
    n = vectors.shape[0]
    if n == 0:
        empty = np.empty(0, dtype=np.int64)
        return AudioClusters(
            np.zeros((0, vectors.shape[1]), np.float32),
            np.empty(0, np.int32),
            empty,
            np.zeros(1, np.int64),
        )
    rng = np.random.default_rng(seed)
    sample = (
        vectors if n <= FIT_SAMPLE else vectors[np.sort(rng.choice(n, FIT_SAMPLE, replace=False))]
    )
    sample = np.asarray(sample, dtype=np.float32)
    distinct = np.unique(sample, axis=0).shape[0]
    k = max(1, min(n_clusters, distinct))
    model = KMeans(n_clusters=k, n_init=1, max_iter=60, random_state=seed).fit(sample)
    centroids = model.cluster_centers_.astype(np.float32)
    labels = assign(vectors, centroids)
    order = np.argsort(labels, kind="stable").astype(np.int32)
    offsets = np.zeros(k + 1, dtype=np.int64)
    np.cumsum(np.bincount(labels, minlength=k), out=offsets[1:])
    return AudioClusters(centroids=centroids, labels=labels, order=order, offsets=offsets)


def default_index_clusters(n_tracks: int) -> int:
    """About √n / 2 clusters: ~70 at 20k tracks, ~500 at 1M."""
    return int(np.clip(round(np.sqrt(max(n_tracks, 1)) / 2.0), 1, 1024))
