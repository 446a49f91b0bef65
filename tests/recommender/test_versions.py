"""One version of a song: the key, and lists that never repeat or re-offer a song."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.engine import Constraints, Recommender, UserProfile
from recommender.versions import base_title, song_codes, song_key

from .conftest import DEV_CSV, tiny_catalog

dev_only = pytest.mark.skipif(
    not DEV_CSV.exists(),
    reason=f"dev playlists not found at {DEV_CSV} (set TUNEMATE_DEV_CSV; see EVAL.md)",
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Stairway to Heaven - Remaster", "Stairway to Heaven - 1990 Remaster"),
        ("All Dead, All Dead - Remastered 2011", "All Dead, All Dead"),
        ("'39 - 2011 Mix", "'39"),
        ("Paint It, Black - Mono", "Paint It, Black"),
        ("Hotel California - Live at The Los Angeles Forum, 10/20-22/76", "Hotel California"),
        ("Ay Mi Dios (feat. Pitbull, Yandel & Chacal)", "Ay Mi Dios"),
        ("Top Hat, White Tie and Tails - Radio Edit", "Top Hat, White Tie and Tails"),
        ("Tonight, Tonight - Remastered 2012", "tonight tonight"),
    ],
)
def test_version_marks_are_stripped(a, b):
    assert base_title(a) == base_title(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Memories - Dillon Francis Remix", "Memories"),  # someone else's production
        ("The More You Live, The More You Love", "The More You Love"),
        ("Hello", "Hello Again"),
    ],
)
def test_different_songs_stay_apart(a, b):
    assert base_title(a) != base_title(b)


def test_the_primary_artist_is_part_of_the_key():
    assert song_key("Hello", "Adele") != song_key("Hello", "Lionel Richie")
    assert song_key("Hello (feat. X)", "Adele, X") == song_key("Hello - Live", "Adele")


def _versions_catalogue():
    titles = [
        "Stairway to Heaven - Remaster", "Stairway to Heaven - 1990 Remaster",
        "Stairway to Heaven", "Black Dog - Remaster", "Black Dog - Live",
        "Kashmir", "Whole Lotta Love", "Whole Lotta Love - 1990 Remaster",
    ]
    n = 60
    rng = np.random.default_rng(0)
    features = np.column_stack([
        rng.uniform(0.3, 0.7, n), rng.uniform(0.3, 0.7, n), rng.uniform(0.3, 0.7, n),
        rng.uniform(0.0, 0.5, n), rng.uniform(90, 130, n),
    ])
    names = titles + [f"Song {i}" for i in range(n - len(titles))]
    artists = ["Led Zeppelin"] * len(titles) + [f"Band {i % 12}" for i in range(n - len(titles))]
    catalog = tiny_catalog(features, artists=artists, genres=[{"rock"}] * n)
    return catalog, names, artists


def _with_names(catalog, names):
    from recommender.catalog import build_catalog

    return build_catalog(
        track_ids=list(catalog.track_ids), names=names, artists=list(catalog.artists),
        albums=["IV"] * 8 + [f"Album {i}" for i in range(len(names) - 8)],
        release_year=catalog.release_year, popularity=catalog.popularity,
        features=catalog.features, genres=catalog.genres,
    )


@pytest.fixture(scope="module")
def zeppelin(settings, rl_settings):
    catalog, names, _ = _versions_catalogue()
    catalog = _with_names(catalog, names)
    return Recommender(catalog, settings, rl_settings)


def test_a_list_never_holds_two_versions_of_a_song(zeppelin):
    history = np.array([5, 10, 11, 12])  # Kashmir and three others
    user = UserProfile(history, np.ones(4), None, account_age_days=90)
    recs = zeppelin.recommend(user, k=40)
    codes = zeppelin.index.song_codes[recs.rows]
    assert codes.size == np.unique(codes).size
    names = [zeppelin.catalog.names[r] for r in recs.rows]
    assert sum(n.startswith("Stairway to Heaven") for n in names) == 1


def test_no_version_of_a_history_or_disliked_song_is_offered(zeppelin):
    user = UserProfile(np.array([0]), np.ones(1), None, account_age_days=90,
                       disliked_rows=np.array([3]))
    recs = zeppelin.recommend(user, k=40)
    names = [zeppelin.catalog.names[r] for r in recs.rows]
    assert not any(n.startswith("Stairway to Heaven") for n in names)
    assert not any(n.startswith("Black Dog") for n in names)


def test_more_like_x_never_returns_x_or_a_version_of_it(zeppelin):
    row = 6  # "Whole Lotta Love"
    raw = zeppelin.catalog.features[row]
    from recommender.catalog import FEATURE_INDEX
    from recommender.mood import MoodTargets

    targets = MoodTargets(targets=tuple((f, float(raw[FEATURE_INDEX[f]]))
                                        for f in ("energy", "valence", "danceability")),
                          words=("like Whole Lotta Love",))
    user = UserProfile(np.empty(0, np.int64), np.empty(0), None, account_age_days=90)
    recs = zeppelin.recommend(user, k=40, mood=targets,
                              constraints=Constraints(exclude_rows=frozenset({row})))
    names = [zeppelin.catalog.names[r] for r in recs.rows]
    assert not any(n.startswith("Whole Lotta Love") for n in names)


@dev_only
def test_versions_in_the_dev_file_share_a_code():
    from store.csv_catalog import catalog_from_parsed, read_catalog_csv

    catalog = catalog_from_parsed(read_catalog_csv(DEV_CSV))
    codes = song_codes(catalog)
    by_name: dict[str, list[int]] = {}
    for row in range(len(catalog)):
        by_name.setdefault(catalog.names[row], []).append(row)

    def rows_of(title: str) -> list[int]:
        found = by_name.get(title)
        if not found:
            pytest.skip(f"{title!r} is not in this dev file")
        return found

    # real pairs of the dev file: the same song remastered, live, as a radio edit
    for a, b in [("Juke Box Hero - 2008 Remaster", "Juke Box Hero"),
                 ("Wake Me Up Before You Go-Go - Remastered", "Wake Me Up Before You Go-Go"),
                 ("Pour Some Sugar On Me - Remastered 2017", "Pour Some Sugar On Me"),
                 ("All of Me - Live from Spotify Milan", "All of Me"),
                 ("Wake Me Up - Radio Edit", "Wake Me Up")]:
        assert codes[rows_of(a)[0]] == codes[rows_of(b)[0]], (a, b)
    # a remix by someone else is not the same song
    assert codes[rows_of("Memories - Dillon Francis Remix")[0]] != codes[rows_of("Memories")[0]]
    pairs = 0
    for rows in by_name.values():
        pairs += len(rows) > 1
    # every exact duplicate title by one artist is one song
    for rows in by_name.values():
        for r in rows[1:]:
            if catalog.artist_codes[r] == catalog.artist_codes[rows[0]]:
                assert codes[r] == codes[rows[0]]
    assert pairs > 0


@dev_only
def test_dev_lists_hold_one_version_of_each_song(settings, rl_settings):
    from recommender.evaluation import playlist_data, split_playlist
    from store.csv_catalog import catalog_from_parsed, read_catalog_csv

    parsed = read_catalog_csv(DEV_CSV)
    catalog = catalog_from_parsed(parsed)
    data = playlist_data(catalog, parsed.memberships)
    recommender = Recommender(catalog, settings, rl_settings)
    codes = recommender.index.song_codes
    for i in data.evaluated[:40]:
        visible, _ = split_playlist(data.playlist_rows[i], 0, i)
        recs = recommender.recommend(UserProfile(visible, np.ones(visible.size), None, 90.0))
        assert np.unique(codes[recs.rows]).size == recs.rows.size
        assert not np.isin(codes[recs.rows], codes[visible]).any()
