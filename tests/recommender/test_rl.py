"""Q-learning: the update rule, rewards from config, actions, and the bounded RL term."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.engine import UserProfile
from recommender.mood import mood_state, parse_mood
from recommender.rl import (
    UnknownSignalError,
    actions_for_row,
    q_update,
    reward_for,
    rl_adjustment,
)


def test_q_update_matches_the_formula_by_hand():
    # Q ← 0.5 + 0.1·(1.0 + 0.9·2.0 − 0.5) = 0.5 + 0.1·2.3 = 0.73
    assert q_update(0.5, 1.0, 2.0, alpha=0.1, gamma=0.9) == pytest.approx(0.73)
    # a skip from zero with nothing learned next: 0 + 0.1·(−0.4) = −0.04
    assert q_update(0.0, -0.4, 0.0, alpha=0.1, gamma=0.9) == pytest.approx(-0.04)


def test_rewards_come_from_config(rl_settings):
    assert reward_for("like", rl_settings) == 1.0
    assert reward_for("add_to_playlist", rl_settings) == 1.8
    assert reward_for("skip", rl_settings) == -0.4
    with pytest.raises(UnknownSignalError, match="love"):
        reward_for("love", rl_settings)


def test_actions_of_a_row(small_recommender):
    labels = small_recommender.index.rl_clusters.labels
    ids = small_recommender.catalog.track_ids
    actions = actions_for_row(labels, ids, 12)
    assert actions == [f"cluster:{labels[12]}", f"track:{ids[12]}"]


def test_states_are_coarse():
    assert mood_state(None) == "default"
    assert mood_state(parse_mood("calm")) == "energy_low:valence_mid"
    assert mood_state(parse_mood("happy")) == "energy_high:valence_high"
    assert mood_state(parse_mood("sad")) == "energy_low:valence_low"


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([f"cluster:{i}" for i in range(30)] + [f"track:t{i}" for i in range(20)]),
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
        max_size=20,
    )
)
def test_rl_term_never_leaves_the_bound(q_values):
    rows = np.arange(20)
    labels = np.arange(20) % 24
    row_of = {f"t{i}": i for i in range(20)}
    term = rl_adjustment(q_values, rows, labels, row_of, bound=0.05, q_scale=1.0)
    assert np.all(np.abs(term) <= 0.05)
    assert np.all(np.isfinite(term))


def test_liked_cluster_rises_and_stays_bounded(small_recommender):
    catalog = small_recommender.catalog
    user = UserProfile(np.arange(30), np.ones(30), None, account_age_days=90)
    before = small_recommender.recommend(user)
    target = int(before.clusters[-1])
    q = {f"cluster:{target}": 50.0, f"track:{catalog.track_ids[before.rows[-1]]}": 50.0}
    after = small_recommender.recommend(user, q_values=q)
    assert np.all(np.abs(after.components["rl_adjustment"]) <= 0.05)
    assert (after.clusters == target).sum() >= (before.clusters == target).sum()
    in_target = after.clusters == target
    assert np.allclose(after.components["rl_adjustment"][in_target], 0.05)
    assert np.allclose(after.components["rl_adjustment"][~in_target], 0.0)
