"""Constraints are hard filters."""

from __future__ import annotations

import numpy as np

from recommender.engine import Constraints, UserProfile


def _user(age=90):
    return UserProfile(np.arange(25), np.ones(25), None, account_age_days=age)


def _has_word(labels, word):
    return any(word in label.split() for label in labels)


def test_no_rap_means_no_rap(small_recommender):
    catalog = small_recommender.catalog
    recs = small_recommender.recommend(_user(), constraints=Constraints(exclude_genres=("rap",)))
    assert len(recs) > 0
    assert not any(_has_word(catalog.genres[r], "rap") for r in recs.rows)


def test_decade_and_genre_include(small_recommender):
    catalog = small_recommender.catalog
    recs = small_recommender.recommend(
        _user(), constraints=Constraints(decade=1990, include_genres=("rock",))
    )
    assert len(recs) > 0
    years = catalog.release_year[recs.rows]
    assert np.all((years >= 1990) & (years <= 1999))
    assert all(_has_word(catalog.genres[r], "rock") for r in recs.rows)


def test_popularity_and_tempo_ranges(small_recommender):
    catalog = small_recommender.catalog
    c = Constraints(min_popularity=20, max_popularity=60, min_tempo=90, max_tempo=130)
    for mood in (None, "energetic"):
        recs = small_recommender.recommend(_user(), constraints=c, mood=mood)
        pop = catalog.popularity[recs.rows]
        tempo = catalog.features[recs.rows, 10]
        assert len(recs) > 0
        assert np.all((pop >= 20) & (pop <= 60))
        assert np.all((tempo >= 90) & (tempo <= 130))


def test_year_bounds(small_recommender):
    catalog = small_recommender.catalog
    for c, low, high in ((Constraints(min_year=2015), 2015, 9999),
                         (Constraints(max_year=2004), 1, 2004),
                         (Constraints(min_year=2000, max_year=2005), 2000, 2005)):
        recs = small_recommender.recommend(_user(), constraints=c)
        years = catalog.release_year[recs.rows]
        assert len(recs) > 0
        assert np.all((years >= low) & (years <= high)), c


def test_excluded_rows_never_come_back(small_recommender):
    first = small_recommender.recommend(_user())
    shown = frozenset(int(r) for r in first.rows)
    second = small_recommender.recommend(_user(), constraints=Constraints(exclude_rows=shown))
    assert not set(second.rows.tolist()) & shown


def test_impossible_constraints_give_an_empty_list(small_recommender):
    recs = small_recommender.recommend(_user(), constraints=Constraints(decade=1800))
    assert len(recs) == 0
    assert recs.total_candidates == 0


def test_only_rows_keeps_the_list_to_the_tracks_asked_for(small_recommender):
    # "play some Queen": the artist's tracks are candidates however the sources rank them
    catalog = small_recommender.catalog
    artist = catalog.artist_codes[300]
    wanted = np.flatnonzero(catalog.artist_codes == artist)
    wanted = wanted[~np.isin(wanted, np.arange(25))]  # not the listener's own history
    recs = small_recommender.recommend(
        _user(), k=10, constraints=Constraints(only_rows=frozenset(wanted.tolist())))
    assert len(recs) > 0
    assert set(recs.rows.tolist()) <= set(wanted.tolist())
    assert recs.candidate_sources.get("requested", 0) > 0
