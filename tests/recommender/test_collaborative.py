"""Co-occurrence counts and the leave-one-listener-out view."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recommender.collaborative import build_cooccurrence


def test_counts_by_hand():
    cooc = build_cooccurrence([np.array([0, 1, 2]), np.array([1, 2]), np.array([2, 3, 3])], 5)
    dense = cooc.counts().toarray()
    assert dense[1, 2] == 2 and dense[2, 1] == 2
    assert dense[0, 1] == 1 and dense[2, 3] == 1
    assert dense[0, 3] == 0 and np.all(np.diag(dense) == 0)
    assert cooc.listeners.tolist() == [1, 2, 3, 1, 0]
    rows, scores = cooc.scores(np.array([0]), np.array([1.0]))
    # cosine of listener sets: track 0 (1 listener) with 1 (2) → 1/√2, with 2 (3) → 1/√3
    assert rows.tolist() == [1, 2]
    np.testing.assert_allclose(scores, [1 / np.sqrt(2), 1 / np.sqrt(3)])


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 14), min_size=1, max_size=8), min_size=2, max_size=8),
    st.data(),
)
def test_leaving_a_listener_out_equals_rebuilding_without_them(users, data):
    arrays = [np.array(u) for u in users]
    out = data.draw(st.integers(0, len(arrays) - 1))
    query = np.unique(data.draw(st.lists(st.sampled_from(users[out]), min_size=1)))
    weights = np.linspace(1.0, 0.5, query.size)
    full = build_cooccurrence(arrays, 15).without(arrays[out])
    rebuilt = build_cooccurrence([a for i, a in enumerate(arrays) if i != out], 15)
    got_rows, got = full.scores(query, weights)
    want_rows, want = rebuilt.scores(query, weights)
    got_map = dict(zip(got_rows.tolist(), got.tolist(), strict=True))
    want_map = dict(zip(want_rows.tolist(), want.tolist(), strict=True))
    assert got_map.keys() == want_map.keys()
    for row, value in want_map.items():
        assert abs(got_map[row] - value) < 1e-6
