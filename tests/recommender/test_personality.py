"""BFI-44 scoring by the published key, direct trait input, and the trait → track pull."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.engine import UserProfile
from recommender.personality import (
    BFI44_KEY,
    NEUTRAL,
    PersonalityInputError,
    Traits,
    personality_match,
    score_bfi44,
    trait_deviations,
    traits_from_scores,
)

ALL = range(1, 45)


def test_all_fives_give_extraversion_three_and_a_half():
    traits = score_bfi44({i: 5 for i in ALL})
    # E: five forward items at 5, three reversed (6R, 21R, 31R) at 6 − 5 = 1 → 28 / 8
    assert traits.extraversion == pytest.approx(3.5)
    assert traits.agreeableness == pytest.approx((5 * 5 + 4 * 1) / 9)
    assert traits.conscientiousness == pytest.approx((5 * 5 + 4 * 1) / 9)
    assert traits.neuroticism == pytest.approx((5 * 5 + 3 * 1) / 8)
    assert traits.openness == pytest.approx((8 * 5 + 2 * 1) / 10)


def test_hand_computed_mixed_answers():
    answers = {i: 3 for i in ALL}
    answers.update({1: 5, 6: 1, 11: 4, 16: 4, 21: 2, 26: 5, 31: 1, 36: 4})  # an extravert
    answers.update({35: 5, 41: 1})  # openness reversed items
    traits = score_bfi44(answers)
    assert traits.extraversion == pytest.approx((5 + 5 + 4 + 4 + 4 + 5 + 5 + 4) / 8)
    assert traits.openness == pytest.approx((8 * 3 + (6 - 5) + (6 - 1)) / 10)
    assert traits.agreeableness == pytest.approx(3.0)


def test_every_item_is_keyed_exactly_once():
    items = sorted(i for key in BFI44_KEY.values() for i, _ in key)
    assert items == list(ALL)


def test_missing_answer_names_the_item():
    answers = {i: 3 for i in ALL if i != 17}
    with pytest.raises(PersonalityInputError) as err:
        score_bfi44(answers)
    assert err.value.field == "item 17"
    assert "17" in str(err.value)


@pytest.mark.parametrize("bad", [0, 6, 2.5, "3", True])
def test_out_of_range_or_wrong_type_names_the_item(bad):
    answers = {i: 3 for i in ALL}
    answers[23] = bad
    with pytest.raises(PersonalityInputError) as err:
        score_bfi44(answers)
    assert err.value.field == "item 23"


def test_unknown_item_number_is_rejected():
    answers = {i: 3 for i in ALL}
    answers[45] = 3
    with pytest.raises(PersonalityInputError, match="item 45"):
        score_bfi44(answers)


TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")


def test_direct_scores_on_both_scales():
    one_to_five = traits_from_scores(
        {
            "openness": 4,
            "conscientiousness": 2,
            "extraversion": 5,
            "agreeableness": 3,
            "neuroticism": 1,
        }
    )
    assert one_to_five == Traits(4, 2, 5, 3, 1)
    percent = traits_from_scores(
        {
            "Openness": 75,
            "conscientiousness": 25,
            "extraversion": 100,
            "agreeableness": 50,
            "neuroticism": 0,
        },
        scale="0-100",
    )
    assert percent == Traits(4, 2, 5, 3, 1)
    # 1-5 values on the declared 0-100 scale stay on 0-100 (no guessing either way)
    assert traits_from_scores(dict.fromkeys(TRAITS, 3), scale="0-100") == Traits(
        *([1.12] * 5))


def test_one_value_above_five_is_an_error_not_another_scale():
    with pytest.raises(PersonalityInputError) as err:
        traits_from_scores({**dict.fromkeys(TRAITS, 3), "openness": 9})
    assert err.value.field == "openness"
    assert "1-5" in err.value.message


def test_direct_scores_errors_name_the_trait():
    with pytest.raises(PersonalityInputError) as err:
        traits_from_scores(
            {"openness": 3, "conscientiousness": 3, "extraversion": 3, "agreeableness": 3}
        )
    assert err.value.field == "neuroticism"
    with pytest.raises(PersonalityInputError) as err:
        traits_from_scores(
            {
                "openness": 3,
                "conscientiousness": 3,
                "extraversion": 130,
                "agreeableness": 3,
                "neuroticism": 3,
            },
            scale="0-100",
        )
    assert err.value.field == "extraversion"
    with pytest.raises(PersonalityInputError) as err:
        traits_from_scores(
            {
                "openness": 3,
                "conscientiousness": 3,
                "extraversion": 3,
                "agreeableness": 3,
                "neuroticism": 3,
                "charisma": 4,
            }
        )
    assert err.value.field == "charisma"


def test_pull_grows_with_distance_from_neutral():
    d_mild = trait_deviations(Traits(3, 3, 4, 3, 3), 3.0)
    d_strong = trait_deviations(Traits(3, 3, 5, 3, 3), 3.0)
    assert d_mild[2] == pytest.approx(0.5)
    assert d_strong[2] == pytest.approx(1.0)
    alignment = np.array([[0, 0, 1.0, 0, 0], [0, 0, -1.0, 0, 0]])
    mild, strong = personality_match(alignment, d_mild), personality_match(alignment, d_strong)
    assert strong[0] - strong[1] > mild[0] - mild[1] > 0
    assert np.all(personality_match(alignment, trait_deviations(NEUTRAL, 3.0)) == 0.5)


def test_neutral_profile_matches_every_track_the_same(small_recommender):
    rows = np.arange(len(small_recommender.catalog))
    match = small_recommender._personality_match(rows, trait_deviations(NEUTRAL, 3.0))
    assert np.all(match == 0.5)


def test_extraversion_moves_the_list_toward_energy_and_danceability(small_recommender):
    catalog = small_recommender.catalog
    energy = catalog.features[:, 1]
    dance = catalog.features[:, 0]

    def cold_list(traits):
        user = UserProfile(np.empty(0, np.int64), np.empty(0), traits, account_age_days=2)
        return small_recommender.recommend(user).rows

    neutral, extravert = cold_list(NEUTRAL), cold_list(Traits(3, 3, 5, 3, 3))
    assert energy[extravert].mean() > energy[neutral].mean() + 0.03
    assert dance[extravert].mean() > dance[neutral].mean() + 0.03


def test_genre_words_match_subgenres(small_recommender):
    genres = small_recommender.genres
    soul = {genres.labels[i] for i in genres.labels_matching("soul")}
    assert "neo soul" in soul and "soul" in soul
    hip_hop = {genres.labels[i] for i in genres.labels_matching("hip hop")}
    assert "southern hip hop" in hip_hop and "trap" not in hip_hop
