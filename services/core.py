"""The service layer: what a handler or an agent tool asks for, in domain terms.

One object per worker (``Services``), built at start-up and kept on the app. It joins the
store (Postgres, Redis) with the pure recommender. Handlers and tools call these methods;
neither touches SQL or numpy directly.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg
import numpy as np
from cachetools import TTLCache

from recommender.catalog import Catalog
from recommender.collaborative import build_cooccurrence
from recommender.engine import Constraints, Recommender, UserProfile
from recommender.mood import MoodTargets, mood_state, parse_mood
from recommender.personality import Traits
from recommender.rl import actions_for_row, q_update, reward_for, track_action
from recommender.signals import build_artist_cooccurrence
from services import metrics
from services.config import Settings
from store import chat, feedback, playlists, profile, recommendations
from store.cache import RECOMMENDATIONS, USER_DATA, JsonCache
from store.listener import listener_rows
from store.ratelimit import RateLimiter
from store.users import User, hash_token, user_by_token

log = logging.getLogger(__name__)

# Above this many tracks, scoring runs in a thread so it never stalls the event loop.
OFF_LOOP_TRACKS = 100_000


def _usable_list(cached: Any) -> bool:
    """A cached list has the shape ``recommend`` writes (the tracks, its metadata, state and
    personality); anything else in its key is a miss, not a 500 for the next 24 h."""
    return (isinstance(cached, dict) and isinstance(cached.get("metadata"), dict)
            and isinstance(cached.get("state"), str) and "personality" in cached
            and isinstance(cached.get("tracks"), list)
            and all(isinstance(t, dict) and isinstance(t.get("track_id"), str)
                    for t in cached["tracks"]))


def _cached_user(cached: Any) -> User | None:
    """The user kept in the user-data cache, or None when the entry has another shape."""
    try:
        return User(UUID(cached["id"]), str(cached["display_name"]),
                    datetime.fromisoformat(cached["created_at"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


@dataclass(frozen=True)
class RecommendRequest:
    mood: str | MoodTargets | None = None  # words to parse, or targets already worked out
    count: int = 50
    constraints: Constraints = field(default_factory=Constraints)

    @property
    def is_default(self) -> bool:
        """The plain session list: the only request whose result is cached."""
        return not self.mood and not self.constraints.filters_catalogue \
            and not self.constraints.exclude_rows


@dataclass(frozen=True)
class RecommendResult:
    tracks: list[dict[str, Any]]
    metadata: dict[str, Any]
    state: str
    personality: dict[str, Any] | None  # the active profile the list was made with


@dataclass(frozen=True)
class Listener:
    """Everything the store knows about a user that scoring needs."""

    profile: UserProfile
    history_size: int
    personality: dict[str, Any] | None
    q_values: dict[str, float]


class Services:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, cache: JsonCache,
                 limiter: RateLimiter, catalog: Catalog, recommender: Recommender) -> None:
        self.settings = settings
        self.pool = pool
        self.cache = cache
        self.limiter = limiter
        self.catalog = catalog
        self.recommender = recommender
        # who sent a token lately: saves a Redis round trip on every request
        self._recent_users: TTLCache[str, User] = TTLCache(maxsize=10_000, ttl=60)
        # whose chat sessions were asked about lately (an owner never changes): saves a
        # Postgres round trip on every chat message and feedback
        self._session_owners: TTLCache[UUID, UUID] = TTLCache(maxsize=10_000, ttl=60)

    # ------------------------------------------------------------ identity

    async def authenticate(self, token: str) -> User | None:
        """The token's user: this worker's memory (1 min), then Redis (30 min), then Postgres."""
        key = hash_token(token).hex()
        user: User | None = self._recent_users.get(key)
        if user is not None:
            return user
        user = _cached_user(await self.cache.get(
            USER_DATA, key, valid=lambda value: _cached_user(value) is not None))
        metrics.cache_lookup("user", user is not None)
        if user is None:
            user = await user_by_token(self.pool, token)
            if user is None:
                return None
            await self.cache.set(USER_DATA, key, {
                "id": str(user.id), "display_name": user.display_name,
                "created_at": user.created_at.isoformat(),
            })
        self._recent_users[key] = user
        return user

    async def session_owner(self, session_id: UUID) -> UUID | None:
        """The user a chat session belongs to (None: no such session), remembered a minute."""
        owner = self._session_owners.get(session_id)
        if owner is None:
            owner = await chat.session_owner(self.pool, session_id)
            if owner is not None:
                self._session_owners[session_id] = owner
        return owner

    # ------------------------------------------------------------ recommendations

    async def listener(self, user: User, state: str) -> Listener:
        """The user's history, personality, likes and Q values, in one round trip."""
        found = await listener_rows(self.pool, user.id, state)
        personality = found.personality
        rows, counts = [], []
        for track_id, play_count in found.plays:
            row = self.catalog.row_of.get(track_id)
            if row is not None:
                rows.append(row)
                counts.append(float(play_count))
        traits = None if personality is None else Traits(**personality["traits"])
        user_profile = UserProfile(
            history_rows=np.asarray(rows, dtype=np.int64),
            history_weights=np.asarray(counts, dtype=np.float64),
            traits=traits,
            account_age_days=user.account_age_days(datetime.now(UTC)),
            liked_rows=self.catalog.rows(found.liked)[0],
            disliked_rows=self.catalog.rows(found.disliked)[0],
            feedback_events=found.feedback_events,
        )
        return Listener(user_profile, len(found.plays), personality, found.q_values)

    async def recommend(self, user: User, request: RecommendRequest) -> RecommendResult:
        """A fresh list (or the cached one for the default request), with its metadata."""
        started = time.perf_counter()
        if request.is_default:
            with metrics.stage("cache"):
                cached, answered = await self.cache.lookup(RECOMMENDATIONS, str(user.id),
                                                           owner=str(user.id),
                                                           valid=_usable_list)
                if not answered:  # Redis is unreachable: the copy kept in Postgres
                    cached = await recommendations.load_list(self.pool, user.id)
            hit = cached is not None and len(cached["tracks"]) >= request.count
            metrics.cache_lookup("recommendations", hit)
            if cached is not None and hit:
                meta = {**cached["metadata"], "cache_status": "hit"}
                return RecommendResult(cached["tracks"][: request.count], meta,
                                       cached["state"], cached["personality"])
        mood = parse_mood(request.mood) if isinstance(request.mood, str) else request.mood
        state = mood_state(mood)
        with metrics.stage("profile"):
            listener = await self.listener(user, state)
        user_profile = listener.profile
        # never offer back what the user already plays or has rejected
        blocked = frozenset(
            np.concatenate([user_profile.history_rows, user_profile.disliked_rows]).tolist()
        ) | request.constraints.exclude_rows
        constraints = replace(request.constraints, exclude_rows=blocked)

        def score() -> Any:
            return self.recommender.recommend(
                user_profile, k=request.count, mood=mood, constraints=constraints,
                q_values=listener.q_values,
            )

        with metrics.stage("score"):
            if len(self.catalog) > OFF_LOOP_TRACKS:
                recs = await asyncio.get_running_loop().run_in_executor(None, score)
            else:
                recs = score()
        with metrics.stage("format"):
            tracks = recs.to_dicts(self.catalog)
        elapsed = round((time.perf_counter() - started) * 1000, 2)
        metadata = {
            "total_candidates": recs.total_candidates,
            "candidate_sources": recs.candidate_sources,
            "final_count": len(tracks),
            "cold_start_stage": recs.stage,
            "cold_start_reason": recs.stage_reason,
            "account_age_days": round(user_profile.account_age_days, 3),
            "feedback_events": user_profile.feedback_events,
            "ranker": recs.ranker,
            "listening_history_size": listener.history_size,
            "response_time_ms": elapsed,
            "performance_target_met": elapsed <= 25.0,
            "cache_status": "miss",
            "weights": recs.weights,
            "state": state,
        }
        if request.is_default:
            with metrics.stage("save"):
                await self.cache.set(RECOMMENDATIONS, str(user.id), {
                    "tracks": tracks, "metadata": metadata, "state": state,
                    "personality": listener.personality}, owner=str(user.id))
                await recommendations.save_list(self.pool, user.id,
                                                self.settings.cache.recommendations_ttl_s,
                                                tracks, metadata, listener.personality)
        return RecommendResult(tracks, metadata, state, listener.personality)

    async def invalidate(self, user: User) -> None:
        await self.cache.invalidate_user(str(user.id))
        await recommendations.delete_list(self.pool, user.id)

    def genre_count(self, genre: str, tracks: list[dict[str, Any]] | None = None) -> int:
        """How many tracks of a list (of the whole catalogue without one) carry a genre."""
        genres = self.recommender.genres
        if tracks is None:
            labels = genres.labels_matching(genre)  # ("rock" and "album rock": one track each)
            return int(np.unique(np.concatenate([genres.members[i] for i in labels])).size
                       ) if labels.size else 0
        rows, _ = self.catalog.rows([t["track_id"] for t in tracks])
        return int(np.count_nonzero(genres.matches(rows, [genre])))

    def main_genres(self, count: int = 6) -> list[str]:
        """The catalogue's largest genre labels, largest first."""
        genres = self.recommender.genres
        sizes = sorted(range(len(genres.labels)), key=lambda i: -len(genres.members[i]))
        return [genres.labels[i] for i in sizes[:count]]

    def rerank(self, tracks: list[dict[str, Any]], criterion: str, *, genre: str | None,
               decade: int | None) -> list[dict[str, Any]]:
        by_id = {t["track_id"]: t for t in tracks}
        rows, _ = self.catalog.rows(list(by_id))
        order = self.recommender.rerank(rows, criterion, genre=genre, decade=decade)
        out = [dict(by_id[str(self.catalog.track_ids[r])]) for r in order.tolist()]
        for position, track in enumerate(out, start=1):
            track["position"] = position
        return out

    # ------------------------------------------------------------ feedback

    async def record_feedback(self, user: User, *, event_id: str, track_id: str, signal: str,
                              session_id: UUID | None) -> feedback.FeedbackOutcome:
        """Store the event, learn from it once, and drop the user's cached list."""
        row = self.catalog.row_of[track_id]
        reward = reward_for(signal, self.settings.rl)
        state = "default"
        if session_id is not None:
            state = await chat.session_state(self.pool, session_id)
        actions = actions_for_row(self.recommender.index.rl_clusters.labels,
                                  self.catalog.track_ids, row)
        rl = self.settings.rl
        outcome = await feedback.record_feedback(
            self.pool, user_id=user.id, event_id=event_id, track_id=track_id, signal=signal,
            reward=reward, state=state, session_id=session_id, actions=actions,
            q_update=lambda q, r, best: q_update(q, r, best, rl.alpha, rl.gamma),
        )
        if outcome.applied:
            metrics.FEEDBACK_EVENTS.labels(signal).inc()
            await self.cache.delete(RECOMMENDATIONS, str(user.id))
        return outcome

    async def undo_feedback(self, user: User, event_id: str) -> feedback.FeedbackOutcome:
        """Cancel a feedback event by a compensating one (the opposite reward), learn from
        it, and drop the user's cached list; the original stays in the history."""
        labels = self.recommender.index.rl_clusters.labels

        def actions_of(track_id: str) -> list[str]:
            row = self.catalog.row_of.get(track_id)
            if row is None:  # the catalogue lost the track since: only its own action
                return [track_action(track_id)]
            return actions_for_row(labels, self.catalog.track_ids, row)

        rl = self.settings.rl
        outcome = await feedback.undo_feedback(
            self.pool, user_id=user.id, event_id=event_id, actions_of=actions_of,
            q_update=lambda q, r, best: q_update(q, r, best, rl.alpha, rl.gamma),
        )
        if outcome.applied:
            await self.cache.delete(RECOMMENDATIONS, str(user.id))
        return outcome

    # ------------------------------------------------------------ personality

    async def set_personality(self, user: User, traits: Traits, *, source: str,
                              answers: dict[str, int] | None = None) -> dict[str, Any]:
        stored = await profile.add_personality(self.pool, user.id, traits.as_dict(),
                                               source=source, answers=answers)
        await self.invalidate(user)
        return stored

    async def refresh_collaborative(self) -> None:
        """Rebuild track co-occurrence from every user's history and likes, and artist
        co-occurrence from those and the imported playlists."""
        records = await profile.all_histories(self.pool)
        per_user = [self.catalog.rows(r["track_ids"])[0] for r in records]
        matrix = build_cooccurrence(per_user, len(self.catalog))
        per_playlist: dict[str, list[str]] = {}
        for track_id, playlist_id, _, _ in await playlists.all_memberships(self.pool):
            per_playlist.setdefault(playlist_id, []).append(track_id)
        lists = per_user + [self.catalog.rows(ids)[0] for ids in per_playlist.values()]
        artists = build_artist_cooccurrence(
            lists, self.catalog.artist_codes, len(self.catalog.artist_names))
        self.recommender = self.recommender.with_membership(
            collaborative=matrix, artists=artists)

