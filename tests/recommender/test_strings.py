"""The compact text columns read like the lists and dict they replace."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.strings import CodedColumn, IdIndex, StringColumn


@given(st.lists(st.text(max_size=12), max_size=40))
def test_string_column_round_trips(texts: list[str]) -> None:
    column = StringColumn(texts)
    assert len(column) == len(texts)
    assert list(column) == texts
    if texts:
        assert column[len(texts) - 1] == texts[-1]
        assert column[-1] == texts[-1]
        picked = column[np.array([0, len(texts) - 1])]
        assert list(picked) == [texts[0], texts[-1]]


@given(st.lists(st.lists(st.text(max_size=8), max_size=10), max_size=5))
def test_string_columns_concatenate_in_order(chunks: list[list[str]]) -> None:
    joined = StringColumn.concat([StringColumn(c) for c in chunks])
    assert list(joined) == [t for c in chunks for t in c]


def test_coded_column_keeps_each_text_once_across_chunks() -> None:
    seen: dict[str, int] = {}
    first = CodedColumn.encode(["Abba", "Björk", "Abba"], seen)
    second = CodedColumn.encode(["Björk", "Cher"], seen)
    assert list(first.codes) == [0, 1, 0]
    assert list(second.codes) == [1, 2]
    assert list(second) == ["Björk", "Cher"]
    assert second[1] == "Cher"


@given(st.lists(st.text(alphabet="abcxyz0123", min_size=1, max_size=22), unique=True,
                max_size=60))
def test_id_index_finds_every_row_and_nothing_else(ids: list[str]) -> None:
    index = IdIndex(ids)
    for row, track_id in enumerate(ids):
        assert index.get(track_id) == row
        assert index.id_at(row) == track_id
    assert index.get("not-an-id-at-all-xxxxxxxx") is None
    assert "zzzz-missing" not in index


def test_id_index_refuses_duplicates() -> None:
    with pytest.raises(ValueError, match="unique"):
        IdIndex(["a", "b", "a"])
