"""The candidate sources: each proposes a ranked list of tracks for a request; the lists are
interleaved into one pool, topped up with popular tracks when it is too small."""

from __future__ import annotations

import numpy as np

from recommender.catalog import Catalog
from recommender.config import RecommenderSettings
from recommender.genres import GenreIndex
from recommender.index import CatalogIndex
from recommender.personality import preferred_genres
from recommender.personality_tables import PersonalityTables
from recommender.request import EMPTY_ROWS, Request, allowed
from recommender.scoring import (
    collaborative_similarity,
    content_similarity,
    popularity_score,
)
from recommender.signals import (
    ALBUM_SCALE,
    ARTIST_SCALE,
    count_signal,
    genre_closeness,
    year_closeness,
)

# Sources in the order the pool is interleaved (rank 1 of each, then rank 2 of each, …).
SOURCES: tuple[str, ...] = (
    "requested",  # the tracks a request names ("play some Queen"): only with only_rows
    "album",
    "history_artists",
    "artist_cf",
    "history_neighbours",
    "collaborative",
    "mood",
    "personality",
    "genre",
    "new_releases",
    "popular",
)
# A source scores at most this many tracks per track it proposes (and at most the scan
# budget): enough choice to find good ones, little enough to stay fast.
SCAN_PER_PICK = 10


def _union(parts: list[np.ndarray], n: int) -> np.ndarray:
    """Sorted distinct rows of several arrays (a mask is cheaper than sorting here)."""
    total = sum(p.size for p in parts)
    if total == 0:
        return EMPTY_ROWS
    if total * 8 < n:
        return np.unique(np.concatenate(parts))
    mask = np.zeros(n, dtype=bool)
    for p in parts:
        mask[p] = True
    return np.flatnonzero(mask)


HISTORY_PARTS: tuple[str, ...] = (
    "content", "artist", "album", "artist_cf", "year", "genre", "collaborative",
)


def history_signals(
    catalog: Catalog, index: CatalogIndex, rows: np.ndarray, request: Request,
    only: tuple[str, ...] = HISTORY_PARTS, genres: GenreIndex | None = None,
) -> dict[str, np.ndarray]:
    """Each history part (``recommender.signals``) of the rows, in [0, 1]. ``genre`` needs
    the genre index (0 without one)."""
    listener = request.listener
    out: dict[str, np.ndarray] = {}
    if "genre" in only:
        out["genre"] = (genre_closeness(genres, rows, request.history_labels)
                        if genres is not None else np.zeros(rows.shape[0]))
    if "content" in only:
        out["content"] = content_similarity(index.space.unit, rows, listener)
    if "artist" in only:
        out["artist"] = count_signal(
            listener.artist_counts, catalog.artist_codes[rows].astype(np.int64), ARTIST_SCALE)
    if "album" in only:
        out["album"] = count_signal(
            listener.album_counts, index.album_codes[rows].astype(np.int64), ALBUM_SCALE)
    if "artist_cf" in only:
        out["artist_cf"] = request.artist_affinity.lookup(
            catalog.artist_codes[rows].astype(np.int64))
    if "year" in only:
        out["year"] = year_closeness(
            catalog.release_year[rows],
            catalog.release_year[listener.history_order],
            listener.history_weights,
        )
    if "collaborative" in only:
        out["collaborative"] = collaborative_similarity(
            request.collab_rows, request.collab_scores, rows)
    return out


def _grouped(order: np.ndarray, offsets: np.ndarray, codes: list[int], budget: int) -> np.ndarray:
    """The rows of the groups ``codes`` (artists, albums), in that order, up to ``budget``."""
    parts, have = [], 0
    for code in codes:
        rows = order[offsets[code] : offsets[code + 1]]
        parts.append(rows)
        have += rows.size
        if have >= budget:
            break
    return np.concatenate(parts).astype(np.int64) if parts else EMPTY_ROWS


class CandidateSources:
    """The sources over one catalogue; built once and shared by requests (it only reads)."""

    def __init__(
        self,
        catalog: Catalog,
        index: CatalogIndex,
        genres: GenreIndex,
        settings: RecommenderSettings,
        personality: PersonalityTables,
    ) -> None:
        self.catalog = catalog
        self.index = index
        self.genres = genres
        self.settings = settings
        self.personality = personality

    def propose(self, request: Request) -> dict[str, np.ndarray]:
        """Each source's ranked rows (a mood source only when the request has a mood)."""
        quotas = self.settings.candidates
        out: dict[str, np.ndarray] = {}
        only = request.constraints.only_rows
        if only:  # every track asked for is a candidate, however the other sources rank it
            rows = np.fromiter(only, dtype=np.int64, count=len(only))
            out["requested"] = self._ranked(rows, request, rows.size)
        out["album"] = self._album(request, quotas.album)
        out["artist_cf"] = self._artist_cf(request, quotas.artist_cf)
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
        out["popular"] = self._popular(request, quotas.popular, EMPTY_ROWS)
        return out

    def merge(self, sources: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, int]]:
        """Interleave the sources rank by rank, drop repeats, keep at most ``max``."""
        lists = [sources[name] for name in SOURCES if name in sources]
        if not any(x.size for x in lists):
            return EMPTY_ROWS, {}
        rows = np.concatenate(lists).astype(np.int64)
        rank = np.concatenate([np.arange(x.size) for x in lists])
        source = np.concatenate([np.full(x.size, i) for i, x in enumerate(lists)])
        ordered = rows[np.lexsort((source, rank))]
        _, first = np.unique(ordered, return_index=True)
        pool = ordered[np.sort(first)][: self.settings.candidates.max]
        return pool, {}

    def fill(self, pool: np.ndarray, request: Request) -> np.ndarray:
        """Popular tracks not yet in the pool, as many as the pool lacks of the minimum."""
        missing = self.settings.candidates.min - pool.size
        if missing <= 0:
            return EMPTY_ROWS
        return self._popular(request, missing, pool)

    # ----------------------------------------------------------------- ranking

    def _allowed(self, rows: np.ndarray, request: Request) -> np.ndarray:
        return allowed(rows, request, self.catalog, self.index, self.genres)

    def _relevance(self, rows: np.ndarray, request: Request) -> np.ndarray:
        """How well rows fit the request, for sources that must choose among many (cheap:
        the final score is computed again on the pool)."""
        if request.mood_kernel is not None:
            return request.mood_kernel.match(self.index.space.raw[rows])
        if request.listener.has_history:
            return self.index.space.unit[rows] @ request.listener.profile
        if request.has_personality:
            return self.personality.match(rows, request.deviations)
        return popularity_score(rows, self.index.popularity)

    def _top(self, rows: np.ndarray, scores: np.ndarray, quota: int) -> np.ndarray:
        if rows.size > quota:
            part = np.argpartition(-scores, quota - 1)[:quota]
            rows, scores = rows[part], scores[part]
        return rows[np.argsort(-scores, kind="stable")]

    def _ranked(self, rows: np.ndarray, request: Request, quota: int) -> np.ndarray:
        if quota <= 0 or rows.size == 0:
            return EMPTY_ROWS
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
            return EMPTY_ROWS
        return np.concatenate([ivf.members(int(c)) for c in chosen])

    # ----------------------------------------------------------------- the sources

    def _history_neighbours(self, request: Request, quota: int) -> np.ndarray:
        listener = request.listener
        if quota <= 0 or not listener.has_history:
            return EMPTY_ROWS
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

    def _history_artists(self, request: Request, quota: int) -> np.ndarray:
        """Other tracks by the history's artists, by artist weight, then year and sound."""
        listener = request.listener
        if quota <= 0 or len(listener.artist_counts) == 0:
            return EMPTY_ROWS
        index = self.index
        rows = _grouped(index.artist_order, index.artist_offsets,
                        listener.artist_counts.by_weight().tolist(),
                        self.settings.candidates.scan_budget)
        rows = rows[self._allowed(rows, request)]
        parts = history_signals(self.catalog, index, rows, request, ("artist", "year", "content"))
        return self._top(rows, parts["artist"] + 0.1 * parts["year"] + 0.01 * parts["content"],
                         quota)

    def _album(self, request: Request, quota: int) -> np.ndarray:
        """Album expansion: the other tracks of the history's albums."""
        listener = request.listener
        if quota <= 0 or len(listener.album_counts) == 0:
            return EMPTY_ROWS
        index = self.index
        rows = _grouped(index.album_order, index.album_offsets,
                        listener.album_counts.by_weight().tolist(),
                        self.settings.candidates.scan_budget)
        rows = rows[self._allowed(rows, request)]
        parts = history_signals(self.catalog, index, rows, request, ("album", "content"))
        return self._top(rows, parts["album"] + 0.01 * parts["content"], quota)

    def _artist_cf(self, request: Request, quota: int) -> np.ndarray:
        """Tracks by the artists that co-occur with the history's artists elsewhere."""
        affinity = request.artist_affinity
        if quota <= 0 or affinity.codes.size == 0:
            return EMPTY_ROWS
        index = self.index
        codes = affinity.best(quota, request.listener.artist_counts.keys)
        rows = _grouped(index.artist_order, index.artist_offsets, codes.tolist(),
                        self.settings.candidates.scan_budget)
        rows = rows[self._allowed(rows, request)]
        parts = history_signals(self.catalog, index, rows, request,
                                ("artist_cf", "year", "content"))
        return self._top(rows, parts["artist_cf"] + 0.2 * parts["year"]
                         + 0.2 * parts["content"], quota)

    def _collaborative(self, request: Request, quota: int) -> np.ndarray:
        if quota <= 0 or request.collab_rows.size == 0:
            return EMPTY_ROWS
        ok = self._allowed(request.collab_rows, request)
        return self._top(request.collab_rows[ok], request.collab_scores[ok], quota)

    def _mood_source(self, request: Request, quota: int) -> np.ndarray:
        kernel = request.mood_kernel
        assert kernel is not None
        fit = kernel.match(self.index.ivf_raw_means)  # clusters whose average fits first
        members = self._probe(np.argsort(-fit, kind="stable"), self._budget(quota))
        members = members[self._allowed(members, request)]
        return self._top(members, kernel.match(self.index.space.raw[members]), quota)

    def _personality_source(self, request: Request, quota: int) -> np.ndarray:
        if quota <= 0 or not request.has_personality:
            return EMPTY_ROWS
        poles = self.personality.poles()
        parts = [poles[(t, 1 if d > 0 else -1)] for t, d in enumerate(request.deviations) if d != 0]
        rows = _union(parts, len(self.catalog))
        rows = rows[self._allowed(rows, request)]
        return self._top(rows, self.personality.match(rows, request.deviations), quota)

    def _genre_source(self, request: Request, quota: int) -> np.ndarray:
        if quota <= 0:
            return EMPTY_ROWS
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
            return EMPTY_ROWS
        per_label = max(1, self._budget(quota) // len(labels))
        rows = _union([self.genres.members[i][:per_label] for i in labels], len(self.catalog))
        return self._ranked(rows, request, quota)

    def _popular(self, request: Request, quota: int, taken: np.ndarray) -> np.ndarray:
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
        return np.concatenate(found) if found else EMPTY_ROWS
