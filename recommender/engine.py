"""The recommender: candidates from several sources, scored, then a diverse list.

final = Σ_c w_c · component_c + rl_adjustment, with the weights of the listener's cold-start
stage (config ``recommender.cold_start``); the diversity term is measured against the
tracks already chosen, so the list is picked greedily. With a mood, the mood match takes
``recommender.mood.weight`` of the score and the stage's weights share the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from recommender.catalog import FEATURE_INDEX, Catalog
from recommender.collaborative import CoOccurrence
from recommender.config import RecommenderSettings, RLSettings
from recommender.genres import GenreIndex, build_genre_index
from recommender.index import CatalogIndex, build_index
from recommender.mood import MoodKernel, MoodTargets, mood_kernel, mood_state, parse_mood
from recommender.personality import (
    TRAIT_NAMES,
    Traits,
    combine_alignment,
    genre_alignment,
    personality_match,
    preferred_genres,
    trait_deviations,
)
from recommender.rl import rl_adjustment
from recommender.scoring import (
    ListenerProfile,
    WeightedCounts,
    artist_affinity,
    artist_caps,
    collaborative_similarity,
    content_similarity,
    history_weights,
    is_member,
    novelty_factor,
    popularity_score,
    select_diverse,
)

_EMPTY_ROWS = np.empty(0, dtype=np.int64)

# Sources in the order the pool is interleaved (rank 1 of each, then rank 2 of each, …).
SOURCES: tuple[str, ...] = (
    "history_neighbours",
    "history_artists",
    "collaborative",
    "mood",
    "personality",
    "genre",
    "new_releases",
    "popular",
)
RERANK_CRITERIA: tuple[str, ...] = (
    "calmer",
    "more_energetic",
    "happier",
    "sadder",
    "more_acoustic",
    "more_danceable",
    "less_popular",
    "more_popular",
    "genre",
    "decade",
)
# A source scores at most this many tracks per track it proposes (and at most the scan
# budget): enough choice to find good ones, little enough to stay fast.
SCAN_PER_PICK = 10

COMPONENTS: tuple[str, ...] = (
    "history_similarity",
    "personality_match",
    "diversity_bonus",
    "novelty_factor",
    "popularity",
    "rl_adjustment",
)


def _union(parts: list[np.ndarray], n: int) -> np.ndarray:
    """Sorted distinct rows of several arrays (a mask is cheaper than sorting here)."""
    total = sum(p.size for p in parts)
    if total == 0:
        return _EMPTY_ROWS
    if total * 8 < n:
        return np.unique(np.concatenate(parts))
    mask = np.zeros(n, dtype=bool)
    for p in parts:
        mask[p] = True
    return np.flatnonzero(mask)


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
    exclude_rows: frozenset[int] = frozenset()  # never return these (already shown, …)

    @property
    def filters_catalogue(self) -> bool:
        return any(
            v not in (None, ())
            for v in (
                self.include_genres,
                self.exclude_genres,
                self.decade,
                self.min_popularity,
                self.max_popularity,
                self.min_tempo,
                self.max_tempo,
            )
        )


@dataclass(frozen=True, eq=False)
class UserProfile:
    history_rows: np.ndarray  # int64 catalogue rows, best first
    history_weights: np.ndarray  # float64, e.g. play counts (same length)
    traits: Traits | None  # None = no personality given (neutral)
    account_age_days: float
    liked_rows: np.ndarray = field(default_factory=lambda: _EMPTY_ROWS)
    disliked_rows: np.ndarray = field(default_factory=lambda: _EMPTY_ROWS)


@dataclass(frozen=True, eq=False)
class Recommendations:
    rows: np.ndarray  # int64, the list in order (len ≤ k)
    final: np.ndarray  # float64 final score per chosen track
    components: dict[str, np.ndarray]  # per chosen track; [0, 1] except rl_adjustment
    weights: dict[str, float]  # the weights applied
    stage: str  # "week1" | "weeks2_4" | "month2_plus"
    candidate_sources: dict[str, int]  # tracks of the pool each source proposed
    total_candidates: int  # the pool after de-duplication
    state: str  # the RL state of this request
    mood: MoodTargets | None = None
    history_parts: dict[str, np.ndarray] = field(default_factory=dict)
    clusters: np.ndarray = field(default_factory=lambda: _EMPTY_ROWS)  # RL cluster per track

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    def to_dicts(self, catalog: Catalog) -> list[dict[str, Any]]:
        """JSON-ready tracks, each with its score breakdown."""
        out = []
        for i, row in enumerate(self.rows.tolist()):
            pop = float(catalog.popularity[row])
            year = int(catalog.release_year[row])
            out.append(
                {
                    "track_id": str(catalog.track_ids[row]),
                    "name": str(catalog.names[row]),
                    "artists": str(catalog.artists[row]),
                    "album": str(catalog.albums[row]),
                    "genres": sorted(catalog.genres[row]),
                    "release_year": year or None,
                    "popularity": None if np.isnan(pop) else round(pop, 1),
                    "score": round(float(self.final[i]), 6),
                    "breakdown": {
                        "components": {
                            k: round(float(v[i]), 6) for k, v in self.components.items()
                        },
                        "history_parts": {
                            k: round(float(v[i]), 6) for k, v in self.history_parts.items()
                        },
                        "weights": dict(self.weights),
                        "rl_adjustment": round(float(self.components["rl_adjustment"][i]), 6),
                    },
                    "cluster": int(self.clusters[i]) if self.clusters.size else None,
                }
            )
        return out


@dataclass
class _Request:
    """What one request has worked out so far (candidate sources read it)."""

    listener: ListenerProfile
    traits: Traits | None
    deviations: np.ndarray
    mood: MoodTargets | None
    constraints: Constraints
    blocked_mask: np.ndarray  # bool[n]: history, likes, dislikes, excluded rows
    include_labels: np.ndarray | None
    mood_kernel: MoodKernel | None
    exclude_labels: np.ndarray | None
    collab_rows: np.ndarray = field(default_factory=lambda: _EMPTY_ROWS)
    collab_scores: np.ndarray = field(default_factory=lambda: np.empty(0))

    @property
    def has_personality(self) -> bool:
        return bool(np.any(self.deviations != 0.0))


class Recommender:
    """Scores one listener's next list; built once per catalogue and shared by requests."""

    def __init__(
        self,
        catalog: Catalog,
        settings: RecommenderSettings,
        rl: RLSettings,
        collaborative: CoOccurrence | None = None,
        *,
        genres: GenreIndex | None = None,
        index: CatalogIndex | None = None,
    ) -> None:
        self.catalog = catalog
        self.settings = settings
        self.rl = rl
        self.index = index if index is not None else build_index(catalog, settings, rl)
        self.genres = (
            genres
            if genres is not None
            else build_genre_index(catalog.genres, self.index.popularity_rank)
        )
        if collaborative is not None and collaborative.n_tracks != len(catalog):
            raise ValueError("the co-occurrence structure was built for another catalogue size")
        if self.genres.n_tracks != len(catalog):
            raise ValueError("the genre index was built for another catalogue size")
        self.collaborative = collaborative
        self._alignment: np.ndarray | None = None
        self._poles: dict[tuple[int, int], np.ndarray] | None = None

    def with_membership(
        self, *, genres: GenreIndex | None = None, collaborative: CoOccurrence | None = None
    ) -> Recommender:
        """The same catalogue index with other genre labels and co-occurrence counts (both are
        learned from playlist membership). ``genres=None`` keeps the current labels;
        ``collaborative=None`` means no co-occurrence."""
        return Recommender(
            self.catalog,
            self.settings,
            self.rl,
            collaborative,
            genres=genres if genres is not None else self.genres,
            index=self.index,
        )

    # ----------------------------------------------------------------- public API

    def stage_for(self, account_age_days: float) -> tuple[str, dict[str, float]]:
        """The cold-start stage of an account age and its weights."""
        stages = sorted(
            self.settings.cold_start.items(),
            key=lambda kv: float("inf") if kv[1].max_days is None else kv[1].max_days,
        )
        chosen = next(
            ((name, stage) for name, stage in stages
             if stage.max_days is None or account_age_days < stage.max_days),
            stages[-1],
        )
        name, stage = chosen
        return name, {
            "history": stage.history,
            "personality": stage.personality,
            "diversity": stage.diversity,
            "novelty": stage.novelty,
            "popular": stage.popular,
        }

    def recommend(
        self,
        user: UserProfile,
        *,
        k: int | None = None,
        mood: str | MoodTargets | None = None,
        constraints: Constraints = Constraints(),  # noqa: B008 - frozen, never mutated
        q_values: Mapping[str, float] | None = None,
        seed: int = 0,
    ) -> Recommendations:
        """The top-k list for a listener. ``seed`` only breaks exact ties."""
        k = self.settings.list_size if k is None else k
        if k < 1:
            raise ValueError("k must be at least 1")
        mood_targets = self._mood(mood)
        stage, stage_weights = self.stage_for(user.account_age_days)
        request = self._request(user, mood_targets, constraints)
        sources = self._sources(request)
        pool, counts = self._merge(sources)
        extra = self._fill(pool, request)
        if extra.size:  # too few candidates: popular tracks make up the minimum, and count
            sources["popular"] = np.concatenate([sources["popular"], extra])
            pool = np.concatenate([pool, extra]).astype(np.int64)
        in_pool = np.zeros(len(self.catalog), dtype=bool)
        in_pool[pool] = True
        counts = {name: int(in_pool[rows].sum()) for name, rows in sources.items()}
        return self._score_and_select(
            pool, counts, request, stage, stage_weights, k, q_values, seed
        )

    def rerank(
        self,
        rows: np.ndarray,
        criterion: str,
        *,
        genre: str | None = None,
        decade: int | None = None,
    ) -> np.ndarray:
        """The same rows reordered by a criterion (stable; unknown values go last)."""
        rows = np.asarray(rows, dtype=np.int64)
        raw = self.index.space.raw
        by_feature = {
            "calmer": ("energy", 1.0),
            "more_energetic": ("energy", -1.0),
            "happier": ("valence", -1.0),
            "sadder": ("valence", 1.0),
            "more_acoustic": ("acousticness", -1.0),
            "more_danceable": ("danceability", -1.0),
        }
        if criterion in by_feature:
            feature, sign = by_feature[criterion]
            key = sign * raw[rows, FEATURE_INDEX[feature]].astype(np.float64)
        elif criterion in ("less_popular", "more_popular"):
            sign = 1.0 if criterion == "less_popular" else -1.0
            key = sign * self.index.popularity[rows].astype(np.float64)
        elif criterion == "genre":
            if not genre:
                raise ValueError("rerank by genre needs a genre")
            key = np.where(self.genres.matches(rows, [genre]), 0.0, 1.0)
        elif criterion == "decade":
            if decade is None:
                raise ValueError("rerank by decade needs a decade")
            years = self.catalog.release_year[rows].astype(np.int64)
            key = np.where((years > 0) & (years // 10 * 10 == decade), 0.0, 1.0)
        else:
            raise ValueError(
                f"unknown rerank criterion {criterion!r}; expected one of "
                + ", ".join(RERANK_CRITERIA)
            )
        key = np.where(np.isnan(key), np.inf, key)
        return rows[np.argsort(key, kind="stable")]

    def explain(self, recommendations: Recommendations, position: int) -> str:
        from recommender.explain import explain_track

        return explain_track(self.catalog, recommendations, position)

    def cluster_of(self, row: int) -> int:
        return int(self.index.rl_clusters.labels[row])

    def prepare(self) -> None:
        """Compute the lazily built personality tables now (e.g. at start-up)."""
        self._personality_poles()

    # ----------------------------------------------------------------- request set-up

    def _mood(self, mood: str | MoodTargets | None) -> MoodTargets | None:
        if mood is None or isinstance(mood, MoodTargets):
            return mood
        if not mood.strip():
            return None
        parsed = parse_mood(mood)
        if parsed is None:
            raise UnknownMoodError(mood)
        return parsed

    def _listener(self, user: UserProfile) -> ListenerProfile:
        n = len(self.catalog)
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
        top = self.settings.history.top_tracks
        top_w = w[:top] / w[:top].sum() if rows.size else w[:0]
        codes = self.catalog.artist_codes
        scale = float(rows.size)  # weights scaled to mean 1: a count of tracks
        artist_counts = WeightedCounts.of(codes[rows], w * scale)
        album_counts = WeightedCounts.of(self.index.album_codes[rows], w * scale)
        liked = np.asarray(user.liked_rows, dtype=np.int64)
        liked = liked[(liked >= 0) & (liked < n)]
        unit = self.index.space.unit
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

    def _request(
        self, user: UserProfile, mood: MoodTargets | None, constraints: Constraints
    ) -> _Request:
        listener = self._listener(user)
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
                np.concatenate([self.genres.labels_matching(g) for g in constraints.include_genres])
            )
        if constraints.exclude_genres:
            exclude = np.unique(
                np.concatenate([self.genres.labels_matching(g) for g in constraints.exclude_genres])
            )
        blocked_mask = np.zeros(len(self.catalog), dtype=bool)
        blocked_mask[blocked[(blocked >= 0) & (blocked < len(self.catalog))]] = True
        request = _Request(
            listener=listener,
            blocked_mask=blocked_mask,
            traits=user.traits,
            deviations=trait_deviations(user.traits, self.settings.personality.neutral),
            mood=mood,
            constraints=constraints,
            include_labels=include,
            mood_kernel=None
            if mood is None
            else mood_kernel(self.index.space, mood, self.settings.mood.width),
            exclude_labels=exclude,
        )
        if self.collaborative is not None and (listener.has_history or user.liked_rows.size):
            liked = np.asarray(user.liked_rows, dtype=np.int64)
            liked_w = np.full(
                liked.size, listener.history_weights.max() if listener.has_history else 1.0
            )
            found, scores = self.collaborative.scores(
                np.concatenate([listener.history_order, liked]),
                np.concatenate([listener.history_weights, liked_w]),
            )
            request.collab_rows, request.collab_scores = found, scores
        return request

    def _allowed(self, rows: np.ndarray, request: _Request) -> np.ndarray:
        """Rows that pass every hard filter and are not blocked (history, likes, shown…)."""
        ok = ~request.blocked_mask[rows]
        c = request.constraints
        if not c.filters_catalogue:
            return ok
        if c.decade is not None:
            years = self.catalog.release_year[rows].astype(np.int64)
            ok &= (years > 0) & (years // 10 * 10 == c.decade)
        pop = self.index.popularity[rows]
        if c.min_popularity is not None:
            ok &= pop >= c.min_popularity  # unknown popularity (NaN) fails a bound
        if c.max_popularity is not None:
            ok &= pop <= c.max_popularity
        tempo = self.index.space.raw[rows, FEATURE_INDEX["tempo"]]
        if c.min_tempo is not None:
            ok &= tempo >= c.min_tempo
        if c.max_tempo is not None:
            ok &= tempo <= c.max_tempo
        if request.include_labels is not None:
            ok &= self._has_labels(rows, request.include_labels)
        if request.exclude_labels is not None and request.exclude_labels.size:
            ok &= ~self._has_labels(rows, request.exclude_labels)
        return ok

    def _has_labels(self, rows: np.ndarray, labels: np.ndarray) -> np.ndarray:
        return self.genres.has_labels(rows, labels)

    # ----------------------------------------------------------------- personality tables

    def _personality_alignment(self) -> np.ndarray:
        if self._alignment is None:
            genre_part = genre_alignment(self.genres, self.settings.personality)
            self._alignment = combine_alignment(self.index.audio_alignment, genre_part)
        return self._alignment

    def _personality_poles(self) -> dict[tuple[int, int], np.ndarray]:
        """Per trait and direction (+1/−1), the rows that trait pulls hardest toward."""
        if self._poles is None:
            alignment = self._personality_alignment()
            size = min(len(self.catalog), max(1, self.settings.candidates.scan_budget // 2))
            poles = {}
            for t in range(len(TRAIT_NAMES)):
                for sign in (1, -1):
                    col = sign * alignment[:, t]
                    if size < col.size:
                        top = np.argpartition(-col, size - 1)[:size]
                    else:
                        top = np.arange(col.size)
                    poles[(t, sign)] = np.sort(top).astype(np.int64)
            self._poles = poles
        return self._poles

    def _personality_match(self, rows: np.ndarray, deviations: np.ndarray) -> np.ndarray:
        if not np.any(deviations != 0.0):
            return np.full(rows.shape[0], 0.5)
        return personality_match(self._personality_alignment()[rows], deviations)

    # ----------------------------------------------------------------- candidate sources

    def _sources(self, request: _Request) -> dict[str, np.ndarray]:
        quotas = self.settings.candidates
        out: dict[str, np.ndarray] = {}
        out["history_neighbours"] = self._history_neighbours(request, quotas.history_neighbours)
        out["history_artists"] = self._history_artists(request, quotas.history_artists)
        out["collaborative"] = self._collaborative(request, quotas.collaborative)
        if request.mood is not None:
            out["mood"] = self._mood_source(request, quotas.mood)
        out["personality"] = self._personality_source(request, quotas.personality)
        out["genre"] = self._genre_source(request, quotas.genre)
        out["new_releases"] = self._ranked(
            self.index.new_release_rows[: self._budget(quotas.new_releases)],
            request,
            quotas.new_releases,
        )
        out["popular"] = self._popular(request, quotas.popular, _EMPTY_ROWS)
        return out

    def _relevance(self, rows: np.ndarray, request: _Request) -> np.ndarray:
        """How well rows fit the request, for sources that must choose among many (cheap:
        the final score is computed again on the pool)."""
        if request.mood_kernel is not None:
            return request.mood_kernel.match(self.index.space.raw[rows])
        if request.listener.has_history:
            return self.index.space.unit[rows] @ request.listener.profile
        if request.has_personality:
            return self._personality_match(rows, request.deviations)
        return popularity_score(rows, self.index.popularity)

    def _top(self, rows: np.ndarray, scores: np.ndarray, quota: int) -> np.ndarray:
        if rows.size > quota:
            part = np.argpartition(-scores, quota - 1)[:quota]
            rows, scores = rows[part], scores[part]
        return rows[np.argsort(-scores, kind="stable")]

    def _ranked(self, rows: np.ndarray, request: _Request, quota: int) -> np.ndarray:
        if quota <= 0 or rows.size == 0:
            return _EMPTY_ROWS
        rows = rows[self._allowed(rows, request)]
        return self._top(rows, self._relevance(rows, request), quota)

    def _budget(self, quota: int) -> int:
        """How many tracks a source scores to pick ``quota``: the scan budget, but never
        more than SCAN_PER_PICK per pick."""
        return min(self.settings.candidates.scan_budget, SCAN_PER_PICK * quota)

    def _probe(self, order: np.ndarray, budget: int) -> np.ndarray:
        """Members of the clusters in ``order`` until ``budget`` tracks are reached."""
        ivf = self.index.ivf
        sizes = ivf.sizes()[order]
        count = int(np.searchsorted(np.cumsum(sizes), budget) + 1)
        chosen = order[: max(count, 1)]
        if chosen.size == 0:
            return _EMPTY_ROWS
        return np.concatenate([ivf.members(int(c)) for c in chosen])

    def _history_neighbours(self, request: _Request, quota: int) -> np.ndarray:
        listener = request.listener
        if quota <= 0 or not listener.has_history:
            return _EMPTY_ROWS
        ivf = self.index.ivf
        own = np.bincount(
            ivf.labels[listener.top_rows], weights=listener.top_weights, minlength=ivf.n_clusters
        )
        nearness = ivf.centroids @ listener.profile
        # clusters holding top tracks first (by weight), then the nearest to the profile
        order = np.lexsort((-nearness, -own))
        members = self._probe(order, self._budget(quota))
        members = members[self._allowed(members, request)]
        unit = self.index.space.unit
        nearest = (unit[members] @ unit[listener.top_rows].T).max(axis=1)  # the closest top track
        return self._top(members, nearest, quota)

    def _history_artists(self, request: _Request, quota: int) -> np.ndarray:
        """Other tracks by the history's artists, by artist affinity, then sound."""
        listener = request.listener
        if quota <= 0 or len(listener.artist_counts) == 0:
            return _EMPTY_ROWS
        index = self.index
        codes = listener.artist_counts.by_weight().tolist()
        parts, have = [], 0
        for code in codes:
            rows = index.artist_order[index.artist_offsets[code] : index.artist_offsets[code + 1]]
            parts.append(rows)
            have += rows.size
            if have >= self.settings.candidates.scan_budget:
                break
        rows = np.concatenate(parts)
        rows = rows[self._allowed(rows, request)]
        affinity = self._artist_affinity(rows, listener)
        sound = content_similarity(index.space.unit, rows, listener)
        return self._top(rows, affinity + 1e-3 * sound, quota)

    def _artist_affinity(self, rows: np.ndarray, listener: ListenerProfile) -> np.ndarray:
        index = self.index
        return artist_affinity(
            self.catalog.artist_codes,
            index.artist_sizes,
            index.album_codes,
            index.album_sizes,
            rows,
            listener,
        )

    def _collaborative(self, request: _Request, quota: int) -> np.ndarray:
        if quota <= 0 or request.collab_rows.size == 0:
            return _EMPTY_ROWS
        ok = self._allowed(request.collab_rows, request)
        return self._top(request.collab_rows[ok], request.collab_scores[ok], quota)

    def _mood_source(self, request: _Request, quota: int) -> np.ndarray:
        kernel = request.mood_kernel
        assert kernel is not None
        fit = kernel.match(self.index.ivf_raw_means)  # clusters whose average fits first
        members = self._probe(np.argsort(-fit, kind="stable"), self._budget(quota))
        members = members[self._allowed(members, request)]
        return self._top(members, kernel.match(self.index.space.raw[members]), quota)

    def _personality_source(self, request: _Request, quota: int) -> np.ndarray:
        if quota <= 0 or not request.has_personality:
            return _EMPTY_ROWS
        poles = self._personality_poles()
        parts = [poles[(t, 1 if d > 0 else -1)] for t, d in enumerate(request.deviations) if d != 0]
        rows = _union(parts, len(self.catalog))
        rows = rows[self._allowed(rows, request)]
        return self._top(rows, self._personality_match(rows, request.deviations), quota)

    def _genre_source(self, request: _Request, quota: int) -> np.ndarray:
        if quota <= 0:
            return _EMPTY_ROWS
        listener = request.listener
        labels: list[int] = []
        if listener.has_history:
            weights = self.genres.label_weights(listener.history_order, listener.history_weights)
            labels.extend(int(i) for i in np.argsort(-weights)[:3] if weights[i] > 0)
        for phrase in preferred_genres(request.traits, self.settings.personality):
            labels.extend(int(i) for i in self.genres.labels_matching(phrase))
        if request.include_labels is not None:
            labels.extend(int(i) for i in request.include_labels)
        labels = list(dict.fromkeys(labels))
        if not labels:
            return _EMPTY_ROWS
        per_label = max(1, self._budget(quota) // len(labels))
        rows = _union([self.genres.members[i][:per_label] for i in labels], len(self.catalog))
        return self._ranked(rows, request, quota)

    def _popular(self, request: _Request, quota: int, taken: np.ndarray) -> np.ndarray:
        """The most popular allowed rows not in ``taken`` (scanning as far as needed)."""
        order = self.index.popular_order
        found: list[np.ndarray] = []
        have = 0
        step = max(4 * quota, 1024)
        start = 0
        while have < quota and start < order.size:
            chunk = order[start : start + step]
            chunk = chunk[self._allowed(chunk, request)]
            if taken.size:
                chunk = chunk[~np.isin(chunk, taken)]
            found.append(chunk[: quota - have])
            have += found[-1].size
            start += step
            step *= 2
        return np.concatenate(found) if found else _EMPTY_ROWS

    def _merge(self, sources: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, int]]:
        """Interleave the sources rank by rank, drop repeats, keep at most ``max``."""
        lists = [sources[name] for name in SOURCES if name in sources]
        if not any(x.size for x in lists):
            return _EMPTY_ROWS, {}
        rows = np.concatenate(lists).astype(np.int64)
        rank = np.concatenate([np.arange(x.size) for x in lists])
        source = np.concatenate([np.full(x.size, i) for i, x in enumerate(lists)])
        ordered = rows[np.lexsort((source, rank))]
        _, first = np.unique(ordered, return_index=True)
        pool = ordered[np.sort(first)][: self.settings.candidates.max]
        return pool, {}

    def _fill(self, pool: np.ndarray, request: _Request) -> np.ndarray:
        """Popular tracks not yet in the pool, as many as the pool lacks of the minimum."""
        missing = self.settings.candidates.min - pool.size
        if missing <= 0:
            return _EMPTY_ROWS
        return self._popular(request, missing, pool)

    # ----------------------------------------------------------------- scoring

    def _score_and_select(
        self,
        pool: np.ndarray,
        counts: dict[str, int],
        request: _Request,
        stage: str,
        stage_weights: dict[str, float],
        k: int,
        q_values: Mapping[str, float] | None,
        seed: int,
    ) -> Recommendations:
        s = self.settings
        index = self.index
        listener = request.listener
        unit = index.space.unit
        parts = {
            "content": content_similarity(unit, pool, listener),
            "artist": self._artist_affinity(pool, listener),
            "collaborative": collaborative_similarity(
                request.collab_rows, request.collab_scores, pool
            ),
        }
        part_w = {
            "content": s.history.content,
            "artist": s.history.artist,
            "collaborative": s.history.collaborative,
        }
        total_w = sum(part_w.values()) or 1.0
        history = sum(part_w[p] * parts[p] for p in parts) / total_w
        comps: dict[str, np.ndarray] = {
            "history_similarity": np.asarray(history, dtype=np.float64),
            "personality_match": self._personality_match(pool, request.deviations),
            "novelty_factor": novelty_factor(
                pool,
                self.catalog.artist_codes,
                index.popularity,
                listener,
                s.novelty.new_artist_bonus,
                s.novelty.popularity_penalty,
            ),
            "popularity": popularity_score(pool, index.popularity),
            "rl_adjustment": rl_adjustment(
                q_values,
                pool,
                index.rl_clusters.labels,
                self.catalog.row_of,
                s.rl_bound,
                self.rl.q_scale,
            ),
        }
        mood_share = s.mood.weight if request.mood is not None else 0.0
        applied = {name: (1.0 - mood_share) * w for name, w in stage_weights.items()}
        base = (
            applied["history"] * comps["history_similarity"]
            + applied["personality"] * comps["personality_match"]
            + applied["novelty"] * comps["novelty_factor"]
            + applied["popular"] * comps["popularity"]
            + comps["rl_adjustment"]
        )
        if request.mood is not None:
            assert request.mood_kernel is not None
            comps["mood_match"] = request.mood_kernel.match(index.space.raw[pool])
            applied["mood"] = mood_share
            base = base + mood_share * comps["mood_match"]
        # ties (equal scores) are broken by the seed, far below any real difference
        base = base + np.random.default_rng(seed).random(pool.size) * 1e-9
        caps = artist_caps(
            self.catalog.artist_codes,
            pool,
            listener,
            k,
            s.diversity.max_per_artist,
            s.diversity.artist_share_cap,
        )
        known = is_member(self.catalog.artist_codes[pool], listener.known_artists)
        chosen = select_diverse(
            base,
            unit[pool],
            self.catalog.artist_codes[pool],
            k,
            applied["diversity"],
            caps,
            known=known,
            max_known=k - int(np.ceil(s.novelty.min_new_artist_share * k)),
        )
        picked = chosen.order
        comps["diversity_bonus"] = chosen.diversity
        components = {
            name: comps[name][picked] if name != "diversity_bonus" else comps[name]
            for name in (*COMPONENTS, *(["mood_match"] if request.mood else []))
        }
        rows = pool[picked]
        return Recommendations(
            rows=rows,
            final=chosen.final,
            components=components,
            weights=applied,
            stage=stage,
            candidate_sources={name: counts.get(name, 0) for name in SOURCES if name in counts},
            total_candidates=int(pool.size),
            state=mood_state(request.mood),
            mood=request.mood,
            history_parts={name: v[picked] for name, v in parts.items()},
            clusters=index.rl_clusters.labels[rows].astype(np.int64),
        )
