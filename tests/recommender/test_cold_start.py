"""The cold-start stage: the later of the account-age stage and the evidence stage."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.engine import UserProfile


@pytest.mark.parametrize(
    ("age", "history", "feedback", "stage", "rule"),
    [
        (0, 0, 0, "week1", "account age"),
        (0, 9, 19, "week1", "account age"),
        (0, 10, 0, "weeks2_4", "evidence: 10 history tracks"),
        (2, 50, 0, "month2_plus", "evidence: 50 history tracks"),
        (2, 12, 20, "month2_plus", "evidence: 20 feedback events"),
        (10, 10, 0, "weeks2_4", "account age"),  # evidence never moves a stage back
        (40, 0, 0, "month2_plus", "account age"),
    ],
)
def test_stage_is_the_later_of_age_and_evidence(small_recommender, age, history, feedback,
                                                stage, rule):
    name, weights, reason = small_recommender.stage_with_reason(age, history, feedback)
    assert name == stage
    assert reason.startswith(rule)
    assert weights["history"] == small_recommender.settings.cold_start[stage].history


def test_a_day_old_account_with_imported_history_gets_history_weight(small_recommender):
    rows = np.arange(12)
    recs = small_recommender.recommend(UserProfile(rows, np.ones(12), None, 1.0))
    assert recs.stage == "weeks2_4"
    assert recs.weights["history"] > 0
    assert recs.stage_reason.startswith("evidence")
    recs = small_recommender.recommend(UserProfile(rows[:3], np.ones(3), None, 1.0,
                                                   feedback_events=25))
    assert recs.stage == "month2_plus"
    assert "feedback events" in recs.stage_reason
