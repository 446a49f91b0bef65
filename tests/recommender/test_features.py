"""Standardised features: catalogue statistics, missing values kept missing."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.catalog import FEATURE_INDEX
from recommender.features import SIMILARITY_FEATURES, build_feature_space, intra_list_diversity

from .conftest import tiny_catalog


def test_standardised_from_the_catalogue():
    rows = np.array([[0.2, 0.2, 0.5, 0.5, 100.0], [0.8, 0.8, 0.5, 0.5, 140.0]])
    space = build_feature_space(tiny_catalog(rows))
    energy = SIMILARITY_FEATURES.index("energy")
    np.testing.assert_allclose(space.standardised()[:, energy], [-1.0, 1.0], atol=1e-6)
    assert space.mean[FEATURE_INDEX["tempo"]] == pytest.approx(120.0)
    assert space.standardise("tempo", 100.0) == pytest.approx(-1.0)


def test_missing_values_stay_missing():
    rows = np.array(
        [[0.2, 0.2, 0.5, 0.5, 100.0], [0.8, np.nan, 0.5, 0.5, 0.0], [0.5, 0.6, 0.5, 0.5, 140.0]]
    )
    space = build_feature_space(tiny_catalog(rows))
    energy = SIMILARITY_FEATURES.index("energy")
    tempo = SIMILARITY_FEATURES.index("tempo")
    assert not space.known[1, energy] and not space.known[1, tempo]  # tempo 0 BPM = unknown
    assert space.standardised()[1, energy] == 0.0  # contributes nothing to a cosine
    # the statistics ignore the missing values
    assert space.mean[FEATURE_INDEX["energy"]] == pytest.approx(0.4)
    assert space.mean[FEATURE_INDEX["tempo"]] == pytest.approx(120.0)
    # closeness to an energy target is unknown for the track without energy
    close = space.closeness(np.arange(3), {"energy": 0.6})
    assert np.isnan(close[1]) and close[2] > close[0]


def test_intra_list_diversity():
    same = np.array([[1.0, 0.0], [1.0, 0.0]])
    opposite = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert intra_list_diversity(same) == pytest.approx(0.0)
    assert intra_list_diversity(opposite) == pytest.approx(1.0)


def test_ild_uses_all_twelve_features_z_scored_and_not_clipped():
    from recommender.catalog import FEATURES
    from recommender.evaluation import ild_vectors
    from recommender.features import intra_list_diversity

    rng = np.random.default_rng(0)
    raw = rng.normal(size=(200, len(FEATURES)))
    raw[0, FEATURES.index("duration_ms")] = 40.0  # far beyond 3 s.d.: must not be clipped
    raw[1, FEATURES.index("key")] = np.nan  # unknown: at the mean
    unit = ild_vectors(raw)
    z = (raw - np.nanmean(raw, axis=0)) / np.nanstd(raw, axis=0)
    z = np.nan_to_num(z)
    expected = z / np.linalg.norm(z, axis=1, keepdims=True)
    np.testing.assert_allclose(unit, expected, atol=1e-12)
    assert abs(unit[0, FEATURES.index("duration_ms")]) > 0.9  # dominated, not clipped at 3
    rows = np.arange(10)
    cos = expected[rows] @ expected[rows].T
    manual = 1 - (cos.sum() - np.trace(cos)) / (10 * 9)
    assert intra_list_diversity(unit[rows]) == pytest.approx(manual)
