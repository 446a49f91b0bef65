"""Typed, frozen settings for the recommender and the Q-learning rules.

Built from the ``recommender`` and ``rl`` sections of ``config.yaml`` by ``bot.config``;
kept here so that the pure core never has to know where its numbers come from.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ComponentWeights(_Frozen):
    history: float = Field(ge=0, le=1)
    personality: float = Field(ge=0, le=1)
    diversity: float = Field(ge=0, le=1)
    novelty: float = Field(ge=0, le=1)


class ColdStartStage(_Frozen):
    max_days: int | None = Field(default=None, ge=1)
    personality: float = Field(ge=0, le=1)
    popular: float = Field(ge=0, le=1)
    history: float = Field(ge=0, le=1)
    diversity: float = Field(ge=0, le=1)
    novelty: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _sums_to_one(self) -> ColdStartStage:
        total = self.personality + self.popular + self.history + self.diversity + self.novelty
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"stage weights must add up to 1, not {total:.3f}")
        return self


class HistoryParts(_Frozen):
    top_tracks: int = Field(ge=1)
    content: float = Field(ge=0, le=1)
    artist: float = Field(ge=0, le=1)
    collaborative: float = Field(ge=0, le=1)


class CandidateSettings(_Frozen):
    min: int = Field(ge=1)
    max: int = Field(ge=1)
    history_neighbours: int = Field(ge=0)
    collaborative: int = Field(ge=0)
    personality: int = Field(ge=0)
    genre: int = Field(ge=0)
    new_releases: int = Field(ge=0)
    popular: int = Field(ge=0)
    mood: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> CandidateSettings:
        if self.min > self.max:
            raise ValueError("candidates.min must not exceed candidates.max")
        return self


class DiversitySettings(_Frozen):
    max_per_artist: int = Field(ge=1)


class NoveltySettings(_Frozen):
    popularity_penalty: float = Field(ge=0, le=1)
    new_artist_bonus: float = Field(ge=0, le=1)


class TraitMapping(_Frozen):
    targets: dict[str, float] = Field(default_factory=dict)
    genres: tuple[str, ...] = ()
    negative_genres: tuple[str, ...] = ()


class PersonalitySettings(_Frozen):
    neutral: float = Field(ge=1, le=5)
    traits: dict[str, TraitMapping]

    @model_validator(mode="after")
    def _five_traits(self) -> PersonalitySettings:
        expected = {"openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism"}
        if set(self.traits) != expected:
            raise ValueError(f"traits must be exactly {sorted(expected)}")
        return self


class RecommenderSettings(_Frozen):
    list_size: int = Field(ge=1, le=500)
    weights: ComponentWeights
    rl_bound: float = Field(ge=0, le=1)
    cold_start: dict[str, ColdStartStage]
    history: HistoryParts
    candidates: CandidateSettings
    diversity: DiversitySettings
    novelty: NoveltySettings
    personality: PersonalitySettings


class RLSettings(_Frozen):
    alpha: float = Field(gt=0, le=1)
    gamma: float = Field(ge=0, lt=1)
    rewards: dict[str, float]
