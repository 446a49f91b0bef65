"""Invariants over random listeners (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.engine import Constraints, UserProfile
from recommender.personality import Traits

N = 1500  # the small catalogue's size

trait = st.floats(min_value=1.0, max_value=5.0)
listeners = st.fixed_dictionaries(
    {
        "history": st.lists(st.integers(0, N - 1), max_size=80),
        "liked": st.lists(st.integers(0, N - 1), max_size=10),
        "disliked": st.lists(st.integers(0, N - 1), max_size=10),
        "excluded": st.frozensets(st.integers(0, N - 1), max_size=60),
        "traits": st.none() | st.builds(Traits, trait, trait, trait, trait, trait),
        "age": st.floats(min_value=0, max_value=2000),
        "mood": st.sampled_from([None, "calm", "very energetic", "happy but not loud", "not sad"]),
        "k": st.integers(1, 80),
        "seed": st.integers(0, 2**16),
    }
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(listeners)
def test_hidden_rows_never_return_and_scores_are_finite(small_recommender, case):
    history = np.array(case["history"], dtype=np.int64)
    weights = np.random.default_rng(case["seed"]).integers(1, 50, history.size).astype(float)
    user = UserProfile(
        history,
        weights,
        case["traits"],
        case["age"],
        liked_rows=np.array(case["liked"], dtype=np.int64),
        disliked_rows=np.array(case["disliked"], dtype=np.int64),
    )
    recs = small_recommender.recommend(
        user,
        k=case["k"],
        mood=case["mood"],
        constraints=Constraints(exclude_rows=case["excluded"]),
        seed=case["seed"],
    )
    returned = set(recs.rows.tolist())
    assert len(returned) == len(recs) <= case["k"]
    forbidden = set(case["history"]) | set(case["liked"]) | set(case["disliked"]) | case["excluded"]
    assert not returned & forbidden
    assert np.all(np.isfinite(recs.final))
    for name, values in recs.components.items():
        assert values.shape == recs.rows.shape, name
        assert np.all(np.isfinite(values)), name
    assert np.all(np.abs(recs.components["rl_adjustment"]) <= 0.05)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(0, 2**16))
def test_same_input_same_list(small_recommender, seed):
    user = UserProfile(np.arange(20), np.ones(20), Traits(4, 2, 4, 3, 2), 40)
    first = small_recommender.recommend(user, seed=seed)
    again = small_recommender.recommend(user, seed=seed)
    assert np.array_equal(first.rows, again.rows)
