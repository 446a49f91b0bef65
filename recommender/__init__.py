"""The pure scoring core of tunemate: numpy arrays in, arrays out, no I/O."""

from recommender.catalog import FEATURES, Catalog, build_catalog
from recommender.collaborative import CoOccurrence, build_cooccurrence
from recommender.engine import (
    RERANK_CRITERIA,
    SOURCES,
    Constraints,
    Recommendations,
    Recommender,
    UnknownMoodError,
    UserProfile,
)
from recommender.mood import MoodTargets, mood_state, parse_mood
from recommender.personality import (
    NEUTRAL,
    PersonalityInputError,
    Traits,
    score_bfi44,
    traits_from_scores,
)
from recommender.rl import (
    UnknownSignalError,
    actions_for_row,
    q_update,
    reward_for,
    rl_adjustment,
)

__all__ = [
    "FEATURES",
    "NEUTRAL",
    "RERANK_CRITERIA",
    "SOURCES",
    "Catalog",
    "CoOccurrence",
    "Constraints",
    "MoodTargets",
    "PersonalityInputError",
    "Recommendations",
    "Recommender",
    "Traits",
    "UnknownMoodError",
    "UnknownSignalError",
    "UserProfile",
    "actions_for_row",
    "build_catalog",
    "build_cooccurrence",
    "mood_state",
    "parse_mood",
    "q_update",
    "reward_for",
    "rl_adjustment",
    "score_bfi44",
    "traits_from_scores",
]
