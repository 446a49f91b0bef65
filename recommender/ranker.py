"""The learned ranking stage: gradient-boosted trees over a candidate's history signals.

``ranker_features`` turns a request's candidate pool into a feature matrix (the history parts
of ``recommender.signals`` plus raw counts, popularity, release-year and per-feature audio
gaps to the history). ``TreeRanker`` scores that matrix with trees trained offline
(``recommender.training``), held as plain arrays: no pickle, and prediction is pure numpy.
A model may carry a second stage (``Trees`` over ``recommender.stage``'s inputs) that rescores
the first stage's log-odds by each candidate's place among its artist's and album's
candidates; without one the first stage's log-odds are the score. When no model is loaded the
engine keeps its hand-weighted score.

No feature reads a catalogue count (tracks per artist or album, or whether a track sits in
any other playlist). The features learned from other listeners (``artist_cf``,
``collaborative``) are trained with a monotone-increasing constraint: they can only raise a
score.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from recommender.catalog import FEATURES, Catalog
from recommender.index import CatalogIndex
from recommender.request import Request
from recommender.scoring import WeightedCounts
from recommender.stage import STAGE_FEATURES, StageContext, stage_inputs

# 6: a second stage on the candidate's place among its artist's and album's candidates
RANKER_VERSION = 6
SIGNAL_FEATURES: tuple[str, ...] = (
    "content", "artist", "album", "artist_cf", "year", "genre", "collaborative",
)
EXTRA_FEATURES: tuple[str, ...] = (
    "album_share",
    "artist_rel",
    "history_top_artist_share",
    "nearest_cosine",
    "year_in_range",
    "history_popularity",
    "year",
    "history_median_year",
    "artist_plain_share",
    "album_plain_share",
)
FEATURE_NAMES: tuple[str, ...] = (
    *SIGNAL_FEATURES,
    "popularity",
    "popularity_gap",
    "year_gap",
    "artist_count",
    "album_count",
    "artist_share",
    "history_size",
    "history_artist_variety",
    "history_album_variety",
    "history_year_spread",
    "nearest_year_gap",
    "centroid_cosine",
    "popularity_z",
    *(f"gap_{f}" for f in FEATURES),
    *(f"tight_gap_{f}" for f in FEATURES),
    *EXTRA_FEATURES,
)
# learned from other listeners: may only raise a score
MONOTONE_INCREASING: tuple[str, ...] = ("artist_cf", "genre", "collaborative")
YEAR_GAP_CAP = 60.0
YEAR_ORIGIN = 1960.0
SIGNAL_COUNT = len(SIGNAL_FEATURES)
AUDIO_GAP_CAP = 5.0


def ranker_features(
    catalog: Catalog,
    index: CatalogIndex,
    rows: np.ndarray,
    request: Request,
    parts: Mapping[str, np.ndarray],
) -> np.ndarray:
    """float64[len(rows), len(FEATURE_NAMES)], no NaN."""
    listener = request.listener
    history = listener.history_order
    m = rows.shape[0]
    cols: list[np.ndarray] = [np.asarray(parts[name], dtype=np.float64) for name in
                              SIGNAL_FEATURES]
    pop = np.nan_to_num(index.popularity[rows].astype(np.float64), nan=0.0) / 100.0
    hist_pop = np.nan_to_num(index.popularity[history].astype(np.float64), nan=0.0) / 100.0
    cols.append(pop)
    cols.append(np.abs(pop - (hist_pop.mean() if history.size else 0.0)))
    years = catalog.release_year[rows].astype(np.float64)
    hist_years = catalog.release_year[history].astype(np.float64)
    hist_years = hist_years[hist_years > 0]
    if hist_years.size:
        gap = np.minimum(np.abs(years - float(np.median(hist_years))), YEAR_GAP_CAP)
    else:
        gap = np.full(m, YEAR_GAP_CAP)
    gap[years <= 0] = YEAR_GAP_CAP
    cols.append(gap / YEAR_GAP_CAP)
    artist_count = listener.artist_counts.lookup(catalog.artist_codes[rows].astype(np.int64))
    cols.append(artist_count)
    cols.append(listener.album_counts.lookup(index.album_codes[rows].astype(np.int64)))
    size = float(history.size)
    cols.append(artist_count / size if size else np.zeros(m))
    cols.append(np.full(m, np.log1p(size)))
    # what kind of list the history is: one artist's or many, one era's or several
    cols.append(np.full(m, len(listener.artist_counts) / size if size else 0.0))
    cols.append(np.full(m, len(listener.album_counts) / size if size else 0.0))
    cols.append(np.full(m, min(float(hist_years.std()), YEAR_GAP_CAP) / YEAR_GAP_CAP
                        if hist_years.size else 1.0))
    if hist_years.size:
        distinct = np.unique(hist_years)
        pos = np.clip(np.searchsorted(distinct, years), 1, distinct.size) - 1
        nearest = np.minimum(np.abs(years - distinct[pos]),
                             np.abs(years - distinct[np.minimum(pos + 1, distinct.size - 1)]))
        nearest = np.minimum(nearest, YEAR_GAP_CAP)
    else:
        nearest = np.full(m, YEAR_GAP_CAP)
    nearest[years <= 0] = YEAR_GAP_CAP
    cols.append(nearest / YEAR_GAP_CAP)
    cols.append(index.space.unit[rows].astype(np.float64) @ listener.profile.astype(np.float64))
    spread = float(hist_pop.std()) if history.size > 1 else 1.0
    cols.append(np.clip((pop - (hist_pop.mean() if history.size else 0.0))
                        / max(spread, 0.05), -AUDIO_GAP_CAP, AUDIO_GAP_CAP))
    space = index.space
    z = np.nan_to_num((space.raw[rows].astype(np.float64) - space.mean) / space.std, nan=0.0)
    if history.size:
        hist_z = np.nan_to_num(
            (space.raw[history].astype(np.float64) - space.mean) / space.std, nan=0.0)
        hz, hs = hist_z.mean(axis=0), hist_z.std(axis=0)
    else:
        hz, hs = np.zeros(len(FEATURES)), np.ones(len(FEATURES))
    gaps = np.minimum(np.abs(z - hz), AUDIO_GAP_CAP)
    # the same gap in the history's own spread: a tight list is picky about that feature
    tight = np.minimum(np.abs(z - hz) / np.maximum(hs, 0.1), 2 * AUDIO_GAP_CAP)
    extra: list[np.ndarray] = []
    album_count = cols[SIGNAL_COUNT + 4]
    extra.append(album_count / size if size else np.zeros(m))
    top_artist = float(listener.artist_counts.values.max()) if len(listener.artist_counts) else 0.0
    extra.append(artist_count / top_artist if top_artist > 0 else np.zeros(m))
    extra.append(np.full(m, top_artist / size if size else 0.0))
    unit = space.unit
    extra.append((unit[rows] @ unit[history].T).max(axis=1).astype(np.float64)
                 if history.size and m else np.zeros(m))
    if hist_years.size:
        inside = (years >= hist_years.min()) & (years <= hist_years.max())
    else:
        inside = np.zeros(m, dtype=bool)
    extra.append(inside.astype(np.float64))
    extra.append(np.full(m, hist_pop.mean() if history.size else 0.0))
    extra.append(np.where(years > 0, (years - YEAR_ORIGIN) / YEAR_GAP_CAP, -1.0))
    extra.append(np.full(m, (float(np.median(hist_years)) - YEAR_ORIGIN) / YEAR_GAP_CAP
                         if hist_years.size else -1.0))
    # the same counts without the rank discount (a playlist's order says little)
    for codes in (catalog.artist_codes, index.album_codes):
        plain = WeightedCounts.of(codes[history], np.ones(history.size))
        extra.append(plain.lookup(codes[rows].astype(np.int64)) / size if size else np.zeros(m))
    out = (np.column_stack([*cols, gaps, tight, *extra]) if m
           else np.zeros((0, len(FEATURE_NAMES))))
    return out


@dataclass(frozen=True, eq=False)
class Trees:
    """Boosted regression trees (log-odds) over named inputs, all trees' nodes in flat arrays."""

    feature_names: tuple[str, ...]
    roots: np.ndarray  # int64[t]: each tree's root in the node arrays
    feature: np.ndarray  # int64[nodes]: split feature (unused at a leaf)
    threshold: np.ndarray  # float64[nodes]: go left when x <= threshold
    left: np.ndarray  # int64[nodes]
    right: np.ndarray  # int64[nodes]
    is_leaf: np.ndarray  # bool[nodes]
    value: np.ndarray  # float64[nodes]: a leaf's contribution to the log-odds
    baseline: float

    def __post_init__(self) -> None:
        n = self.feature.size
        for name in ("threshold", "left", "right", "is_leaf", "value"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"node array {name} has the wrong length")
        inner = ~self.is_leaf
        if n and (
            self.roots.size == 0
            or self.roots.min() < 0 or self.roots.max() >= n
            or np.any(self.left[inner] >= n) or np.any(self.right[inner] >= n)
            or np.any(self.left[inner] < 0) or np.any(self.right[inner] < 0)
            or np.any(self.feature[inner] < 0)
            or np.any(self.feature[inner] >= len(self.feature_names))
        ):
            raise ValueError("the model's node arrays are inconsistent")

    @property
    def n_trees(self) -> int:
        return int(self.roots.size)

    @property
    def n_nodes(self) -> int:
        return int(self.feature.size)

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        """Raw score per row: baseline + Σ over trees of the leaf each row reaches.

        Every (row, tree) pair steps down one level at a time, all at once; a leaf points at
        itself, so a pair that has arrived stays put while the deeper ones go on."""
        m = x.shape[0]
        if m == 0:
            return np.zeros(0)
        steps = self._steps()
        flat_x = np.ascontiguousarray(x, dtype=np.float64).ravel()
        width = x.shape[1]
        node = np.tile(self.roots, m)  # row-major: row i's trees are [i·t, (i+1)·t)
        base = np.repeat(np.arange(m, dtype=np.int64) * width, self.roots.size)
        left, right, feature, threshold = steps
        for _ in range(self.depth):
            go_left = flat_x[base + feature[node]] <= threshold[node]
            node = np.where(go_left, left[node], right[node])
        return self.baseline + self.value[node].reshape(m, self.roots.size).sum(axis=1)

    def _steps(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(left, right, feature, threshold) with leaves pointing at themselves."""
        cached = self.__dict__.get("_steps_cache")
        if cached is None:
            own = np.arange(self.feature.size, dtype=np.int64)
            left = np.where(self.is_leaf, own, self.left)
            right = np.where(self.is_leaf, own, self.right)
            feature = np.where(self.is_leaf, 0, self.feature)
            threshold = np.where(self.is_leaf, np.inf, self.threshold)
            cached = (left, right, feature, threshold)
            object.__setattr__(self, "_steps_cache", cached)
        return cached

    @property
    def depth(self) -> int:
        """The deepest leaf's depth (levels to walk)."""
        cached = self.__dict__.get("_depth_cache")
        if cached is None:
            depth = np.zeros(self.feature.size, dtype=np.int64)
            for start in self.roots.tolist():  # parents come before children in each tree
                stack = [start]
                while stack:
                    at = stack.pop()
                    if not self.is_leaf[at]:
                        for child in (int(self.left[at]), int(self.right[at])):
                            depth[child] = depth[at] + 1
                            stack.append(child)
            cached = int(depth.max(initial=0))
            object.__setattr__(self, "_depth_cache", cached)
        return cached

    def score(self, x: np.ndarray) -> np.ndarray:
        """Probability that a candidate belongs with the history, in (0, 1)."""
        return 1.0 / (1.0 + np.exp(-self.log_odds(x)))

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "roots": self.roots, "feature": self.feature, "threshold": self.threshold,
            "left": self.left, "right": self.right, "is_leaf": self.is_leaf,
            "value": self.value,
        }

    @classmethod
    def trees_from(cls, feature_names: Sequence[str], baseline: float,
                   arrays: Mapping[str, np.ndarray], prefix: str = "") -> Trees:
        """Plain ``Trees`` from saved node arrays (named ``prefix + name``)."""
        return Trees(
            feature_names=tuple(feature_names),
            roots=np.asarray(arrays[prefix + "roots"], dtype=np.int64),
            feature=np.asarray(arrays[prefix + "feature"], dtype=np.int64),
            threshold=np.asarray(arrays[prefix + "threshold"], dtype=np.float64),
            left=np.asarray(arrays[prefix + "left"], dtype=np.int64),
            right=np.asarray(arrays[prefix + "right"], dtype=np.int64),
            is_leaf=np.asarray(arrays[prefix + "is_leaf"], dtype=bool),
            value=np.asarray(arrays[prefix + "value"], dtype=np.float64),
            baseline=float(baseline),
        )


STAGE_PREFIX = "stage_"


@dataclass(frozen=True, eq=False)
class TreeRanker(Trees):
    """The learned ranking stage: the first stage's trees over ``FEATURE_NAMES`` and, when
    one was fitted, the second stage's over ``STAGE_FEATURES`` (``recommender.stage``)."""

    version: int
    trained_at: str  # ISO date-time, UTC
    meta: Mapping[str, Any]
    stage: Trees | None = None

    def __post_init__(self) -> None:
        if tuple(self.feature_names) != FEATURE_NAMES:
            raise ValueError("the model was trained on other features; train it again")
        super().__post_init__()
        if self.stage is not None and tuple(self.stage.feature_names) != STAGE_FEATURES:
            raise ValueError("the second stage was trained on other inputs")

    def rank(self, x: np.ndarray, context: Callable[[], StageContext]) -> np.ndarray:
        """The pool's final log-odds: the first stage's, rescored by the second stage when
        there is one (``context`` gives the pool's artists, albums and plays)."""
        first = self.log_odds(x)
        if self.stage is None or first.size == 0:
            return first
        return self.stage.log_odds(stage_inputs(first, context()))

    def with_stage(self, stage: Trees | None, meta: Mapping[str, Any] | None = None
                   ) -> TreeRanker:
        """The same first stage with another second stage (None: the first stage alone)."""
        return replace(self, stage=stage, meta=dict(self.meta if meta is None else meta))

    def arrays(self) -> dict[str, np.ndarray]:
        out = super().arrays()
        if self.stage is not None:
            out.update({STAGE_PREFIX + name: values
                        for name, values in self.stage.arrays().items()})
        return out

    def header(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "trained_at": self.trained_at,
            "feature_names": list(self.feature_names),
            "baseline": self.baseline,
            "meta": dict(self.meta),
            "stage": None if self.stage is None else {
                "feature_names": list(self.stage.feature_names),
                "baseline": self.stage.baseline,
            },
        }

    @classmethod
    def from_parts(cls, header: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
                   ) -> TreeRanker:
        """The model from its header and node arrays. Another version or feature set raises
        ``ValueError``; a second stage that is missing or unusable leaves the first stage
        alone (``meta["stage_unusable"]`` says why)."""
        if int(header.get("version", -1)) != RANKER_VERSION:
            raise ValueError(f"model version {header.get('version')} is not {RANKER_VERSION}")
        if tuple(header.get("feature_names", ())) != FEATURE_NAMES:
            raise ValueError("the model was trained on other features; train it again")
        first = cls.trees_from(header["feature_names"], header["baseline"], arrays)
        meta = dict(header.get("meta", {}))
        ranker = cls(**{f.name: getattr(first, f.name) for f in fields(Trees)},
                     version=int(header["version"]), trained_at=str(header["trained_at"]),
                     meta=meta)
        described = header.get("stage")
        if not described:
            return ranker
        try:
            stage = cls.trees_from(described["feature_names"], described["baseline"], arrays,
                                   STAGE_PREFIX)
            return ranker.with_stage(stage)
        except (KeyError, TypeError, ValueError) as exc:
            return ranker.with_stage(None, {**meta, "stage_unusable": str(exc) or repr(exc)})
