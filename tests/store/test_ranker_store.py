"""The learned ranker on disk: JSON header and numpy arrays, no pickle."""

from __future__ import annotations

import json

import numpy as np

from recommender.ranker import FEATURE_NAMES
from recommender.training import fit_ranker
from store.ranker_store import load_ranker, ranker_paths, save_ranker


def test_a_saved_ranker_loads_back_and_predicts_the_same(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.random((2000, len(FEATURE_NAMES)))
    y = x[:, 1] + rng.normal(0, 0.2, 2000) > 0.8
    ranker = fit_ranker(x, y, meta={"source": "test"}, max_iter=20)
    assert load_ranker(tmp_path) is None  # nothing there yet: the engine falls back
    save_ranker(tmp_path, ranker)
    header_path, arrays_path = ranker_paths(tmp_path)
    header = json.loads(header_path.read_text())
    assert header["version"] == ranker.version
    assert header["trained_at"] == ranker.trained_at
    assert header["meta"]["source"] == "test"
    with np.load(arrays_path, allow_pickle=False) as arrays:  # plain arrays only
        assert set(arrays.files) == set(ranker.arrays())
    loaded = load_ranker(tmp_path)
    assert loaded is not None
    np.testing.assert_array_equal(loaded.log_odds(x[:100]), ranker.log_odds(x[:100]))
