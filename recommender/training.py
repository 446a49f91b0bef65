"""Training the learned ranking stage (pure: playlists in, a ``TreeRanker`` out).

Every listener (a playlist, or a user's history) with at least ``MIN_PLAYLIST`` tracks is
split as the evaluation splits it (half visible, half hidden); the recommender, with that
listener left out of everything learned from membership, proposes its candidate pool; each
candidate is an example, labelled 1 when it is one of the hidden tracks. Several seeds give
several splits of each listener. Gradient-boosted trees (scikit-learn's
``HistGradientBoostingClassifier``) learn the log-odds; the trees are copied into plain
arrays (``TreeRanker``), so nothing is pickled and prediction needs only numpy.

The second stage (``recommender.stage``) learns from first-stage scores of listeners those
trees never saw: the listeners fall into ``STAGE_GROUPS`` seeded groups, trees fitted on the
other groups score each group (out of fold), the second stage is fitted on those scores, and
the shipped first stage on every listener. ``cross_fitted_rankers`` does the same inside each
fold of a cross-fitted evaluation, sharing the inner fits between folds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import combinations
from typing import Any

import numpy as np

from recommender.engine import Recommender
from recommender.evaluation import (
    Membership,
    PlaylistData,
    listener_of,
    playlist_folds,
    split_playlist,
)
from recommender.ranker import (
    FEATURE_NAMES,
    MONOTONE_INCREASING,
    RANKER_VERSION,
    TreeRanker,
    Trees,
)
from recommender.stage import STAGE_FEATURES, STAGE_MONOTONE, StageContext, stage_inputs

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
# the second stage: fewer trees of the same shape, fitted on out-of-fold first-stage scores
STAGE_MAX_ITER = 100
STAGE_GROUPS = 5
GROUP_SEED = 0  # the listeners' grouping (the same as the cross-fitted evaluation's folds)

Say = Callable[[str], None]


def training_examples(
    recommender: Recommender,
    data: PlaylistData,
    playlists: Sequence[int],
    seeds: Sequence[int] = (0,),
    on_playlist: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, StageContext]:
    """(features, labels, playlist, second-stage context) of every candidate of every
    listener split (each split one pool of the context)."""
    membership = Membership.of(recommender.catalog, data)
    xs, ys, groups, contexts = [], [], [], []
    for done, i in enumerate(playlists, start=1):
        local = membership.leave_out(recommender, data, i)
        for seed in seeds:
            visible, hidden = split_playlist(data.playlist_rows[i], seed, i)
            pool, x, context = local.candidate_examples(listener_of(visible))
            xs.append(x)
            ys.append(np.isin(pool, hidden))
            groups.append(np.full(pool.size, i))
            contexts.append(context)
        if on_playlist is not None:
            on_playlist(done)
    if not xs:
        return (np.zeros((0, len(FEATURE_NAMES))), np.zeros(0, bool), np.zeros(0, np.int64),
                StageContext.concatenate([]))
    return (np.vstack(xs), np.concatenate(ys), np.concatenate(groups),
            StageContext.concatenate(contexts))


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


def fit_stage(log_odds: np.ndarray, context: StageContext, y: np.ndarray, *, seed: int = 0,
              max_iter: int = STAGE_MAX_ITER) -> Trees:
    """The second stage: boosted trees on ``STAGE_FEATURES`` of out-of-fold log-odds, of the
    first stage's shape (≤ 15 leaves, depth ≤ 6, ≥ 200 examples a leaf) and monotone as
    ``STAGE_MONOTONE`` says."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    if y.size == 0 or y.all() or not y.any():
        raise ValueError("the second stage needs examples of both kinds (hidden and not)")
    model = HistGradientBoostingClassifier(
        max_iter=max_iter,
        learning_rate=LEARNING_RATE,
        max_leaf_nodes=MAX_LEAF_NODES,
        max_depth=MAX_DEPTH,
        min_samples_leaf=MIN_SAMPLES_LEAF,
        monotonic_cst=list(STAGE_MONOTONE),
        early_stopping=False,
        random_state=seed,
    )
    model.fit(stage_inputs(log_odds, context), y)
    return _trees(model, STAGE_FEATURES)


def out_of_fold_log_odds(x: np.ndarray, y: np.ndarray, owner: np.ndarray,
                         groups: Sequence[Sequence[int]], *, say: Say | None = None,
                         ) -> np.ndarray:
    """Each example's first-stage log-odds from trees fitted without its group (NaN for an
    example whose listener is in no group)."""
    out = np.full(y.size, np.nan)
    for number, group in enumerate(groups, start=1):
        mine = np.isin(owner, group)
        if not mine.any():
            continue
        if say is not None:
            say(f"second stage: out-of-fold scores of group {number}/{len(groups)}")
        out[mine] = fit_ranker(x[~mine], y[~mine]).log_odds(x[mine])
    return out


def fit_with_stage(x: np.ndarray, y: np.ndarray, owner: np.ndarray, context: StageContext,
                   *, meta: dict[str, Any] | None = None, groups: int = STAGE_GROUPS,
                   say: Say | None = None) -> TreeRanker:
    """The shipped model: the first stage fitted on every example and, when the listeners
    fill two groups or more, the second stage fitted on out-of-fold first-stage scores."""
    listeners = sorted(set(owner.tolist()))
    parts = [g for g in playlist_folds(listeners, groups, GROUP_SEED) if g] if listeners else []
    stage, note = None, "not fitted: fewer than two groups of listeners"
    if len(parts) >= 2:
        try:
            scores = out_of_fold_log_odds(x, y, owner, parts, say=say)
            stage = fit_stage(scores, context, y)
            note = f"fitted on out-of-fold scores of {len(parts)} groups"
        except ValueError as exc:  # a group with one kind of example only
            note = f"not fitted: {exc}"
    if say is not None:
        say(f"first stage: fitting on {len(listeners)} listeners")
    first = fit_ranker(x, y, meta=meta)
    return first.with_stage(stage, {**first.meta, "stage": _stage_meta(stage, note)})


def cross_fitted_rankers(x: np.ndarray, y: np.ndarray, owner: np.ndarray,
                         context: StageContext, groups: Sequence[Sequence[int]], *,
                         meta: dict[str, Any] | None = None, say: Say | None = None,
                         ) -> list[TreeRanker]:
    """One model per group, each trained on the other groups as ``fit_with_stage`` trains:
    fold f's second stage learns from scores of each other group h by trees fitted without
    f and h. Those trees serve fold h too (scoring f), so K folds take K + K(K−1)/2 fits of
    the first stage instead of K².  Fewer than three groups: the first stage alone."""
    k = len(groups)
    member = [np.isin(owner, g) for g in groups]
    inner: list[np.ndarray] = [np.full(y.size, np.nan) for _ in range(k)]
    failed: set[int] = set()
    if k >= 3:
        pairs = list(combinations(range(k), 2))
        for done, (f, h) in enumerate(pairs, start=1):
            if say is not None:
                say(f"second stage: inner fit {done}/{len(pairs)} (without groups "
                    f"{f + 1} and {h + 1})")
            rest = ~(member[f] | member[h])
            try:
                trees = fit_ranker(x[rest], y[rest])
            except ValueError:
                failed.update((f, h))
                continue
            inner[f][member[h]] = trees.log_odds(x[member[h]])
            inner[h][member[f]] = trees.log_odds(x[member[f]])
    out = []
    for f in range(k):
        rest = ~member[f]
        listeners = len({int(o) for o in owner[rest]})
        if say is not None:
            say(f"fold {f + 1}/{k}: training on {listeners} playlists")
        first = fit_ranker(x[rest], y[rest], meta={**(meta or {}), "listeners": listeners})
        stage, note = None, "not fitted: fewer than three folds"
        if k >= 3 and f not in failed:
            try:
                stage = fit_stage(inner[f][rest], context.take(rest), y[rest])
                note = f"fitted on out-of-fold scores of {k - 1} groups"
            except ValueError as exc:
                note = f"not fitted: {exc}"
        elif f in failed:
            note = "not fitted: an inner fit had examples of one kind only"
        out.append(first.with_stage(stage, {**first.meta, "stage": _stage_meta(stage, note)}))
    return out


def _stage_meta(stage: Trees | None, note: str) -> dict[str, Any]:
    if stage is None:
        return {"fitted": False, "note": note}
    return {"fitted": True, "note": note, "trees": stage.n_trees, "nodes": stage.n_nodes,
            "depth": stage.depth}


def _export(model: Any, meta: dict[str, Any]) -> TreeRanker:
    """The first stage's fitted trees as a ``TreeRanker`` (without a second stage)."""
    trees = _trees(model, FEATURE_NAMES)
    return TreeRanker(
        **{name: getattr(trees, name) for name in (
            "feature_names", "roots", "feature", "threshold", "left", "right", "is_leaf",
            "value", "baseline")},
        version=RANKER_VERSION,
        trained_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        meta=meta,
    )


def _trees(model: Any, names: tuple[str, ...]) -> Trees:
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
    return Trees(
        feature_names=names,
        roots=np.asarray(roots, dtype=np.int64),
        feature=column("feature_idx").astype(np.int64),
        threshold=column("num_threshold").astype(np.float64),
        left=column("left", shift=True),
        right=column("right", shift=True),
        is_leaf=is_leaf,
        value=column("value").astype(np.float64),
        baseline=float(np.ravel(model._baseline_prediction)[0]),  # noqa: SLF001
    )
