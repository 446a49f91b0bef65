"""Mood words → audio targets; free text with modifiers and negations."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.engine import UnknownMoodError, UserProfile
from recommender.mood import MOODS, SYNONYMS, parse_mood

REQUIRED = [
    "calm",
    "chill",
    "sad",
    "happy",
    "energetic",
    "focus",
    "party",
    "sleep",
    "workout",
    "romantic",
    "angry",
    "melancholic",
    "upbeat",
    "relaxed",
]


def test_at_least_25_moods_and_the_required_ones():
    assert len(MOODS) >= 25
    for word in REQUIRED:
        assert parse_mood(word) is not None, word
    assert all(target in MOODS for target in SYNONYMS.values())


def test_intensity_moves_targets_away_from_the_middle():
    plain = parse_mood("energetic").target_dict()
    very = parse_mood("very energetic").target_dict()
    bit = parse_mood("a bit energetic").target_dict()
    assert very["energy"] > plain["energy"] > bit["energy"] > 0.5


def test_negation_turns_a_mood_into_one_to_avoid():
    mood = parse_mood("calm but not sleepy")
    assert mood.words == ("calm", "not sleepy")
    assert mood.target_dict()["energy"] == MOODS["calm"]["energy"]
    assert len(mood.avoid) == 1 and dict(mood.avoid[0])["energy"] == MOODS["sleepy"]["energy"]
    not_sad = parse_mood("not sad")
    assert not_sad.targets == () and len(not_sad.avoid) == 1
    both = parse_mood("nothing sad or angry please")
    assert both.words == ("not sad", "not angry")
    assert parse_mood("I don't want anything aggressive").words == ("not aggressive",)


def test_free_text_and_phrases():
    assert parse_mood("recommend me something calm").words == ("calm",)
    assert parse_mood("music for a road trip").words == ("road trip",)
    assert parse_mood("songs for the gym").words == ("workout",)
    assert parse_mood("calmer please").words == ("very calm",)
    assert parse_mood("show me some tracks") is None
    assert parse_mood("") is None


def test_a_wish_to_change_how_one_feels_is_the_mood_of_the_list():
    # "cheer me up" names the mood wanted; the sadness beside it is the listener's state
    assert parse_mood("I'm feeling sad today, put on something to cheer me up").words == (
        "uplifting",)
    assert parse_mood("stressed out, calm me down").words == ("calm",)
    assert parse_mood("feeling lonely, need something to lift my spirits").words == (
        "uplifting",)
    # a feeling stated without such a wish is the mood to match, as before
    assert parse_mood("I'm sad").words == ("sad",)
    assert parse_mood("feeling romantic tonight").words == ("romantic",)
    # what one is not in the mood for is avoided
    assert parse_mood("not in the mood for sad songs").words == ("not sad",)
    assert parse_mood("im not really in the mood for anything calm").words == ("not calm",)


def test_everyday_occasions_have_moods():
    for text, mood in [("something cozy", "mellow"), ("music for a beach day", "happy"),
                       ("homework music", "focus"), ("cardio playlist", "workout"),
                       ("a few tearjerkers", "sad"), ("music for cooking", "groovy"),
                       ("songs for my commute", "chill"), ("music for working out", "workout"),
                       ("lazy sunday vibes", "chill")]:
        assert parse_mood(text).words == (mood,), text


def _listener():
    return UserProfile(np.arange(40), np.ones(40), None, account_age_days=90)


def test_calm_lowers_energy_against_energetic_and_no_mood(small_recommender):
    energy = small_recommender.catalog.features[:, 1]
    plain = small_recommender.recommend(_listener())
    calm = small_recommender.recommend(_listener(), mood="something calm")
    energetic = small_recommender.recommend(_listener(), mood="energetic")
    assert energy[calm.rows].mean() < energy[plain.rows].mean() - 0.15
    assert energy[calm.rows].mean() < energy[energetic.rows].mean() - 0.3
    assert calm.candidate_sources["mood"] > 0
    assert calm.weights["mood"] > max(v for k, v in calm.weights.items() if k != "mood")
    assert "mood_match" in calm.components


def test_not_sleepy_raises_energy_over_plain_calm(small_recommender):
    energy = small_recommender.catalog.features[:, 1]
    calm = small_recommender.recommend(_listener(), mood="calm")
    awake = small_recommender.recommend(_listener(), mood="calm but not sleepy")
    assert energy[awake.rows].mean() > energy[calm.rows].mean()


def test_unknown_mood_text_is_an_error(small_recommender):
    with pytest.raises(UnknownMoodError):
        small_recommender.recommend(_listener(), mood="purple elephants")
