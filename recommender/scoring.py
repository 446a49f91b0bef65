"""Score components of candidate tracks, and the greedy diverse selection of the list.

Every function takes candidate rows (a few hundred) and returns one value per row in
[0, 1]; none touches the whole catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# content similarity of a candidate = mean cosine to its this-many nearest top tracks
CONTENT_NEIGHBOURS = 3


@dataclass(frozen=True, eq=False)
class WeightedCounts:
    """Summed weights per integer key (an artist or album code), looked up in bulk."""

    keys: np.ndarray  # int64, sorted, distinct
    values: np.ndarray  # float64

    @classmethod
    def of(cls, codes: np.ndarray, weights: np.ndarray) -> WeightedCounts:
        keys, inverse = np.unique(np.asarray(codes, dtype=np.int64), return_inverse=True)
        return cls(keys, np.bincount(inverse, weights=weights, minlength=keys.size))

    def __len__(self) -> int:
        return int(self.keys.size)

    @property
    def total(self) -> float:
        return float(self.values.sum())

    def lookup(self, codes: np.ndarray) -> np.ndarray:
        """The weight of each code (0 for a code not counted)."""
        if self.keys.size == 0:
            return np.zeros(codes.shape[0])
        pos = np.clip(np.searchsorted(self.keys, codes), 0, self.keys.size - 1)
        return np.where(self.keys[pos] == codes, self.values[pos], 0.0)

    def by_weight(self) -> np.ndarray:
        """The keys, heaviest first."""
        return self.keys[np.argsort(-self.values, kind="stable")]


@dataclass(frozen=True, eq=False)
class ListenerProfile:
    """The parts of a listener that scoring reads, derived once per request."""

    top_rows: np.ndarray  # int64: the history's top tracks, best first
    top_weights: np.ndarray  # float64: their weights, summing to 1
    profile: np.ndarray  # float32[d]: Σ w·unit vector of the top tracks
    artist_counts: WeightedCounts  # artist code → weighted number of history tracks
    album_counts: WeightedCounts  # album code → weighted number of history tracks
    known_artists: np.ndarray  # int32: artists of the history and the likes (sorted)
    history_rows: np.ndarray  # int64: every history row (sorted)
    history_weights: np.ndarray  # float64: all history weights (best first), summing to 1
    history_order: np.ndarray  # int64: every history row, best first

    @property
    def has_history(self) -> bool:
        return self.top_rows.size > 0


def history_weights(weights: np.ndarray) -> np.ndarray:
    """Play counts discounted by rank (best first): w_i ∝ max(count_i, 0) / log2(i + 2)."""
    raw = np.maximum(np.nan_to_num(np.asarray(weights, dtype=np.float64), nan=0.0), 0.0)
    if raw.size and raw.sum() <= 0:
        raw = np.ones_like(raw)  # no counts at all: the order alone ranks them
    discounted = raw / np.log2(np.arange(raw.size) + 2.0)
    total = discounted.sum()
    return discounted / total if total > 0 else discounted


def content_similarity(unit: np.ndarray, rows: np.ndarray, listener: ListenerProfile) -> np.ndarray:
    """In [0, 1]: (1 + c)/2, c = the weighted mean cosine to the nearest few top tracks."""
    if not listener.has_history or rows.size == 0:
        return np.zeros(rows.shape[0])
    sims = unit[rows] @ unit[listener.top_rows].T  # [m, t]
    m = min(CONTENT_NEIGHBOURS, sims.shape[1])
    if m < sims.shape[1]:
        nearest = np.argpartition(-sims, m - 1, axis=1)[:, :m]
        sims = np.take_along_axis(sims, nearest, axis=1)
        w = listener.top_weights[nearest]
    else:
        w = np.broadcast_to(listener.top_weights, sims.shape)
    w = w + 1e-12
    cos = (sims * w).sum(axis=1) / w.sum(axis=1)
    return np.clip((1.0 + cos) / 2.0, 0.0, 1.0)


def artist_caps(
    artist_codes: np.ndarray,
    rows: np.ndarray,
    listener: ListenerProfile,
    k: int,
    max_per_artist: int,
    artist_share_cap: float,
) -> np.ndarray:
    """Per candidate: how many tracks its artist may have in the list — a few, or more for
    an artist who is a large part of the history: max(few, ⌊share_cap · k · history share⌋)."""
    total = listener.artist_counts.total
    if total <= 0 or artist_share_cap <= 0:
        return np.full(rows.shape[0], max_per_artist, dtype=np.int64)
    v = listener.artist_counts.lookup(artist_codes[rows])
    return np.maximum(max_per_artist, np.floor(artist_share_cap * k * v / total)).astype(np.int64)


def collaborative_similarity(
    found_rows: np.ndarray, found_scores: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """In [0, 1]: the co-occurrence score of each row, divided by the best in the request."""
    out = np.zeros(rows.shape[0])
    if found_rows.size == 0 or rows.size == 0:
        return out
    top = found_scores.max()
    pos = np.searchsorted(found_rows, rows)
    pos = np.clip(pos, 0, found_rows.size - 1)
    hit = found_rows[pos] == rows
    out[hit] = found_scores[pos[hit]] / top
    return out


def novelty_factor(
    rows: np.ndarray,
    artist_codes: np.ndarray,
    popularity: np.ndarray,
    listener: ListenerProfile,
    new_artist_bonus: float,
    popularity_penalty: float,
) -> np.ndarray:
    """unheard · ((1 − b) + b·new_artist) · (1 − p·popularity/100), in [0, 1].

    An unknown popularity earns no penalty (nothing says the track is popular).
    """
    unheard = ~is_member(rows, listener.history_rows)
    new_artist = ~is_member(artist_codes[rows], listener.known_artists)
    pop = np.nan_to_num(popularity[rows].astype(np.float64), nan=0.0) / 100.0
    value = unheard * ((1.0 - new_artist_bonus) + new_artist_bonus * new_artist)
    return np.clip(value * (1.0 - popularity_penalty * pop), 0.0, 1.0)


def is_member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """np.isin for a small sorted set (binary search instead of a sort of both)."""
    if sorted_set.size == 0:
        return np.zeros(values.shape[0], dtype=bool)
    pos = np.clip(np.searchsorted(sorted_set, values), 0, sorted_set.size - 1)
    return sorted_set[pos] == values


def popularity_score(rows: np.ndarray, popularity: np.ndarray) -> np.ndarray:
    """popularity/100 in [0, 1]; unknown popularity earns nothing."""
    return np.clip(np.nan_to_num(popularity[rows].astype(np.float64), nan=0.0) / 100.0, 0.0, 1.0)


@dataclass(frozen=True)
class Selection:
    order: np.ndarray  # int64 positions into the candidate arrays, in list order
    diversity: np.ndarray  # float64 diversity bonus of each chosen candidate when chosen
    final: np.ndarray  # float64 base + weight·diversity of each chosen candidate


def select_diverse(
    base: np.ndarray,
    unit: np.ndarray,
    artists: np.ndarray,
    k: int,
    diversity_weight: float,
    max_per_artist: int | np.ndarray,
    known: np.ndarray | None = None,
    max_known: int | None = None,
) -> Selection:
    """Greedy MMR: repeatedly take the candidate with the best base + w·diversity, where
    diversity = 1 − max(0, the highest cosine to a track already chosen) (1 for the first).
    At most ``max_per_artist`` tracks of one artist (a number, or one cap per candidate);
    fewer than k if the caps run out. At most ``max_known`` of the ``known`` candidates
    (tracks by artists the listener already plays), so that the rest is discovery.

    As usual for MMR, the greedy pass runs over the best-scored few times k candidates;
    only if the artist caps leave the list short does it run over all of them.
    """
    caps = np.broadcast_to(np.asarray(max_per_artist), base.shape)
    known = np.zeros(base.shape, dtype=bool) if known is None else known
    limit = k if max_known is None else max_known
    shortlist = SHORTLIST_FACTOR * k
    if base.shape[0] > shortlist:
        top = np.argpartition(-base, shortlist - 1)[:shortlist]
        picked = _greedy(
            base[top], unit[top], artists[top], k, diversity_weight, caps[top], known[top], limit
        )
        if picked.order.size == min(k, base.shape[0]):
            return Selection(top[picked.order], picked.diversity, picked.final)
    return _greedy(base, unit, artists, k, diversity_weight, caps, known, limit)


SHORTLIST_FACTOR = 4


def _greedy(
    base: np.ndarray,
    unit: np.ndarray,
    artists: np.ndarray,
    k: int,
    diversity_weight: float,
    caps: np.ndarray,
    known: np.ndarray,
    max_known: int,
) -> Selection:
    m = base.shape[0]
    known_taken = 0
    sims = np.minimum(unit @ unit.T, 1.0)  # [m, m]: a shortlist, so this is small
    open_score = base + diversity_weight  # −inf once a candidate is taken or capped
    closest = np.zeros(m, dtype=sims.dtype)  # highest cosine (floored at 0) to the list so far
    per_artist: dict[int, int] = {}
    order: list[int] = []
    diversity: list[float] = []
    final: list[float] = []
    for _ in range(min(k, m)):
        score = open_score - diversity_weight * closest
        best = int(np.argmax(score))
        if not np.isfinite(score[best]):
            break
        order.append(best)
        diversity.append(1.0 - float(closest[best]))
        final.append(float(score[best]))
        open_score[best] = -np.inf
        artist = int(artists[best])
        per_artist[artist] = per_artist.get(artist, 0) + 1
        if per_artist[artist] >= caps[best]:
            open_score[artists == artist] = -np.inf
        if known[best]:
            known_taken += 1
            if known_taken >= max_known:
                open_score[known] = -np.inf
        np.maximum(closest, sims[best], out=closest)
    return Selection(
        order=np.asarray(order, dtype=np.int64),
        diversity=np.asarray(diversity, dtype=np.float64),
        final=np.asarray(final, dtype=np.float64),
    )
