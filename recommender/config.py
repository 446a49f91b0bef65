"""Typed, frozen settings for the recommender and the Q-learning rules.

Built from the ``recommender`` and ``rl`` sections of ``config.yaml`` by ``services.config``;
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
    # evidence that reaches this stage whatever the account's age (None = age only)
    min_history_tracks: int | None = Field(default=None, ge=1)
    min_feedback_events: int | None = Field(default=None, ge=1)
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
    album: float = Field(default=0.0, ge=0, le=1)
    artist_cf: float = Field(default=0.0, ge=0, le=1)
    year: float = Field(default=0.0, ge=0, le=1)
    genre: float = Field(default=0.0, ge=0, le=1)
    collaborative: float = Field(ge=0, le=1)


class CandidateSettings(_Frozen):
    min: int = Field(ge=1)
    max: int = Field(ge=1)
    history_neighbours: int = Field(ge=0)
    # other tracks by the artists of the listener's history
    history_artists: int = Field(default=150, ge=0)
    # album expansion: the other tracks of the history's albums
    album: int = Field(default=150, ge=0)
    # tracks by artists that co-occur with the history's artists in other listeners' lists
    artist_cf: int = Field(default=150, ge=0)
    collaborative: int = Field(ge=0)
    personality: int = Field(ge=0)
    genre: int = Field(ge=0)
    new_releases: int = Field(ge=0)
    popular: int = Field(ge=0)
    mood: int = Field(ge=0)
    # "new releases" = released within this many years of the catalogue's newest track
    new_release_years: int = Field(default=2, ge=0)
    # how many tracks a source may score per request (an inverted-file probe, a genre's
    # most popular tracks, a personality pole's best tracks) on a large catalogue
    scan_budget: int = Field(default=6000, ge=100)

    @model_validator(mode="after")
    def _ordered(self) -> CandidateSettings:
        if self.min > self.max:
            raise ValueError("candidates.min must not exceed candidates.max")
        return self


class DiversitySettings(_Frozen):
    max_per_artist: int = Field(ge=1)
    # an artist who is a large part of the listener's history may take up to this share of
    # the list times their share of the history (never fewer than max_per_artist)
    artist_share_cap: float = Field(default=0.5, ge=0, le=2)


class MoodSettings(_Frozen):
    # share of the final score given to the mood match when a mood is asked for; the
    # cold-start stage's weights share the rest
    weight: float = Field(default=0.6, ge=0, le=1)
    # width of the closeness kernel around a mood's targets, in catalogue standard deviations
    width: float = Field(default=1.0, gt=0)


class IndexSettings(_Frozen):
    # audio clusters of the inverted-file index; null = about sqrt(tracks)/2
    clusters: int | None = Field(default=None, ge=1)
    seed: int = 0


class NoveltySettings(_Frozen):
    popularity_penalty: float = Field(ge=0, le=1)
    new_artist_bonus: float = Field(ge=0, le=1)
    # at least this share of a list comes from artists the listener does not play yet
    # (when there are such candidates): discovery is part of the product
    min_new_artist_share: float = Field(default=0.2, ge=0, le=1)


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
    mood: MoodSettings = MoodSettings()
    index: IndexSettings = IndexSettings()


class RLSettings(_Frozen):
    alpha: float = Field(gt=0, le=1)
    gamma: float = Field(ge=0, lt=1)
    rewards: dict[str, float]
    # actions "cluster:<n>": KMeans clusters of the standardised audio features
    clusters: int = Field(default=24, ge=1)
    cluster_seed: int = 0
    # rl_adjustment = rl_bound · tanh((Q(cluster) + Q(track)) / q_scale)
    q_scale: float = Field(default=1.0, gt=0)
