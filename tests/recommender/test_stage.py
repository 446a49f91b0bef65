"""The second ranking stage: its inputs read only the candidates scored above (never counts of
an artist's or album's tracks), its trees are shallow, it is fitted on out-of-fold scores, and
the engine uses it when the model has one."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from recommender.engine import Recommender, UserProfile
from recommender.ranker import FEATURE_NAMES, TreeRanker
from recommender.stage import STAGE_FEATURES, STAGE_MONOTONE, StageContext, stage_inputs
from recommender.training import (
    MAX_DEPTH,
    MAX_LEAF_NODES,
    cross_fitted_rankers,
    fit_ranker,
    fit_stage,
    fit_with_stage,
)


def _context(artist, album=None, plays=None, pool=None, size=20.0) -> StageContext:
    artist = np.asarray(artist, dtype=np.int64)
    m = artist.size
    album = np.asarray(album if album is not None else artist * 10, dtype=np.int64)
    plays = np.asarray(plays if plays is not None else np.zeros(m), dtype=np.float64)
    return StageContext(
        pool=np.asarray(pool if pool is not None else np.zeros(m), dtype=np.int64),
        artist=artist, album=album, artist_plays=plays, album_plays=plays / 2,
        history_size=np.full(m, size))


def _pools(seed: int = 0, pools: int = 60, size: int = 80):
    """Random pools: (log-odds, context, labels); hidden tracks follow the log-odds and are
    rarer further down an artist's candidates."""
    rng = np.random.default_rng(seed)
    m = pools * size
    artist = rng.integers(0, 12, m)
    album = artist * 3 + rng.integers(0, 3, m)
    lo = rng.normal(-2.5, 1.5, m)
    pool = np.repeat(np.arange(pools), size)
    plays = np.where(artist < 4, artist + 1.0, 0.0)
    ctx = StageContext(pool, artist, album, plays, plays / 2, np.full(m, 20.0))
    rank = stage_inputs(lo, ctx)[:, 1]
    y = rng.random(m) < 1 / (1 + np.exp(-(lo - 0.6 * rank)))
    return lo, ctx, y


def test_the_twelve_inputs_are_the_documented_ones():
    assert len(STAGE_FEATURES) == 12 == len(STAGE_MONOTONE)
    lo = np.array([0.5, 2.0, 1.0, 1.0, -1.0])
    ctx = _context([1, 1, 1, 2, 1], album=[5, 5, 6, 7, 5], plays=[3, 3, 3, 0, 3], size=10)
    x = stage_inputs(lo, ctx)
    p = 1 / (1 + np.exp(-lo))
    row = dict(zip(STAGE_FEATURES, x[0], strict=True))  # the artist's third candidate
    assert row["log_odds"] == 0.5
    assert row["artist_above_log"] == pytest.approx(np.log(3))
    assert row["artist_above_per_play"] == pytest.approx(2 / 4)
    assert row["artist_expected_above"] == pytest.approx(p[1] + p[2])
    assert row["artist_expected_less_half_plays"] == pytest.approx(p[1] + p[2] - 1.5)
    assert row["artist_plays"] == 3 and row["artist_share"] == pytest.approx(0.3)
    assert row["below_artist_best"] == pytest.approx(1.5)
    assert row["album_above_log"] == pytest.approx(np.log(2))  # only #1 is on album 5 above
    assert row["album_expected_above"] == pytest.approx(p[1])
    assert row["album_plays"] == 1.5 and row["history_size"] == 10
    best = dict(zip(STAGE_FEATURES, x[1], strict=True))
    assert best["artist_above_log"] == 0 and best["below_artist_best"] == 0


def test_adding_lower_scored_tracks_of_an_artist_leaves_every_input_unchanged():
    rng = np.random.default_rng(3)
    lo, ctx, _ = _pools(seed=3, pools=3, size=60)
    before = stage_inputs(lo, ctx)
    # more tracks of artist 2 (and of its albums) in pool 1, each scored below every one of
    # the artist's candidates there
    mine = (ctx.pool == 1) & (ctx.artist == 2)
    assert mine.sum() >= 2
    extra = 7
    album = ctx.album[mine][0]
    lo_more = np.concatenate([lo, lo[mine].min() - 0.1 - rng.random(extra)])
    ctx_more = StageContext(
        pool=np.concatenate([ctx.pool, np.ones(extra, dtype=np.int64)]),
        artist=np.concatenate([ctx.artist, np.full(extra, 2)]),
        album=np.concatenate([ctx.album, np.full(extra, album)]),
        artist_plays=np.concatenate([ctx.artist_plays, np.full(extra, ctx.artist_plays[mine][0])]),
        album_plays=np.concatenate([ctx.album_plays, np.zeros(extra)]),
        history_size=np.concatenate([ctx.history_size, np.full(extra, 20.0)]))
    after = stage_inputs(lo_more, ctx_more)[: lo.size]
    np.testing.assert_allclose(after, before, rtol=0, atol=1e-12)
    # one track scored in the middle changes only the inputs of the candidates below it
    middle = float(np.median(lo[mine]))
    lo_mid = np.concatenate([lo, [middle - 1e-6]])
    ctx_mid = StageContext(np.concatenate([ctx.pool, [1]]), np.concatenate([ctx.artist, [2]]),
                           np.concatenate([ctx.album, [album]]),
                           np.concatenate([ctx.artist_plays, [ctx.artist_plays[mine][0]]]),
                           np.concatenate([ctx.album_plays, [0.0]]),
                           np.concatenate([ctx.history_size, [20.0]]))
    mid = stage_inputs(lo_mid, ctx_mid)[: lo.size]
    above = ~(mine & (lo < middle - 1e-6))
    np.testing.assert_allclose(mid[above], before[above], rtol=0, atol=1e-12)
    assert not np.allclose(mid[~above], before[~above])


def test_an_artist_with_more_tracks_in_the_catalogue_gives_the_same_inputs(small_recommender):
    """Through the engine's context: extra catalogue tracks of the artist, not in the pool,
    are never read (the inputs come from the pool and the history only)."""
    catalog, index = small_recommender.catalog, small_recommender.index
    history = np.arange(20)
    pool = np.arange(20, 220)
    lo = np.random.default_rng(0).normal(-2, 1, pool.size)
    ctx = StageContext.of(catalog, index, pool, history)
    plays = np.bincount(catalog.artist_codes[history])
    codes = catalog.artist_codes[pool]
    expected = np.where(codes < plays.size, plays[np.minimum(codes, plays.size - 1)], 0)
    np.testing.assert_array_equal(ctx.artist_plays, expected)
    x = stage_inputs(lo, ctx)
    # the same pool with the artists' other catalogue tracks appended, scored lowest
    others = np.setdiff1d(np.flatnonzero(np.isin(catalog.artist_codes, codes)),
                          np.concatenate([pool, history]))
    assert others.size
    wider = np.concatenate([pool, others])
    lo_wide = np.concatenate([lo, np.full(others.size, lo.min() - 5)])
    x_wide = stage_inputs(lo_wide, StageContext.of(catalog, index, wider, history))
    np.testing.assert_allclose(x_wide[: pool.size], x, rtol=0, atol=1e-12)


def test_pools_are_read_apart():
    lo, ctx, _ = _pools(seed=1, pools=4, size=50)
    together = stage_inputs(lo, ctx)
    for p in range(4):
        one = ctx.pool == p
        alone = stage_inputs(lo[one], ctx.take(one))
        np.testing.assert_allclose(together[one], alone, rtol=0, atol=1e-12)


def test_equal_scores_count_neither_above_nor_below():
    x = stage_inputs(np.array([1.0, 1.0, 0.0]), _context([4, 4, 4]))
    assert x[0, 1] == x[1, 1] == 0 and x[2, 1] == pytest.approx(np.log(3))


def test_the_stage_is_shallow():
    lo, ctx, y = _pools()
    stage = fit_stage(lo, ctx, y, max_iter=20)
    assert stage.feature_names == STAGE_FEATURES
    assert stage.depth <= MAX_DEPTH
    leaves = np.diff(np.append(stage.roots, stage.n_nodes))
    assert np.all((leaves + 1) // 2 <= MAX_LEAF_NODES)  # nodes = 2·leaves − 1
    assert STAGE_MONOTONE == (0,) * 12  # unconstrained: see the eighth round's table


def _ranker_examples(groups: int = 5, per_group: int = 4, size: int = 150):
    """First-stage examples whose column 0 names the listener (to see who a fit saw)."""
    rng = np.random.default_rng(2)
    owners = np.arange(groups * per_group)
    owner = np.repeat(owners, size)
    x = rng.random((owner.size, len(FEATURE_NAMES)))
    x[:, 0] = owner
    y = x[:, 1] + rng.normal(0, 0.3, owner.size) > 1.0
    ctx = StageContext(owner.astype(np.int64), rng.integers(0, 6, owner.size),
                       rng.integers(0, 12, owner.size), np.zeros(owner.size),
                       np.zeros(owner.size), np.full(owner.size, 20.0))
    return x, y, owner, ctx, owners


@pytest.fixture
def seen(monkeypatch) -> list[set[int]]:
    """Quick fits (a few trees), each first-stage fit recording the listeners it saw."""
    import recommender.training as training

    record: list[set[int]] = []

    def recording_fit(xx, yy, **kwargs):
        record.append({int(v) for v in np.unique(xx[:, 0])})
        return fit_ranker(xx, yy, **{**kwargs, "max_iter": 5})

    monkeypatch.setattr(training, "fit_ranker", recording_fit)
    monkeypatch.setattr(training, "fit_stage",
                        lambda *a, **kw: fit_stage(*a, **{**kw, "max_iter": 5}))
    return record


def test_cross_fitted_folds_never_see_their_group_and_share_inner_fits(seen):
    x, y, owner, ctx, owners = _ranker_examples()
    groups = [tuple(owners[g::5].tolist()) for g in range(5)]
    fitted = cross_fitted_rankers(x, y, owner, ctx, groups)
    assert len(seen) == 5 + 10  # K fold fits and K(K-1)/2 shared inner fits
    everyone = set(owners.tolist())
    for trained_on in seen[:10]:  # each inner fit leaves out exactly two groups
        left_out = everyone - trained_on
        assert sum(set(g) <= left_out for g in groups) == 2
        assert len(left_out) == 2 * len(groups[0])
    for group, trained_on, ranker in zip(groups, seen[10:], fitted, strict=True):
        assert not set(group) & trained_on
        assert ranker.stage is not None and ranker.meta["stage"]["fitted"]


def test_train_fits_the_stage_on_out_of_fold_scores_and_ships_both(seen):
    x, y, owner, ctx, owners = _ranker_examples()
    ranker = fit_with_stage(x, y, owner, ctx, meta={"source": "test"})
    assert len(seen) == 6  # five groups scored out of fold, then the shipped first stage
    assert all(len(s) == owners.size - 4 for s in seen[:5]) and seen[5] == set(owners.tolist())
    assert ranker.stage is not None and ranker.meta["source"] == "test"
    assert ranker.meta["stage"]["fitted"] and ranker.meta["stage"]["depth"] <= MAX_DEPTH
    few = owner < 1  # one listener: no groups to score out of fold, the first stage alone
    alone = fit_with_stage(x[few], y[few], owner[few], ctx.take(few))
    assert alone.stage is None and not alone.meta["stage"]["fitted"]


def test_the_engine_rescores_with_the_stage_and_falls_back_without(small_recommender):
    rows = np.arange(30)
    user = UserProfile(rows, np.ones(30), None, account_age_days=90)
    pool, x, ctx = small_recommender.candidate_examples(user)
    artist = small_recommender.catalog.artist_codes[pool]
    label = artist == np.bincount(artist).argmax()
    noise = np.random.default_rng(0).normal(0, 1e-3, (5 * x.shape[0], x.shape[1]))
    first = fit_ranker(np.vstack([x] * 5) + noise, np.concatenate([label] * 5), max_iter=20)
    lo = first.log_odds(x)
    contexts = StageContext.concatenate([ctx] * 5)
    stage = fit_stage(np.concatenate([lo] * 5), contexts, np.concatenate([label] * 5),
                      max_iter=20)
    both = first.with_stage(stage)
    np.testing.assert_allclose(both.rank(x, lambda: ctx), stage.log_odds(stage_inputs(lo, ctx)))
    np.testing.assert_array_equal(first.rank(x, lambda: ctx), lo)
    with_stage = Recommender.with_ranker(small_recommender, both).recommend(user)
    without = Recommender.with_ranker(small_recommender, first).recommend(user)
    assert with_stage.ranker == without.ranker == "learned"
    assert with_stage.rows.size == without.rows.size == 50


def test_a_stage_with_other_inputs_is_refused():
    lo, ctx, y = _pools(pools=10)
    stage = fit_stage(lo, ctx, y, max_iter=5)
    x, yy, *_ = _ranker_examples()
    first = fit_ranker(x, yy, max_iter=5)
    with pytest.raises(ValueError, match="second stage"):
        first.with_stage(replace(stage, feature_names=tuple(reversed(STAGE_FEATURES))))
    assert isinstance(first.with_stage(stage), TreeRanker)
