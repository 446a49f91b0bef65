"""The learned ranking stage: exported trees predict what scikit-learn predicts, the
co-occurrence features can only raise a score, and the engine falls back without a model."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from recommender.engine import Recommender, UserProfile
from recommender.ranker import (
    FEATURE_NAMES,
    MONOTONE_INCREASING,
    RANKER_VERSION,
    TreeRanker,
    ranker_features,
)
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


def test_no_feature_reads_how_many_tracks_an_artist_has_in_the_catalogue(settings,
                                                                         rl_settings):
    """The same listener and candidates in two catalogues that differ only by extra tracks
    of one artist (on another album, by no one listened to): every feature is the same."""
    from recommender.candidates import history_signals
    from recommender.request import Constraints, build_request

    from .conftest import tiny_catalog

    rng = np.random.default_rng(4)
    base_n, extra = 40, 25
    features = np.column_stack([rng.uniform(0.2, 0.8, base_n + extra) for _ in range(4)]
                               + [rng.uniform(80, 140, base_n + extra)])
    artists = [f"Artist {i % 8}" for i in range(base_n)] + ["Artist 0"] * extra
    small = tiny_catalog(features[:base_n], artists=artists[:base_n])
    big = tiny_catalog(features, artists=artists)
    outs = []
    for catalog in (small, big):
        rec = Recommender(catalog, settings, rl_settings)
        user = UserProfile(np.arange(10), np.ones(10), None, account_age_days=90)
        request = build_request(user, None, Constraints(), catalog=catalog, index=rec.index,
                                genres=rec.genres, settings=settings, collaborative=None)
        rows = np.arange(10, base_n)
        parts = history_signals(catalog, rec.index, rows, request, genres=rec.genres)
        outs.append((parts, ranker_features(catalog, rec.index, rows, request, parts)))
    (parts_a, x_a), (parts_b, x_b) = outs
    for name in ("artist", "album", "year", "genre", "artist_cf", "collaborative"):
        np.testing.assert_allclose(parts_a[name], parts_b[name], err_msg=name)
    skip = {FEATURE_NAMES.index(f) for f in FEATURE_NAMES
            if f.startswith(("gap_", "tight_gap_", "popularity")) or f in ("content",
                                                                            "centroid_cosine",
                                                                            "nearest_cosine")}
    keep = [i for i in range(len(FEATURE_NAMES)) if i not in skip]
    # (audio z-scores and popularity standardise over the catalogue: not a per-artist count)
    np.testing.assert_allclose(x_a[:, keep], x_b[:, keep])
