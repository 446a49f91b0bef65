"""The score: cold-start weights truly applied, diversity against the chosen list, candidates."""

from __future__ import annotations

import json

import numpy as np
import pytest

from recommender.engine import SOURCES, Recommender, UserProfile
from recommender.personality import Traits
from recommender.scoring import select_diverse
from recommender.synthetic import generate_catalog

EXTRAVERT = Traits(3, 3, 5, 3, 3)


def _history_user(recommender: Recommender, age: float) -> UserProfile:
    """A listener of the catalogue's calmest, least popular tracks (far from an extravert);
    9 tracks, below the evidence threshold, so that the account's age sets the stage."""
    energy = recommender.catalog.features[:, 1]
    rows = np.argsort(energy)[:9]
    return UserProfile(rows, np.arange(9, 0, -1.0), EXTRAVERT, account_age_days=age)


@pytest.mark.parametrize(
    ("age", "stage"),
    [(0, "week1"), (6.9, "week1"), (7, "weeks2_4"), (29.5, "weeks2_4"), (30, "month2_plus")],
)
def test_stage_by_account_age(small_recommender, age, stage):
    assert small_recommender.stage_for(age)[0] == stage


def test_each_stage_applies_its_configured_weights(small_recommender, settings):
    for age, name in [(1, "week1"), (10, "weeks2_4"), (90, "month2_plus")]:
        recs = small_recommender.recommend(_history_user(small_recommender, age))
        configured = settings.cold_start[name]
        assert recs.stage == name
        assert recs.weights["personality"] == configured.personality
        assert recs.weights["history"] == configured.history
        assert recs.weights["popular"] == configured.popular
        c, w = recs.components, recs.weights
        recomputed = (
            w["history"] * c["history_similarity"]
            + w["personality"] * c["personality_match"]
            + w["diversity"] * c["diversity_bonus"]
            + w["novelty"] * c["novelty_factor"]
            + w["popular"] * c["popularity"]
            + c["rl_adjustment"]
        )
        np.testing.assert_allclose(recs.final, recomputed, atol=1e-8)


def test_stages_change_the_list_as_the_spec_says(small_recommender):
    week1 = small_recommender.recommend(_history_user(small_recommender, 1))
    weeks2_4 = small_recommender.recommend(_history_user(small_recommender, 10))
    month2 = small_recommender.recommend(_history_user(small_recommender, 90))
    energy = small_recommender.catalog.features[:, 1]
    # week 1 ignores the (calm) history: personality (extravert → energetic) and popularity
    assert week1.components["popularity"].mean() > weeks2_4.components["popularity"].mean()
    assert energy[week1.rows].mean() > energy[weeks2_4.rows].mean()
    # history enters in weeks 2–4 and pulls toward the calm listening history
    assert (
        weeks2_4.components["history_similarity"].mean()
        > week1.components["history_similarity"].mean()
    )
    # month 2+: personality weighs less than in weeks 2–4, diversity and novelty enter
    assert month2.weights["personality"] < weeks2_4.weights["personality"]
    assert month2.weights["diversity"] > 0 and weeks2_4.weights["diversity"] == 0
    assert (
        month2.components["personality_match"].mean()
        < weeks2_4.components["personality_match"].mean()
    )


def test_diversity_is_measured_against_the_chosen_list():
    a = np.array([1.0, 0.0])
    unit = np.array(
        [a, a, [0.0, 1.0]], dtype=np.float32
    )  # a duplicate of the first, then an orthogonal one
    base = np.array([1.0, 0.99, 0.95])
    artists = np.array([0, 1, 2])
    with_diversity = select_diverse(
        base, unit, artists, k=3, diversity_weight=0.1, max_per_artist=3
    )
    assert with_diversity.order.tolist() == [0, 2, 1]
    np.testing.assert_allclose(with_diversity.diversity, [1.0, 1.0, 0.0])
    without = select_diverse(base, unit, artists, k=3, diversity_weight=0.0, max_per_artist=3)
    assert without.order.tolist() == [0, 1, 2]


def test_artist_cap():
    unit = np.eye(6, dtype=np.float32)
    base = np.array([1.0, 0.9, 0.8, 0.7, 0.6, 0.5])
    artists = np.array([7, 7, 7, 7, 8, 9])
    chosen = select_diverse(base, unit, artists, k=6, diversity_weight=0.0, max_per_artist=2)
    assert chosen.order.tolist() == [0, 1, 4, 5]


def test_month2_list_respects_artist_caps(small_recommender, settings):
    recs = small_recommender.recommend(_history_user(small_recommender, 90))
    _, counts = np.unique(small_recommender.catalog.artist_codes[recs.rows], return_counts=True)
    history_share = settings.diversity.artist_share_cap * recs.rows.size
    assert counts.max() <= max(settings.diversity.max_per_artist, history_share)


@pytest.mark.parametrize("size", [400, 1500, 60_000])
def test_candidate_count_stays_in_bounds(size, small_recommender, settings, rl_settings):
    recommender = (
        small_recommender
        if size == 1500
        else Recommender(generate_catalog(size, seed=5), settings, rl_settings)
    )
    for user in (
        _history_user(recommender, 90),
        UserProfile(np.empty(0, np.int64), np.empty(0), None, account_age_days=0),
    ):
        for mood in (None, "calm"):
            recs = recommender.recommend(user, mood=mood)
            assert settings.candidates.min <= recs.total_candidates <= settings.candidates.max
            assert set(recs.candidate_sources) <= set(SOURCES)
            assert len(recs) == settings.list_size


def test_sources_are_counted(small_recommender):
    recs = small_recommender.recommend(_history_user(small_recommender, 90), mood="happy")
    for source in (
        "history_neighbours",
        "history_artists",
        "personality",
        "genre",
        "popular",
        "mood",
    ):
        assert recs.candidate_sources[source] > 0, source


def test_breakdown_is_json_ready(small_recommender):
    recs = small_recommender.recommend(_history_user(small_recommender, 90))
    tracks = recs.to_dicts(small_recommender.catalog)
    assert len(tracks) == len(recs)
    text = json.dumps(tracks)
    first = json.loads(text)[0]
    assert set(first["breakdown"]["components"]) >= {
        "history_similarity",
        "personality_match",
        "diversity_bonus",
        "novelty_factor",
        "popularity",
        "rl_adjustment",
    }
    assert first["score"] == pytest.approx(recs.final[0], abs=1e-5)
    for name, values in recs.components.items():
        if name != "rl_adjustment":
            assert np.all((values >= 0) & (values <= 1)), name
    assert "scored" in small_recommender.explain(recs, 0)


def test_novelty_prefers_new_artists(small_recommender):
    user = _history_user(small_recommender, 90)
    recs = small_recommender.recommend(user)
    codes = small_recommender.catalog.artist_codes
    known = np.isin(codes[recs.rows], codes[user.history_rows])
    if known.any() and (~known).any():
        assert (
            recs.components["novelty_factor"][~known].mean()
            > recs.components["novelty_factor"][known].mean()
        )


def test_rerank_orders_by_the_criterion(small_recommender):
    rows = np.arange(100)
    catalog = small_recommender.catalog
    calmer = small_recommender.rerank(rows, "calmer")
    assert np.all(np.diff(catalog.features[calmer, 1]) >= 0)
    happier = small_recommender.rerank(rows, "happier")
    assert np.all(np.diff(catalog.features[happier, 9]) <= 0)
    less_popular = small_recommender.rerank(rows, "less_popular")
    assert np.all(np.diff(catalog.popularity[less_popular]) >= 0)
    by_genre = small_recommender.rerank(rows, "genre", genre="rock")
    flags = [any("rock" in label.split() for label in catalog.genres[r]) for r in by_genre]
    assert flags == sorted(flags, reverse=True)
    assert sorted(by_genre.tolist()) == rows.tolist()
    with pytest.raises(ValueError, match="unknown rerank criterion"):
        small_recommender.rerank(rows, "weirder")


def test_rerank_sends_a_genre_to_the_bottom(small_recommender):
    rows = np.arange(100)
    catalog = small_recommender.catalog
    last = small_recommender.rerank(rows, "genre_last", genre="rock")
    flags = [any("rock" in label.split() for label in catalog.genres[r]) for r in last]
    assert any(flags) and not all(flags) and flags == sorted(flags)
    assert sorted(last.tolist()) == rows.tolist()


def test_rerank_by_genre_with_no_genre_groups_the_list(small_recommender):
    rows = np.arange(100)
    grouped = small_recommender.rerank(rows, "genre")  # "sort by genre"
    assert sorted(grouped.tolist()) == rows.tolist()
    labels = small_recommender.genres.labels
    carried = {}
    for r in rows:
        for label in small_recommender.catalog.genres[r]:
            carried[label] = carried.get(label, 0) + 1
    # each track's group: its own label that most of the list carries
    groups = [max(small_recommender.catalog.genres[r], key=lambda g: (carried[g], -labels.index(g)))
              for r in grouped]
    runs = [g for i, g in enumerate(groups) if i == 0 or groups[i - 1] != g]
    assert len(runs) == len(set(runs)) > 1  # every genre in one run, more than one genre
    assert groups.count(runs[0]) == max(carried.values())  # the genre most tracks carry first


def test_rerank_reverses_and_shuffles_the_same_tracks(small_recommender):
    rows = np.arange(40, 90)
    assert small_recommender.rerank(rows, "reverse").tolist() == rows[::-1].tolist()
    shuffled = small_recommender.rerank(rows, "shuffle", seed=3)
    assert sorted(shuffled.tolist()) == rows.tolist() and shuffled.tolist() != rows.tolist()
    assert shuffled.tolist() == small_recommender.rerank(rows, "shuffle", seed=3).tolist()


def test_rerank_by_tempo_and_by_year(small_recommender):
    rows = np.arange(100)
    catalog = small_recommender.catalog
    tempo = small_recommender.index.space.raw[:, 10]  # raw BPM
    faster = small_recommender.rerank(rows, "faster")
    assert np.all(np.diff(tempo[faster]) <= 0)
    slower = small_recommender.rerank(rows, "slower")
    assert np.all(np.diff(tempo[slower]) >= 0)
    for criterion, sign in (("newer", -1), ("older", 1)):
        order = small_recommender.rerank(rows, criterion)
        assert sorted(order.tolist()) == rows.tolist()
        years = catalog.release_year[order].astype(int)
        known = years[years > 0]
        assert np.all(sign * np.diff(known) >= 0)
        assert not np.any(np.diff((years <= 0).astype(int)) < 0)  # unknown years last


def test_part_of_every_list_is_reserved_for_new_artists(small_recommender, settings):
    user = _history_user(small_recommender, 90)
    recs = small_recommender.recommend(user)
    codes = small_recommender.catalog.artist_codes
    new_share = np.mean(~np.isin(codes[recs.rows], codes[user.history_rows]))
    assert new_share >= settings.novelty.min_new_artist_share


def test_known_artist_limit_in_selection():
    unit = np.eye(5, dtype=np.float32)
    base = np.array([1.0, 0.9, 0.8, 0.2, 0.1])
    known = np.array([True, True, True, False, False])
    chosen = select_diverse(
        base,
        unit,
        np.arange(5),
        k=4,
        diversity_weight=0.0,
        max_per_artist=3,
        known=known,
        max_known=2,
    )
    assert chosen.order.tolist() == [0, 1, 3, 4]
