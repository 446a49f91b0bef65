"""What a request asks for (`UserProfile`, `Constraints`, a mood) and what it works out
before any candidate is proposed: the listener's profile, the blocked rows, the genre labels
to require or avoid, the mood kernel and the co-occurrence scores."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from recommender.catalog import FEATURE_INDEX, Catalog
from recommender.collaborative import CoOccurrence
from recommender.config import RecommenderSettings
from recommender.genres import GenreIndex
from recommender.index import CatalogIndex
from recommender.mood import MoodKernel, MoodTargets, mood_kernel, parse_mood
from recommender.personality import Traits, trait_deviations
from recommender.scoring import ListenerProfile, WeightedCounts, history_weights
from recommender.signals import ArtistAffinity

EMPTY_ROWS = np.empty(0, dtype=np.int64)


class UnknownMoodError(ValueError):
    """A mood text with no mood word in it (the caller decides what to do)."""

    def __init__(self, text: str) -> None:
        super().__init__(f"no mood recognised in {text!r}")
        self.text = text


@dataclass(frozen=True)
class Constraints:
    """Hard filters: a track that fails one is never returned."""

    include_genres: tuple[str, ...] = ()
    exclude_genres: tuple[str, ...] = ()
    decade: int | None = None  # e.g. 1990
    min_popularity: float | None = None
    max_popularity: float | None = None
    min_tempo: float | None = None
    max_tempo: float | None = None
    min_year: int | None = None  # released in this year or later
    max_year: int | None = None  # released in this year or earlier
    exclude_rows: frozenset[int] = frozenset()  # never return these (already shown, …)
    only_rows: frozenset[int] = frozenset()  # only these ("play some Queen": its tracks)

    @property
    def filters_catalogue(self) -> bool:
        return bool(self.only_rows) or any(
            v not in (None, ())
            for v in (
                self.include_genres,
                self.exclude_genres,
                self.decade,
                self.min_popularity,
                self.max_popularity,
                self.min_tempo,
                self.max_tempo,
                self.min_year,
                self.max_year,
            )
        )


@dataclass(frozen=True, eq=False)
class UserProfile:
    history_rows: np.ndarray  # int64 catalogue rows, best first
    history_weights: np.ndarray  # float64, e.g. play counts (same length)
    traits: Traits | None  # None = no personality given (neutral)
    account_age_days: float
    liked_rows: np.ndarray = field(default_factory=lambda: EMPTY_ROWS)
    disliked_rows: np.ndarray = field(default_factory=lambda: EMPTY_ROWS)
    feedback_events: int = 0  # the listener's feedback events so far (cold-start evidence)


@dataclass
class Request:
    """What one request has worked out so far (candidate sources read it)."""

    listener: ListenerProfile
    traits: Traits | None
    deviations: np.ndarray
    mood: MoodTargets | None
    constraints: Constraints
    blocked_mask: np.ndarray  # bool[n]: history, likes, dislikes, excluded rows
    blocked_songs: np.ndarray  # int64, sorted: the songs (every version) of those rows
    include_labels: np.ndarray | None
    mood_kernel: MoodKernel | None
    exclude_labels: np.ndarray | None
    collab_rows: np.ndarray = field(default_factory=lambda: EMPTY_ROWS)
    collab_scores: np.ndarray = field(default_factory=lambda: np.empty(0))
    artist_affinity: ArtistAffinity = field(default_factory=ArtistAffinity.empty)
    history_labels: np.ndarray = field(default_factory=lambda: np.empty(0))  # weight per label

    @property
    def has_personality(self) -> bool:
        return bool(np.any(self.deviations != 0.0))


def mood_targets(mood: str | MoodTargets | None) -> MoodTargets | None:
    """The targets of a mood given as text or targets; blank text means no mood."""
    if mood is None or isinstance(mood, MoodTargets):
        return mood
    if not mood.strip():
        return None
    parsed = parse_mood(mood)
    if parsed is None:
        raise UnknownMoodError(mood)
    return parsed


def listener_profile(
    user: UserProfile, catalog: Catalog, index: CatalogIndex, settings: RecommenderSettings
) -> ListenerProfile:
    """The listener's history cleaned (valid rows, first occurrence kept) and summarised."""
    n = len(catalog)
    rows = np.asarray(user.history_rows, dtype=np.int64).ravel()
    weights = np.asarray(user.history_weights, dtype=np.float64).ravel()
    if rows.shape != weights.shape:
        raise ValueError("history_rows and history_weights must have the same length")
    valid = (rows >= 0) & (rows < n)
    rows, weights = rows[valid], weights[valid]
    _, first = np.unique(rows, return_index=True)
    keep = np.sort(first)  # the first (best) occurrence of a repeated row
    rows, weights = rows[keep], weights[keep]
    w = history_weights(weights)
    top = settings.history.top_tracks
    top_w = w[:top] / w[:top].sum() if rows.size else w[:0]
    codes = catalog.artist_codes
    scale = float(rows.size)  # weights scaled to mean 1: a count of tracks
    artist_counts = WeightedCounts.of(codes[rows], w * scale)
    album_counts = WeightedCounts.of(index.album_codes[rows], w * scale)
    liked = np.asarray(user.liked_rows, dtype=np.int64)
    liked = liked[(liked >= 0) & (liked < n)]
    unit = index.space.unit
    profile = (
        (top_w[:, None] * unit[rows[:top]]).sum(axis=0)
        if rows.size
        else np.zeros(unit.shape[1])
    )
    return ListenerProfile(
        top_rows=rows[:top],
        top_weights=top_w,
        profile=profile.astype(np.float32),
        artist_counts=artist_counts,
        album_counts=album_counts,
        known_artists=np.unique(np.concatenate([codes[rows], codes[liked]])),
        history_rows=np.sort(rows),
        history_weights=w,
        history_order=rows,
    )


def build_request(
    user: UserProfile,
    mood: MoodTargets | None,
    constraints: Constraints,
    *,
    catalog: Catalog,
    index: CatalogIndex,
    genres: GenreIndex,
    settings: RecommenderSettings,
    collaborative: CoOccurrence | None,
    artists: CoOccurrence | None = None,
) -> Request:
    listener = listener_profile(user, catalog, index, settings)
    blocked = np.concatenate(
        [
            listener.history_rows,
            np.asarray(user.liked_rows, dtype=np.int64),
            np.asarray(user.disliked_rows, dtype=np.int64),
            np.fromiter(
                constraints.exclude_rows,
                dtype=np.int64,
                count=len(constraints.exclude_rows),
            ),
        ]
    )
    include = exclude = None
    if constraints.include_genres:
        include = np.unique(
            np.concatenate([genres.labels_matching(g) for g in constraints.include_genres])
        )
    if constraints.exclude_genres:
        exclude = np.unique(
            np.concatenate([genres.labels_matching(g) for g in constraints.exclude_genres])
        )
    blocked = blocked[(blocked >= 0) & (blocked < len(catalog))]
    blocked_mask = np.zeros(len(catalog), dtype=bool)
    blocked_mask[blocked] = True
    request = Request(
        listener=listener,
        blocked_mask=blocked_mask,
        blocked_songs=np.unique(index.song_codes[blocked].astype(np.int64)),
        traits=user.traits,
        deviations=trait_deviations(user.traits, settings.personality.neutral),
        mood=mood,
        constraints=constraints,
        include_labels=include,
        mood_kernel=None if mood is None else mood_kernel(index.space, mood, settings.mood.width),
        exclude_labels=exclude,
    )
    if collaborative is not None and (listener.has_history or user.liked_rows.size):
        liked = np.asarray(user.liked_rows, dtype=np.int64)
        liked_w = np.full(
            liked.size, listener.history_weights.max() if listener.has_history else 1.0
        )
        found, scores = collaborative.scores(
            np.concatenate([listener.history_order, liked]),
            np.concatenate([listener.history_weights, liked_w]),
        )
        request.collab_rows, request.collab_scores = found, scores
    request.artist_affinity = ArtistAffinity.of(artists, listener)
    if listener.has_history:
        request.history_labels = genres.label_weights(
            listener.history_order, listener.history_weights)
    return request


def allowed(
    rows: np.ndarray,
    request: Request,
    catalog: Catalog,
    index: CatalogIndex,
    genres: GenreIndex,
) -> np.ndarray:
    """Rows that pass every hard filter and are not blocked (history, likes, shown…), nor
    another version of a blocked song."""
    ok = ~request.blocked_mask[rows]
    if request.blocked_songs.size:
        songs = index.song_codes[rows].astype(np.int64)
        pos = np.clip(np.searchsorted(request.blocked_songs, songs), 0,
                      request.blocked_songs.size - 1)
        ok &= request.blocked_songs[pos] != songs
    c = request.constraints
    if not c.filters_catalogue:
        return ok
    if c.decade is not None:
        years = catalog.release_year[rows].astype(np.int64)
        ok &= (years > 0) & (years // 10 * 10 == c.decade)
    if c.min_year is not None or c.max_year is not None:
        years = catalog.release_year[rows].astype(np.int64)
        ok &= years > 0  # an unknown year fails a bound
        if c.min_year is not None:
            ok &= years >= c.min_year
        if c.max_year is not None:
            ok &= years <= c.max_year
    pop = index.popularity[rows]
    if c.min_popularity is not None:
        ok &= pop >= c.min_popularity  # unknown popularity (NaN) fails a bound
    if c.max_popularity is not None:
        ok &= pop <= c.max_popularity
    tempo = index.space.raw[rows, FEATURE_INDEX["tempo"]]
    if c.min_tempo is not None:
        ok &= tempo >= c.min_tempo
    if c.max_tempo is not None:
        ok &= tempo <= c.max_tempo
    if c.only_rows:
        ok &= np.isin(rows, np.fromiter(c.only_rows, dtype=np.int64, count=len(c.only_rows)))
    if request.include_labels is not None:
        ok &= genres.has_labels(rows, request.include_labels)
    if request.exclude_labels is not None and request.exclude_labels.size:
        ok &= ~genres.has_labels(rows, request.exclude_labels)
    return ok
