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


def _with_stage():
    from recommender.stage import StageContext, stage_inputs
    from recommender.training import fit_stage

    rng = np.random.default_rng(1)
    x = rng.random((3000, len(FEATURE_NAMES)))
    y = x[:, 1] + rng.normal(0, 0.2, 3000) > 0.8
    first = fit_ranker(x, y, meta={"source": "test"}, max_iter=10)
    artist = rng.integers(0, 8, 3000)
    context = StageContext(np.repeat(np.arange(30), 100), artist, artist * 2,
                           np.where(artist < 3, 2.0, 0.0), np.zeros(3000), np.full(3000, 20.0))
    stage = fit_stage(first.log_odds(x), context, y, max_iter=10)
    ranker = first.with_stage(stage)
    expected = stage.log_odds(stage_inputs(first.log_odds(x[:100]), context.take(slice(0, 100))))
    return ranker, x[:100], context.take(slice(0, 100)), expected


def test_the_second_stage_is_saved_with_the_model_and_loads_back(tmp_path):
    ranker, x, context, expected = _with_stage()
    save_ranker(tmp_path, ranker)
    header_path, arrays_path = ranker_paths(tmp_path)
    header = json.loads(header_path.read_text())
    assert header["stage"]["feature_names"] and header["version"] == ranker.version
    with np.load(arrays_path, allow_pickle=False) as arrays:  # plain arrays only
        assert {"stage_" + name for name in ("roots", "feature", "threshold", "left", "right",
                                             "is_leaf", "value")} <= set(arrays.files)
    loaded = load_ranker(tmp_path)
    assert loaded is not None and loaded.stage is not None
    np.testing.assert_array_equal(loaded.rank(x, lambda: context), expected)
    np.testing.assert_array_equal(loaded.log_odds(x), ranker.log_odds(x))


def test_a_missing_or_unusable_stage_means_the_first_stage_alone(tmp_path):
    ranker, x, context, _ = _with_stage()
    save_ranker(tmp_path, ranker)
    header_path, arrays_path = ranker_paths(tmp_path)
    with np.load(arrays_path, allow_pickle=False) as arrays:
        kept = {k: arrays[k] for k in arrays.files}
    # the stage's arrays gone (a model written without them): the first stage alone
    np.savez(arrays_path, **{k: v for k, v in kept.items() if not k.startswith("stage_")})
    loaded = load_ranker(tmp_path)
    assert loaded is not None and loaded.stage is None
    assert "stage_unusable" in loaded.meta
    np.testing.assert_array_equal(loaded.rank(x, lambda: context), ranker.log_odds(x))
    # arrays that do not fit together, or other inputs: the first stage alone as well
    np.savez(arrays_path, **{**kept, "stage_left": kept["stage_left"][:3]})
    assert load_ranker(tmp_path).stage is None  # type: ignore[union-attr]
    np.savez(arrays_path, **kept)
    header = json.loads(header_path.read_text())
    header["stage"]["feature_names"] = ["something", "else"]
    header_path.write_text(json.dumps(header))
    assert load_ranker(tmp_path).stage is None  # type: ignore[union-attr]
    # no stage at all in the header: the first stage, nothing noted
    header["stage"] = None
    header_path.write_text(json.dumps(header))
    plain = load_ranker(tmp_path)
    assert plain is not None and plain.stage is None and "stage_unusable" not in plain.meta
