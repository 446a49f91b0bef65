"""The catalogue's audio features, standardised once.

Means and standard deviations come from the catalogue itself (NaN-aware). A missing value
stays missing: in the centred space it is stored as 0 together with a ``known`` mask, so it
adds nothing to a dot product (a cosine is then taken over the known features only) and a
distance to a target skips it. Nothing pretends that a missing value was measured.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from recommender.catalog import FEATURE_INDEX, FEATURES, Catalog

# The features that describe how a track sounds. ``key`` is a pitch class (a circle, not a
# line), ``mode`` is binary and ``duration_ms`` says little about sound, so the similarity
# space leaves them out; they stay available for targets and constraints.
SIMILARITY_FEATURES: tuple[str, ...] = (
    "danceability",
    "energy",
    "loudness",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
    "tempo",
)
SIMILARITY_COLUMNS = np.array([FEATURE_INDEX[f] for f in SIMILARITY_FEATURES], dtype=np.int64)

# A standardised value is clipped to this many standard deviations, so that one extreme
# feature (instrumentalness is mostly 0 with a tail near 1) cannot own a cosine.
Z_CLIP = 3.0


@dataclass(frozen=True, eq=False)
class FeatureSpace:
    """Standardised audio features of every catalogue row."""

    mean: np.ndarray  # float64[len(FEATURES)]
    std: np.ndarray  # float64[len(FEATURES)]
    known: np.ndarray  # bool[n, len(SIMILARITY_FEATURES)]
    unit: np.ndarray  # float32[n, len(SIMILARITY_FEATURES)]: z / |z|, 0 rows where |z| = 0
    raw: np.ndarray  # float32[n, len(FEATURES)]: the catalogue's values, NaN = unknown

    def __len__(self) -> int:
        return int(self.unit.shape[0])

    def standardised(self, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """float32 clipped z-scores of the similarity features, 0 where unknown."""
        return _standardise(self.raw[rows][:, SIMILARITY_COLUMNS], self.mean, self.std)

    def standardise(self, feature: str, value: float) -> float:
        """A value on the feature's own scale (tempo in BPM) as a z-score of this catalogue."""
        i = FEATURE_INDEX[feature]
        return min(Z_CLIP, max(-Z_CLIP, float((value - self.mean[i]) / self.std[i])))

    def closeness(
        self, rows: np.ndarray, targets: Mapping[str, float], width: float = 1.0
    ) -> np.ndarray:
        """Gaussian closeness in (0, 1] of each row to targets on the features' own scales.

        The squared distance is averaged over the target features that the track has; a
        track that has none of them gets NaN (unknown), which callers must handle.
        """
        if not targets:
            return np.ones(rows.shape[0], dtype=np.float64)
        cols = np.array([FEATURE_INDEX[f] for f in targets], dtype=np.int64)
        return self.closeness_of_values(self.raw[np.ix_(rows, cols)], targets, width)

    def closeness_of_values(
        self, values: np.ndarray, targets: Mapping[str, float], width: float = 1.0
    ) -> np.ndarray:
        """``closeness`` for raw values given column by column in the targets' order."""
        if not targets:
            return np.ones(values.shape[0], dtype=np.float64)
        cols = np.array([FEATURE_INDEX[f] for f in targets], dtype=np.int64)
        centre = np.array([self.standardise(f, v) for f, v in targets.items()])
        z = (values.astype(np.float64) - self.mean[cols]) / self.std[cols]
        sq = (np.clip(z, -Z_CLIP, Z_CLIP) - centre) ** 2
        known = ~np.isnan(sq)
        count = known.sum(axis=1)
        mean_sq = np.where(known, sq, 0.0).sum(axis=1) / np.maximum(count, 1)
        out = np.exp(-mean_sq / (2.0 * width * width))
        out[count == 0] = np.nan
        return out


def build_feature_space(catalog: Catalog) -> FeatureSpace:
    raw = np.asarray(catalog.features, dtype=np.float32)
    tempo = FEATURE_INDEX["tempo"]
    failed_tempo = raw[:, tempo] <= 0  # a tempo of 0 BPM is a failed measurement
    if failed_tempo.any():
        raw = raw.copy()
        raw[failed_tempo, tempo] = np.nan
    n = raw.shape[0]
    if n:
        with np.errstate(invalid="ignore"):
            counts = (~np.isnan(raw)).sum(axis=0)
            sums = np.where(np.isnan(raw), 0.0, raw).astype(np.float64).sum(axis=0)
            mean = np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)
            dev = np.where(np.isnan(raw), 0.0, raw.astype(np.float64) - mean)
            var = (dev**2).sum(axis=0) / np.maximum(counts, 1)
    else:
        mean = np.zeros(len(FEATURES))
        var = np.ones(len(FEATURES))
    std = np.sqrt(var)
    std[~(std > 1e-9)] = 1.0  # a constant feature carries no information: z = 0
    known = ~np.isnan(raw[:, SIMILARITY_COLUMNS])
    unit = np.empty((n, SIMILARITY_COLUMNS.size), dtype=np.float32)
    for start in range(0, n, _CHUNK):  # in chunks: float64 temporaries of 1M rows are big
        z = _standardise(raw[start : start + _CHUNK, SIMILARITY_COLUMNS], mean, std)
        norms = np.linalg.norm(z, axis=1, keepdims=True)
        unit[start : start + _CHUNK] = np.divide(
            z, norms, out=np.zeros_like(z), where=norms > 1e-12
        )
    return FeatureSpace(mean=mean, std=std, known=known, unit=unit, raw=raw)


_CHUNK = 65_536


def _standardise(values: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    cols = SIMILARITY_COLUMNS
    z = np.clip(
        (values.astype(np.float32) - mean[cols].astype(np.float32)) / std[cols].astype(np.float32),
        -Z_CLIP,
        Z_CLIP,
    )
    return np.where(np.isnan(z), np.float32(0.0), z).astype(np.float32)


def intra_list_diversity(unit: np.ndarray) -> float:
    """1 − mean pairwise cosine of a list's unit vectors (0 for fewer than two tracks)."""
    m = unit.shape[0]
    if m < 2:
        return 0.0
    sims = unit.astype(np.float64) @ unit.T.astype(np.float64)
    off_diagonal = (sims.sum() - np.trace(sims)) / (m * (m - 1))
    return float(1.0 - off_diagonal)
