"""A prepared recommender taken apart into arrays and put back together answers the same."""

from __future__ import annotations

import json

import numpy as np
import pytest

from recommender.catalog import Catalog
from recommender.engine import Recommender, UserProfile
from recommender.personality import Traits
from recommender.snapshot import (
    FORMAT,
    SnapshotError,
    recommender_arrays,
    restore_recommender,
)

OPEN_EXTRAVERT = Traits(4.6, 2.5, 4.8, 3.0, 2.0)


def _users(n_tracks: int) -> list[UserProfile]:
    rng = np.random.default_rng(5)
    users = [UserProfile(np.empty(0, np.int64), np.empty(0), None, account_age_days=0),
             UserProfile(np.empty(0, np.int64), np.empty(0), OPEN_EXTRAVERT, account_age_days=3)]
    for age in (10.0, 90.0):
        rows = rng.choice(n_tracks, 30, replace=False).astype(np.int64)
        users.append(UserProfile(rows, rng.uniform(1, 20, rows.size), OPEN_EXTRAVERT,
                                 account_age_days=age))
    return users


@pytest.fixture(scope="module")
def restored(small_catalog: Catalog, settings, rl_settings) -> tuple[Recommender, Recommender]:
    original = Recommender(small_catalog, settings, rl_settings)
    manifest, arrays = recommender_arrays(original)
    # the manifest is JSON and the arrays are plain (no objects): both can go to files
    manifest = json.loads(json.dumps(manifest))
    assert all(a.dtype != object for a in arrays.values())
    return original, restore_recommender(manifest, arrays, settings, rl_settings)


def test_restored_recommender_gives_the_same_lists(restored):
    original, copy = restored
    for user in _users(len(original.catalog)):
        for mood in (None, "calm", "energetic"):
            a = original.recommend(user, mood=mood, q_values={"cluster:1": 0.4})
            b = copy.recommend(user, mood=mood, q_values={"cluster:1": 0.4})
            assert a.rows.tolist() == b.rows.tolist()
            np.testing.assert_allclose(a.final, b.final)
            assert a.to_dicts(original.catalog) == b.to_dicts(copy.catalog)


def test_restored_catalogue_reads_like_the_original(restored):
    original, copy = restored
    a, b = original.catalog, copy.catalog
    assert len(a) == len(b)
    for row in (0, 7, len(a) - 1):
        assert a.track_ids[row] == b.track_ids[row]
        assert (a.names[row], a.artists[row], a.albums[row]) == (
            b.names[row], b.artists[row], b.albums[row])
        assert a.genres[row] == b.genres[row]
        assert b.row_of[a.track_ids[row]] == row
    assert b.rows(["no such id", a.track_ids[3]])[1] == ["no such id"]
    assert copy.genres.labels == original.genres.labels
    assert (copy.genres.track_labels != original.genres.track_labels).nnz == 0


def test_restoring_copies_no_array(small_catalog, settings, rl_settings):
    manifest, arrays = recommender_arrays(Recommender(small_catalog, settings, rl_settings))
    for array in arrays.values():
        array.flags.writeable = False  # as a read-only memory map would be
    copy = restore_recommender(manifest, arrays, settings, rl_settings)
    assert np.shares_memory(copy.index.space.unit, arrays["index.space.unit"])
    assert np.shares_memory(copy.catalog.features, arrays["catalog.features"])
    assert np.shares_memory(copy.genres.track_labels.indices, arrays["genres.track_labels.indices"])
    assert np.shares_memory(copy.personality_tables.alignment(),
                            arrays["personality.alignment"])
    # and a list can be made over read-only arrays
    assert len(copy.recommend(_users(len(small_catalog))[3])) == settings.list_size


def test_membership_change_keeps_the_personality_tables(restored):
    _, copy = restored
    again = copy.with_membership(collaborative=None)
    assert again.personality_tables is copy.personality_tables


def test_a_manifest_of_another_format_is_refused(small_catalog, settings, rl_settings):
    manifest, arrays = recommender_arrays(Recommender(small_catalog, settings, rl_settings))
    with pytest.raises(SnapshotError):
        restore_recommender({**manifest, "format": FORMAT + 1}, arrays, settings, rl_settings)
    del arrays["index.space.unit"]
    with pytest.raises(SnapshotError, match="index.space.unit"):
        restore_recommender(manifest, arrays, settings, rl_settings)


def test_a_restored_recommender_can_be_taken_apart_again(restored, settings, rl_settings):
    original, copy = restored
    assert not isinstance(copy.catalog.genres, tuple)  # a code per row, not a pointer per row
    assert list(copy.catalog.genres) == list(original.catalog.genres)
    manifest, arrays = recommender_arrays(copy)
    again = restore_recommender(manifest, arrays, settings, rl_settings)
    user = _users(len(original.catalog))[3]
    assert again.recommend(user).rows.tolist() == original.recommend(user).rows.tolist()
