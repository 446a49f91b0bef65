"""The recommender: candidates from several sources, scored, then a diverse list.

final = Σ_c w_c · component_c + rl_adjustment, with the weights of the listener's cold-start
stage (config ``recommender.cold_start``); the diversity term is measured against the
tracks already chosen, so the list is picked greedily. With a mood, the mood match takes
``recommender.mood.weight`` of the score and the stage's weights share the rest.

The request set-up lives in ``request.py``, the candidate sources in ``candidates.py``, the
personality tables in ``personality_tables.py`` and the result in ``recommendations.py``;
this module wires them and scores the pool.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from recommender.candidates import (
    HISTORY_PARTS,
    SCAN_PER_PICK,
    SOURCES,
    CandidateSources,
    history_signals,
)
from recommender.catalog import FEATURE_INDEX, Catalog
from recommender.collaborative import CoOccurrence
from recommender.config import RecommenderSettings, RLSettings
from recommender.explain import explain_track
from recommender.genres import GenreIndex, build_genre_index
from recommender.index import CatalogIndex, build_index
from recommender.mood import MoodTargets, mood_state
from recommender.personality_tables import PersonalityTables
from recommender.ranker import TreeRanker, ranker_features
from recommender.recommendations import COMPONENTS, Recommendations
from recommender.request import (
    Constraints,
    Request,
    UnknownMoodError,
    UserProfile,
    build_request,
    mood_targets,
)
from recommender.rl import rl_adjustment
from recommender.scoring import (
    artist_caps,
    is_member,
    novelty_factor,
    popularity_score,
    select_diverse,
)
from recommender.stage import StageContext
from recommender.versions import first_of_each_song

__all__ = [
    "COMPONENTS",
    "RERANK_CRITERIA",
    "SCAN_PER_PICK",
    "SOURCES",
    "Constraints",
    "Recommendations",
    "Recommender",
    "UnknownMoodError",
    "UserProfile",
]

RERANK_CRITERIA: tuple[str, ...] = (
    "calmer",
    "more_energetic",
    "happier",
    "sadder",
    "more_acoustic",
    "more_danceable",
    "less_popular",
    "more_popular",
    "faster",
    "slower",
    "newer",
    "older",
    "genre",
    "genre_last",
    "decade",
    "reverse",
    "shuffle",
)


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
        artists: CoOccurrence | None = None,
        ranker: TreeRanker | None = None,
        personality: PersonalityTables | None = None,
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
        if artists is not None and artists.n_tracks != len(catalog.artist_names):
            raise ValueError("the artist co-occurrence was built for another set of artists")
        self.collaborative = collaborative
        self.artists = artists
        self.ranker = ranker
        self._personality = (
            personality
            if personality is not None and personality.genres is self.genres
            and personality.index is self.index
            else PersonalityTables(len(catalog), self.index, self.genres, settings)
        )
        self._candidates = CandidateSources(
            catalog, self.index, self.genres, settings, self._personality
        )

    def with_membership(
        self,
        *,
        genres: GenreIndex | None = None,
        collaborative: CoOccurrence | None = None,
        artists: CoOccurrence | None = None,
    ) -> Recommender:
        """The same catalogue index with other genre labels and co-occurrence counts (all
        learned from playlist membership). ``genres=None`` keeps the current labels;
        ``collaborative=None`` / ``artists=None`` mean no track / artist co-occurrence."""
        return Recommender(
            self.catalog,
            self.settings,
            self.rl,
            collaborative,
            genres=genres if genres is not None else self.genres,
            index=self.index,
            artists=artists,
            ranker=self.ranker,
            personality=self._personality,  # kept when the genre labels are the same
        )

    def with_ranker(self, ranker: TreeRanker | None) -> Recommender:
        """The same recommender with a learned ranking stage (None = hand-weighted score)."""
        return Recommender(self.catalog, self.settings, self.rl, self.collaborative,
                           genres=self.genres, index=self.index, artists=self.artists,
                           ranker=ranker, personality=self._personality)

    def ablated(self, names: Sequence[str]) -> Recommender:
        """The same recommender with history parts ("album") and/or candidate sources
        ("source:album") switched off (weight 0, quota 0), to measure what each adds."""
        s = self.settings
        parts = {n: 0.0 for n in names if n in HISTORY_PARTS}
        quotas = {n.removeprefix("source:"): 0 for n in names
                  if n.startswith("source:") and n.removeprefix("source:") in SOURCES
                  and hasattr(s.candidates, n.removeprefix("source:"))}
        unknown = set(names) - set(parts) - {f"source:{n}" for n in quotas}
        if unknown:
            raise ValueError(f"nothing to switch off called {sorted(unknown)}")
        settings = s.model_copy(update={
            "history": s.history.model_copy(update=parts),
            "candidates": s.candidates.model_copy(update=quotas),
        })
        return Recommender(self.catalog, settings, self.rl, self.collaborative,
                           genres=self.genres, index=self.index, artists=self.artists,
                           ranker=self.ranker)

    @property
    def personality_tables(self) -> PersonalityTables:
        """The per-catalogue personality tables (built on first use, or given)."""
        return self._personality

    # ----------------------------------------------------------------- public API

    def stage_for(
        self, account_age_days: float, history_tracks: int = 0, feedback_events: int = 0
    ) -> tuple[str, dict[str, float]]:
        """The cold-start stage and its weights (see ``stage_with_reason``)."""
        name, weights, _ = self.stage_with_reason(
            account_age_days, history_tracks, feedback_events)
        return name, weights

    def stage_with_reason(
        self, account_age_days: float, history_tracks: int = 0, feedback_events: int = 0
    ) -> tuple[str, dict[str, float], str]:
        """The later of the account-age stage and the evidence stage (enough history tracks
        or feedback events), its weights, and which rule chose it."""
        stages = sorted(
            self.settings.cold_start.items(),
            key=lambda kv: float("inf") if kv[1].max_days is None else kv[1].max_days,
        )
        by_age = next(
            (i for i, (_, stage) in enumerate(stages)
             if stage.max_days is None or account_age_days < stage.max_days),
            len(stages) - 1,
        )
        by_evidence, evidence = -1, ""
        for i, (_, stage) in enumerate(stages):
            if stage.min_history_tracks is not None and history_tracks >= stage.min_history_tracks:
                by_evidence, evidence = i, (
                    f"{history_tracks} history tracks (at least {stage.min_history_tracks})")
            elif (stage.min_feedback_events is not None
                  and feedback_events >= stage.min_feedback_events):
                by_evidence, evidence = i, (
                    f"{feedback_events} feedback events (at least {stage.min_feedback_events})")
        if by_evidence > by_age:
            chosen, reason = by_evidence, "evidence: " + evidence
        else:
            chosen, reason = by_age, f"account age: {account_age_days:.1f} days"
        name, stage = stages[chosen]
        return name, {
            "history": stage.history,
            "personality": stage.personality,
            "diversity": stage.diversity,
            "novelty": stage.novelty,
            "popular": stage.popular,
        }, reason

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
        targets = mood_targets(mood)
        request, pool, counts = self._pool(user, targets, constraints)
        stage, stage_weights, reason = self.stage_with_reason(
            user.account_age_days, int(request.listener.history_rows.size),
            user.feedback_events)
        result = self._score_and_select(
            pool, counts, request, stage, stage_weights, k, q_values, seed
        )
        return replace(result, stage_reason=reason,
                       ranker="learned" if self.ranker is not None else "hand-weighted")

    def candidate_features(self, user: UserProfile) -> tuple[np.ndarray, np.ndarray]:
        """(candidate pool, the learned ranker's features of each): training examples."""
        pool, x, _ = self.candidate_examples(user)
        return pool, x

    def candidate_examples(self, user: UserProfile
                           ) -> tuple[np.ndarray, np.ndarray, StageContext]:
        """(candidate pool, the first stage's features of each, what the second stage reads
        of each besides the first stage's score): training examples of both stages."""
        request, pool, _ = self._pool(user, None, Constraints())
        parts = history_signals(self.catalog, self.index, pool, request, genres=self.genres)
        return (pool, ranker_features(self.catalog, self.index, pool, request, parts),
                StageContext.of(self.catalog, self.index, pool,
                                request.listener.history_order))

    def _pool(
        self, user: UserProfile, targets: MoodTargets | None, constraints: Constraints
    ) -> tuple[Request, np.ndarray, dict[str, int]]:
        request = build_request(
            user,
            targets,
            constraints,
            catalog=self.catalog,
            index=self.index,
            genres=self.genres,
            settings=self.settings,
            collaborative=self.collaborative,
            artists=self.artists,
        )
        sources = self._candidates.propose(request)
        pool, counts = self._candidates.merge(sources)
        extra = self._candidates.fill(pool, request)
        if extra.size:  # too few candidates: popular tracks make up the minimum, and count
            sources["popular"] = np.concatenate([sources["popular"], extra])
            pool = np.concatenate([pool, extra]).astype(np.int64)
        in_pool = np.zeros(len(self.catalog), dtype=bool)
        in_pool[pool] = True
        counts = {name: int(in_pool[rows].sum()) for name, rows in sources.items()}
        return request, pool, counts

    def rerank(
        self,
        rows: np.ndarray,
        criterion: str,
        *,
        genre: str | None = None,
        decade: int | None = None,
        seed: int | None = None,
    ) -> np.ndarray:
        """The same rows reordered by a criterion (stable; unknown values go last);
        "reverse" turns the order around, "shuffle" draws a random one (``seed``)."""
        rows = np.asarray(rows, dtype=np.int64)
        if criterion == "reverse":
            return rows[::-1].copy()
        if criterion == "shuffle":
            return np.random.default_rng(seed).permutation(rows)
        raw = self.index.space.raw
        by_feature = {
            "calmer": ("energy", 1.0),
            "more_energetic": ("energy", -1.0),
            "happier": ("valence", -1.0),
            "sadder": ("valence", 1.0),
            "more_acoustic": ("acousticness", -1.0),
            "more_danceable": ("danceability", -1.0),
            "faster": ("tempo", -1.0),
            "slower": ("tempo", 1.0),
        }
        if criterion in by_feature:
            feature, sign = by_feature[criterion]
            key = sign * raw[rows, FEATURE_INDEX[feature]].astype(np.float64)
        elif criterion in ("less_popular", "more_popular"):
            sign = 1.0 if criterion == "less_popular" else -1.0
            key = sign * self.index.popularity[rows].astype(np.float64)
        elif criterion in ("newer", "older"):
            years = self.catalog.release_year[rows].astype(np.float64)
            years[years <= 0] = np.nan  # unknown years go last either way
            key = -years if criterion == "newer" else years
        elif criterion == "genre" and not genre:
            key = self._genre_groups(rows)
        elif criterion in ("genre", "genre_last"):
            if not genre:
                raise ValueError("rerank by genre needs a genre")
            first = 0.0 if criterion == "genre" else 1.0
            key = np.where(self.genres.matches(rows, [genre]), first, 1.0 - first)
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

    def _genre_groups(self, rows: np.ndarray) -> np.ndarray:
        """A sort key that groups the rows by genre ("sort by genre"): each track joins the
        group of the genre label, among its own, that most of the rows carry; groups follow
        one another by how many rows carry their label, and a track with no label goes last."""
        labels, owner = self.genres.labels_of(rows)
        key = np.full(rows.shape[0], np.inf)
        if labels.size == 0:
            return key
        carried = np.bincount(labels, minlength=len(self.genres.labels))
        # per row, its most carried label (ties: the lower label id): a rank over all labels
        rank = np.empty(len(carried), dtype=np.float64)
        rank[np.lexsort((np.arange(len(carried)), -carried))] = np.arange(len(carried))
        np.minimum.at(key, owner, rank[labels])
        return key

    def explain(self, recommendations: Recommendations, position: int) -> str:
        """Why the track at ``position`` (0-based) is in the list, in plain words."""
        if not 0 <= position < len(recommendations):
            raise IndexError(f"position {position + 1} is not in a list of "
                             f"{len(recommendations)}")
        return explain_track(recommendations.to_dicts(self.catalog)[position])

    def cluster_of(self, row: int) -> int:
        return int(self.index.rl_clusters.labels[row])

    def prepare(self) -> None:
        """Compute the lazily built personality tables now (e.g. at start-up)."""
        self._personality.poles()

    def _personality_match(self, rows: np.ndarray, deviations: np.ndarray) -> np.ndarray:
        return self._personality.match(rows, deviations)

    # ----------------------------------------------------------------- scoring

    def _score_and_select(
        self,
        pool: np.ndarray,
        counts: dict[str, int],
        request: Request,
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
        parts = history_signals(self.catalog, index, pool, request, genres=self.genres)
        if self.ranker is not None and listener.has_history and pool.size:
            # the learned stage: its log-odds, min-max scaled over this pool to [0, 1]
            # (the second stage, when fitted, rescores the first stage's log-odds by each
            # candidate's place among its artist's and album's candidates)
            learned = self.ranker.rank(
                ranker_features(self.catalog, index, pool, request, parts),
                lambda: StageContext.of(self.catalog, index, pool, listener.history_order))
            spread = float(learned.max() - learned.min())
            history = (learned - learned.min()) / spread if spread > 0 else np.ones(pool.size)
        else:
            part_w = {name: float(getattr(s.history, name)) for name in HISTORY_PARTS}
            total_w = sum(part_w.values()) or 1.0
            history = np.zeros(pool.size)
            for name, values in parts.items():
                history += part_w[name] / total_w * values
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
        # one version of a song: only the best-scored version stays eligible
        by_score = np.argsort(-base, kind="stable")
        duplicate = np.zeros(pool.size, dtype=bool)
        duplicate[by_score[~first_of_each_song(by_score, index.song_codes[pool])]] = True
        base = np.where(duplicate, -np.inf, base)
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
