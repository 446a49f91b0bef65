"""Finding a catalogue track by the name a person types."""

from __future__ import annotations

import numpy as np

from recommender.catalog import FEATURES, Catalog, CatalogBuilder
from recommender.search import find_artist, find_by_name, near_artist, near_name, simplify

NAMES = ["Bohemian Rhapsody - Remastered 2011", "Levitating (feat. DaBaby)", "Levitating",
         "Stand by Me", "Café Del Mar", "Velvet River"]
ARTISTS = ["Queen", "Dua Lipa", "Someone Else", "Ben E. King", "Energy 52", "Luna Park"]
POPULARITY = [80.0, 70.0, 20.0, 60.0, 40.0, float("nan")]


def catalogue() -> Catalog:
    builder = CatalogBuilder()
    n = len(NAMES)
    builder.add(track_ids=[f"t{i}" for i in range(n)], names=NAMES, artists=ARTISTS,
                albums=["a"] * n, release_year=[2000] * n, popularity=POPULARITY,
                features=np.zeros((n, len(FEATURES))), genres=[{"pop"}] * n)
    return builder.build()


def test_names_are_simplified_as_people_type_them() -> None:
    assert simplify("Bohemian Rhapsody - Remastered 2011") == "bohemian rhapsody"
    assert simplify("Levitating (feat. DaBaby)") == "levitating"
    assert simplify("Café Del Mar!") == "cafe del mar"
    assert simplify("Rock & Roll ft. Someone") == "rock and roll"


def test_case_punctuation_and_suffixes_do_not_matter() -> None:
    catalog = catalogue()
    assert find_by_name(catalog, "bohemian rhapsody").rows == (0,)
    assert find_by_name(catalog, "BOHEMIAN RHAPSODY!").rows == (0,)
    assert find_by_name(catalog, "cafe del mar").rows == (4,)


def test_by_narrows_to_the_artist_and_popular_first_otherwise() -> None:
    catalog = catalogue()
    assert find_by_name(catalog, "Levitating").rows == (1, 2)  # the more popular first
    assert find_by_name(catalog, "levitating by dua lipa").rows == (1,)
    assert find_by_name(catalog, "Stand by Me").rows == (3,)  # "by" inside a title
    assert find_by_name(catalog, "Bohemian Rhapsody by Queen").rows == (0,)


def test_a_missing_name_offers_the_closest_instead() -> None:
    match = find_by_name(catalogue(), "Bohemian Rapsody by ABBA")
    assert match.rows == ()
    assert match.closest[0] == 0
    assert find_by_name(catalogue(), "zzzz qqqq").closest == ()


def test_an_artist_is_found_as_people_type_it() -> None:
    catalog = catalogue()
    for typed in ("Dua Lipa", "dua lipa", "DUA LIPA!", "the dua lipa"):
        match = find_artist(catalog, typed)
        assert match.name == "Dua Lipa" and match.rows == (1,), typed
    assert find_artist(catalog, "ben e king").rows == (3,)


def test_a_missing_artist_offers_the_closest_names() -> None:
    catalog = catalogue()
    match = find_artist(catalog, "Dua Lippa")
    assert match.rows == () and match.closest == ("Dua Lipa",)
    assert find_artist(catalog, "Metallica") == find_artist(catalog, "metallica")
    assert find_artist(catalog, "Metallica").rows == ()
    assert find_artist(catalog, "Ben E").closest == ("Ben E. King",)


def test_a_mistyped_name_is_taken_for_the_one_name_very_near_it() -> None:
    catalog = catalogue()
    assert near_name(catalog, "bohemian rapsody") == (0,)
    assert near_name(catalog, "Levitatin") == (1, 2)
    assert near_name(catalog, "velvet rivers") == (5,)
    assert near_name(catalog, "a river of velvet") == ()  # not close enough to act on
    assert near_name(catalog, "levi") == ()  # too short to be sure of
    assert near_artist(catalog, "dua lippa") == "Dua Lipa"
    assert near_artist(catalog, "the luna parks") == "Luna Park"
    assert near_artist(catalog, "metallica") == ""


def test_closest_names_look_among_the_most_popular_only(monkeypatch) -> None:
    import recommender.search as search

    monkeypatch.setattr(search, "FUZZY_NAMES", 2)
    catalog = catalogue()
    search.name_index.cache_clear()
    try:
        index = search.name_index(catalog)
        assert index.names == ("bohemian rhapsody", "levitating")  # popularity 80, 70
        assert search.near_name(catalog, "bohemian rapsody") == (0,)
        assert search.near_name(catalog, "velvet rivers") == ()  # not among the two
        assert find_by_name(catalog, "velvet river").rows == (5,)  # exact names: all of them
    finally:
        search.name_index.cache_clear()
