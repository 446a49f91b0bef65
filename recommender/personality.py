"""Big Five traits: BFI-44 scoring, direct input, and how each trait pulls on tracks.

A trait's pull is signed and grows with its distance from neutral: a high score pulls
toward the trait's audio targets and genres, a low score pushes away from them, and a
neutral profile gives every track the same match (0.5), so it ranks nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import astuple, dataclass

import numpy as np

from recommender.config import PersonalitySettings
from recommender.features import FeatureSpace
from recommender.genres import GenreIndex

TRAIT_NAMES: tuple[str, ...] = (
    "openness",
    "conscientiousness",
    "extraversion",
    "agreeableness",
    "neuroticism",
)


@dataclass(frozen=True)
class Traits:
    """Big Five trait scores on the 1–5 scale."""

    openness: float
    conscientiousness: float
    extraversion: float
    agreeableness: float
    neuroticism: float

    def as_array(self) -> np.ndarray:
        return np.array(astuple(self), dtype=np.float64)

    def as_dict(self) -> dict[str, float]:
        return dict(zip(TRAIT_NAMES, astuple(self), strict=True))


NEUTRAL = Traits(3.0, 3.0, 3.0, 3.0, 3.0)


class PersonalityInputError(ValueError):
    """Personality input that cannot be scored; ``field`` names the item or trait."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# The BFI-44 scoring key: item numbers per trait, "R" items reverse-keyed (6 − answer).
BFI44_KEY: dict[str, tuple[tuple[int, bool], ...]] = {
    "extraversion": (
        (1, False),
        (6, True),
        (11, False),
        (16, False),
        (21, True),
        (26, False),
        (31, True),
        (36, False),
    ),
    "agreeableness": (
        (2, True),
        (7, False),
        (12, True),
        (17, False),
        (22, False),
        (27, True),
        (32, False),
        (37, True),
        (42, False),
    ),
    "conscientiousness": (
        (3, False),
        (8, True),
        (13, False),
        (18, True),
        (23, True),
        (28, False),
        (33, False),
        (38, False),
        (43, True),
    ),
    "neuroticism": (
        (4, False),
        (9, True),
        (14, False),
        (19, False),
        (24, True),
        (29, False),
        (34, True),
        (39, False),
    ),
    "openness": (
        (5, False),
        (10, False),
        (15, False),
        (20, False),
        (25, False),
        (30, False),
        (35, True),
        (40, False),
        (41, True),
        (44, False),
    ),
}
BFI44_ITEMS = tuple(range(1, 45))


def score_bfi44(answers: Mapping[int, int]) -> Traits:
    """Score the 44 answers (1–5, keyed by item number 1–44) by the published key."""
    for item in answers:
        if isinstance(item, bool) or not isinstance(item, int) or item not in BFI44_ITEMS:
            raise PersonalityInputError(f"item {item}", "not a BFI-44 item number (1–44)")
    for item in BFI44_ITEMS:
        if item not in answers:
            raise PersonalityInputError(f"item {item}", "missing answer")
        value = answers[item]
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise PersonalityInputError(
                f"item {item}", f"answer must be a whole number 1–5, not {value!r}"
            )
        if not 1 <= value <= 5:
            raise PersonalityInputError(f"item {item}", f"answer {value} is outside 1–5")
    scores = {}
    for trait, items in BFI44_KEY.items():
        keyed = [6 - answers[i] if reverse else answers[i] for i, reverse in items]
        scores[trait] = sum(keyed) / len(keyed)
    return Traits(**scores)


SCALES: tuple[str, ...] = ("1-5", "0-100")


def traits_from_scores(scores: Mapping[str, float], scale: str = "1-5") -> Traits:
    """Five trait scores given directly, all on the one declared scale: 1–5 (the default) or
    0–100 (mapped linearly onto 1–5). A value outside its scale is an error naming the
    trait; nothing is ever guessed from the values themselves."""
    given: dict[str, float] = {}
    for key, value in scores.items():
        name = str(key).strip().lower()
        if name in given:  # "Openness" and "openness": neither may silently win
            raise PersonalityInputError(name, f"trait given twice (as {key!r} too)")
        given[name] = value
    for name in given:
        if name not in TRAIT_NAMES:
            raise PersonalityInputError(name, f"unknown trait; expected {', '.join(TRAIT_NAMES)}")
    values: dict[str, float] = {}
    for name in TRAIT_NAMES:
        if name not in given:
            raise PersonalityInputError(name, "missing trait score")
        value = given[name]
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise PersonalityInputError(name, f"score must be a number, not {value!r}")
        if not np.isfinite(value):
            raise PersonalityInputError(name, "score must be finite")
        values[name] = float(value)
    if scale == "1-5":
        low, high = 1.0, 5.0
    elif scale == "0-100":
        low, high = 0.0, 100.0
    else:
        raise PersonalityInputError("scale", f"must be '1-5' or '0-100', not {scale!r}")
    for name, value in values.items():
        if not low <= value <= high:
            raise PersonalityInputError(
                name, f"score {value:g} is outside the scale {scale}"
                + (" (say scale '0-100' for percentages)" if scale == "1-5" else ""))
    if scale == "0-100":
        values = {name: 1.0 + 4.0 * v / 100.0 for name, v in values.items()}
    return Traits(**values)


def trait_deviations(traits: Traits | None, neutral: float) -> np.ndarray:
    """Each trait's signed distance from neutral, in [−1, 1] (1 = the top of the scale)."""
    if traits is None:
        return np.zeros(len(TRAIT_NAMES))
    scores = traits.as_array()
    above = (scores - neutral) / max(5.0 - neutral, 1e-9)
    below = (scores - neutral) / max(neutral - 1.0, 1e-9)
    return np.clip(np.where(scores >= neutral, above, below), -1.0, 1.0)


def audio_alignment(space: FeatureSpace, settings: PersonalitySettings, width: float) -> np.ndarray:
    """float32[n, 5]: per trait, 2·closeness − 1 to its audio targets (NaN where none)."""
    rows = np.arange(len(space), dtype=np.int64)
    out = np.full((len(space), len(TRAIT_NAMES)), np.nan, dtype=np.float32)
    for t, name in enumerate(TRAIT_NAMES):
        targets = settings.traits[name].targets
        if targets:
            out[:, t] = 2.0 * space.closeness(rows, targets, width) - 1.0
    return out


def genre_alignment(genres: GenreIndex, settings: PersonalitySettings) -> np.ndarray:
    """float32[n, 5]: +1 for a trait's genres, −1 for its negative genres, else 0 (NaN where
    the trait names no genres)."""
    n = genres.n_tracks
    out = np.full((n, len(TRAIT_NAMES)), np.nan, dtype=np.float32)
    for t, name in enumerate(TRAIT_NAMES):
        mapping = settings.traits[name]
        if not mapping.genres and not mapping.negative_genres:
            continue
        col = np.zeros(n, dtype=np.float32)
        col[genres.rows_matching(mapping.genres)] += 1.0
        col[genres.rows_matching(mapping.negative_genres)] -= 1.0
        out[:, t] = np.clip(col, -1.0, 1.0)
    return out


def combine_alignment(audio: np.ndarray, genre: np.ndarray) -> np.ndarray:
    """Mean of the audio and genre parts that a trait has; 0 where it has neither."""
    parts = np.stack([audio, genre])
    known = ~np.isnan(parts)
    total = np.where(known, parts, 0.0).sum(axis=0)
    return (total / np.maximum(known.sum(axis=0), 1)).astype(np.float32)


def personality_match(alignment: np.ndarray, deviations: np.ndarray) -> np.ndarray:
    """In [0, 1]: 0.5 + 0.5·Σ_t d_t·a_t / max(1, Σ_t |d_t|); exactly 0.5 for a neutral profile."""
    scale = max(1.0, float(np.abs(deviations).sum()))
    pull = alignment.astype(np.float64) @ deviations / scale
    return np.clip(0.5 + 0.5 * pull, 0.0, 1.0)


def preferred_genres(traits: Traits | None, settings: PersonalitySettings) -> list[str]:
    """Genres a profile leans toward: those of traits clearly above neutral."""
    d = trait_deviations(traits, settings.neutral)
    out: list[str] = []
    for t, name in enumerate(TRAIT_NAMES):
        if d[t] >= 0.25:
            out.extend(settings.traits[name].genres)
    return list(dict.fromkeys(out))
