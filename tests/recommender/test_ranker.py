"""The learned ranking stage: exported trees predict what scikit-learn predicts, the
co-occurrence features can only raise a score, and the engine falls back without a model."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from recommender.engine import Recommender, UserProfile
from recommender.ranker import FEATURE_NAMES, MONOTONE_INCREASING, RANKER_VERSION, TreeRanker
from recommender.training import _export, fit_ranker


def _examples(seed: int = 0, n: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((n, len(FEATURE_NAMES)))
    logit = 3 * x[:, 1] + 2 * x[:, 2] - 2 * x[:, 8] + rng.normal(0, 1, n)
    return x, logit > 2.0


def test_exported_trees_predict_like_scikit_learn():
    x, y = _examples()
    model = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=7, random_state=0)
    model.fit(x, y)
    ranker = _export(model, {})
    probe, _ = _examples(seed=1, n=500)
    np.testing.assert_allclose(ranker.log_odds(probe), model.decision_function(probe),
                               rtol=1e-9, atol=1e-9)


def test_cooccurrence_features_only_raise_a_score():
    x, y = _examples()
    # make the co-occurrence feature look harmful in the data: the constraint must hold
    j = FEATURE_NAMES.index("artist_cf")
    y = y & (x[:, j] < 0.7)
    ranker = fit_ranker(x, y, max_iter=20)
    base, _ = _examples(seed=2, n=200)
    for name in MONOTONE_INCREASING:
        col = FEATURE_NAMES.index(name)
        previous = None
        for value in np.linspace(0, 1, 11):
            probe = base.copy()
            probe[:, col] = value
            scores = ranker.log_odds(probe)
            if previous is not None:
                assert np.all(scores >= previous - 1e-12)
            previous = scores


def test_a_model_for_other_features_or_versions_is_refused():
    x, y = _examples()
    ranker = fit_ranker(x, y, max_iter=20)
    assert ranker.version == RANKER_VERSION and ranker.trained_at
    header = ranker.header()
    with pytest.raises(ValueError, match="version"):
        TreeRanker.from_parts({**header, "version": RANKER_VERSION + 1}, ranker.arrays())
    with pytest.raises(ValueError, match="features"):
        TreeRanker.from_parts({**header, "feature_names": ["a", "b"]}, ranker.arrays())
    broken = dict(ranker.arrays(), left=np.full_like(ranker.left, 10**6))
    with pytest.raises(ValueError, match="inconsistent"):
        TreeRanker.from_parts(header, broken)


def test_the_engine_uses_a_model_when_given_and_falls_back_without(small_recommender):
    rows = np.arange(30)
    user = UserProfile(rows, np.ones(30), None, account_age_days=90)
    plain = small_recommender.recommend(user)
    assert plain.ranker == "hand-weighted"
    pool, x = small_recommender.candidate_features(user)
    assert x.shape == (pool.size, len(FEATURE_NAMES)) and np.isfinite(x).all()
    # a model that only likes one artist's tracks
    artist = small_recommender.catalog.artist_codes[pool]
    favourite = np.bincount(artist).argmax()
    label = artist == favourite
    xx = np.vstack([x] * 5)
    ranker = fit_ranker(xx + np.random.default_rng(0).normal(0, 1e-3, xx.shape),
                        np.concatenate([label] * 5), max_iter=20)
    learned = Recommender.with_ranker(small_recommender, ranker).recommend(user)
    assert learned.ranker == "learned"
    assert not np.array_equal(learned.rows, plain.rows)
