"""Training the learned ranking stage (pure: playlists in, a ``TreeRanker`` out).

Every listener (a playlist, or a user's history) with at least ``MIN_PLAYLIST`` tracks is
split as the evaluation splits it (half visible, half hidden); the recommender, with that
listener left out of everything learned from membership, proposes its candidate pool; each
candidate is an example, labelled 1 when it is one of the hidden tracks. Several seeds give
several splits of each listener. Gradient-boosted trees (scikit-learn's
``HistGradientBoostingClassifier``) learn the log-odds; the trees are copied into plain
arrays (``TreeRanker``), so nothing is pickled and prediction needs only numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from recommender.engine import Recommender
from recommender.evaluation import Membership, PlaylistData, listener_of, split_playlist
from recommender.ranker import FEATURE_NAMES, MONOTONE_INCREASING, RANKER_VERSION, TreeRanker

# the splits of each listener a ranker learns from, apart from the evaluation seeds 0–2:
# four random visible/hidden splits of each listener (more query groups, so the trees
# learn less of any one split by heart)
TRAIN_SEEDS: tuple[int, ...] = (1000, 1001, 1002, 1003)
# boosting settings: small trees, many examples per leaf (the pools are large and noisy)
MAX_ITER = 150
LEARNING_RATE = 0.05
MAX_LEAF_NODES = 15
MIN_SAMPLES_LEAF = 200
# shallow trees: prediction walks every tree level by level, so depth is request time
MAX_DEPTH = 6


def training_examples(
    recommender: Recommender,
    data: PlaylistData,
    playlists: Sequence[int],
    seeds: Sequence[int] = (0,),
    on_playlist: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, labels, group) of every candidate of every listener split."""
    membership = Membership.of(recommender.catalog, data)
    xs, ys, groups = [], [], []
    for done, i in enumerate(playlists, start=1):
        local = membership.leave_out(recommender, data, i)
        for seed in seeds:
            visible, hidden = split_playlist(data.playlist_rows[i], seed, i)
            pool, x = local.candidate_features(listener_of(visible))
            xs.append(x)
            ys.append(np.isin(pool, hidden))
            groups.append(np.full(pool.size, i))
        if on_playlist is not None:
            on_playlist(done)
    if not xs:
        return np.zeros((0, len(FEATURE_NAMES))), np.zeros(0, bool), np.zeros(0, np.int64)
    return np.vstack(xs), np.concatenate(ys), np.concatenate(groups)


def fit_ranker(
    x: np.ndarray, y: np.ndarray, *, seed: int = 0, meta: dict[str, Any] | None = None,
    max_iter: int = MAX_ITER,
) -> TreeRanker:
    """Boosted trees on the examples, with the co-occurrence features monotone increasing."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    if x.shape[0] == 0 or y.all() or not y.any():
        raise ValueError("training needs examples of both kinds (hidden and not)")
    model = HistGradientBoostingClassifier(
        max_iter=max_iter,
        learning_rate=LEARNING_RATE,
        max_leaf_nodes=MAX_LEAF_NODES,
        max_depth=MAX_DEPTH,
        min_samples_leaf=MIN_SAMPLES_LEAF,
        monotonic_cst=[1 if name in MONOTONE_INCREASING else 0 for name in FEATURE_NAMES],
        early_stopping=False,
        random_state=seed,
    )
    model.fit(x, y)
    return _export(model, {"examples": int(y.size), "positives": int(y.sum()),
                           **(meta or {})})


def _export(model: Any, meta: dict[str, Any]) -> TreeRanker:
    """The fitted trees as flat node arrays (a binary classifier: one tree per iteration)."""
    roots, parts, offset = [], [], 0
    for iteration in model._predictors:  # noqa: SLF001 - the fitted trees; no public accessor
        nodes = iteration[0].nodes
        roots.append(offset)
        parts.append((nodes, offset))
        offset += nodes.shape[0]

    def column(name: str, shift: bool = False) -> np.ndarray:
        return np.concatenate([
            nodes[name].astype(np.int64) + (off if shift else 0) if shift else nodes[name]
            for nodes, off in parts
        ])

    is_leaf = column("is_leaf").astype(bool)
    if np.any(column("is_categorical")):
        raise ValueError("categorical splits are not supported")
    return TreeRanker(
        feature_names=FEATURE_NAMES,
        roots=np.asarray(roots, dtype=np.int64),
        feature=column("feature_idx").astype(np.int64),
        threshold=column("num_threshold").astype(np.float64),
        left=column("left", shift=True),
        right=column("right", shift=True),
        is_leaf=is_leaf,
        value=column("value").astype(np.float64),
        baseline=float(np.ravel(model._baseline_prediction)[0]),  # noqa: SLF001
        version=RANKER_VERSION,
        trained_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        meta=meta,
    )
