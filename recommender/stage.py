"""The second ranking stage's inputs: where a candidate stands among its artist's and its
album's candidates, by the first stage's log-odds.

The first stage (``recommender.ranker``) scores each candidate on its own; it has no input for
"this is the artist's fifth candidate". The second stage rescores the pool from the first
stage's log-odds and the twelve inputs of ``STAGE_FEATURES``. Every input about an artist's
(an album's) candidates reads only the candidates that the first stage scores strictly above
this one, or the artist's best one: adding lower-scored tracks of an artist or album leaves a
candidate's inputs unchanged, and no input counts the pool's or the catalogue's tracks of an
artist or album (in a catalogue built from playlists such a count points at the hidden ones).
"Plays" are the history's own tracks by the artist (on the album).

Pure numpy; one function serves a request's pool and the many pools of the training examples
(``StageContext.pool`` tells the pools apart).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recommender.catalog import Catalog
from recommender.index import CatalogIndex

STAGE_FEATURES: tuple[str, ...] = (
    "log_odds",                      # the first stage's score
    "artist_above_log",              # log(1 + n): n = the artist's candidates scored above
    "artist_above_per_play",         # n / (1 + the artist's plays)
    "artist_expected_above",         # Σ p of those candidates: the hits already expected
    "artist_expected_less_half_plays",  # that sum − plays / 2
    "artist_plays",                  # the artist's tracks in the history
    "artist_share",                  # plays / history size (plain, no rank discount)
    "below_artist_best",             # the artist's best log-odds − this one's (0 for the best)
    "album_above_log",               # log(1 + n) for the album's candidates
    "album_expected_above",          # Σ p of the album's candidates scored above
    "album_plays",                   # the album's tracks in the history
    "history_size",                  # the history's tracks
)
# the trees' monotone constraints: none. Constraining them so that a rise of the first stage's
# score could only raise the second stage's (increasing in the log-odds, decreasing in the
# counts and sums above and the gap to the best) read 0.2926 on seeds 5-7 against 0.2940
# without; the log-odds alone increasing read 0.2928 (docs/RECOMMENDER.md, eighth round)
STAGE_MONOTONE: tuple[int, ...] = (0,) * len(STAGE_FEATURES)


@dataclass(frozen=True, eq=False)
class StageContext:
    """What the second stage reads of each candidate besides its log-odds (one row each)."""

    pool: np.ndarray  # int64: which pool (request, or training split) the candidate is in
    artist: np.ndarray  # int64 artist codes
    album: np.ndarray  # int64 album codes
    artist_plays: np.ndarray  # float64: the history's tracks by the candidate's artist
    album_plays: np.ndarray  # float64: the history's tracks on the candidate's album
    history_size: np.ndarray  # float64: the history's tracks

    @classmethod
    def of(cls, catalog: Catalog, index: CatalogIndex, rows: np.ndarray,
           history: np.ndarray, pool: int = 0) -> StageContext:
        """One pool's context: ``rows`` its candidates, ``history`` the listener's rows."""
        rows = np.asarray(rows, dtype=np.int64)
        history = np.asarray(history, dtype=np.int64)
        artist = catalog.artist_codes[rows].astype(np.int64)
        album = index.album_codes[rows].astype(np.int64)
        return cls(
            pool=np.full(rows.size, pool, dtype=np.int64),
            artist=artist,
            album=album,
            artist_plays=_count_in(catalog.artist_codes[history], artist),
            album_plays=_count_in(index.album_codes[history], album),
            history_size=np.full(rows.size, float(history.size)),
        )

    @classmethod
    def concatenate(cls, parts: Sequence[StageContext]) -> StageContext:
        """Several pools' contexts one after the other, each pool numbered apart."""
        if not parts:
            return cls(*(np.zeros(0, dtype=np.int64) for _ in range(3)),
                       *(np.zeros(0) for _ in range(3)))
        pools, offset = [], 0
        for part in parts:
            pools.append(part.pool + offset)
            offset += int(part.pool.max()) + 1 if part.pool.size else 0
        return cls(
            pool=np.concatenate(pools),
            artist=np.concatenate([p.artist for p in parts]),
            album=np.concatenate([p.album for p in parts]),
            artist_plays=np.concatenate([p.artist_plays for p in parts]),
            album_plays=np.concatenate([p.album_plays for p in parts]),
            history_size=np.concatenate([p.history_size for p in parts]),
        )

    def take(self, which: np.ndarray | slice) -> StageContext:
        """The candidates a boolean mask, an index array or a slice selects."""
        return StageContext(self.pool[which], self.artist[which], self.album[which],
                            self.artist_plays[which], self.album_plays[which],
                            self.history_size[which])

    def __len__(self) -> int:
        return int(self.pool.size)


def stage_inputs(log_odds: np.ndarray, context: StageContext) -> np.ndarray:
    """float64[m, len(STAGE_FEATURES)]: the second stage's inputs of each candidate."""
    log_odds = np.asarray(log_odds, dtype=np.float64)
    m = log_odds.size
    if m != len(context):
        raise ValueError("one log-odds per candidate of the context")
    if m == 0:
        return np.zeros((0, len(STAGE_FEATURES)))
    prob = 1.0 / (1.0 + np.exp(-log_odds))
    artist_n, artist_sum, artist_best = _above(log_odds, prob, context.pool, context.artist)
    album_n, album_sum, _ = _above(log_odds, prob, context.pool, context.album)
    plays = context.artist_plays
    size = context.history_size
    return np.column_stack([
        log_odds,
        np.log1p(artist_n),
        artist_n / (1.0 + plays),
        artist_sum,
        artist_sum - plays / 2.0,
        plays,
        np.divide(plays, size, out=np.zeros(m), where=size > 0),
        artist_best - log_odds,
        np.log1p(album_n),
        album_sum,
        context.album_plays,
        size,
    ])


def _above(log_odds: np.ndarray, prob: np.ndarray, pool: np.ndarray, code: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per candidate, among the candidates of its pool with the same code: how many score
    strictly above it, the sum of their probabilities, and the best log-odds of the code.

    Sorted by (pool, code, score best first); a run of equal scores shares the figures of its
    first member, so ties count as neither above nor below."""
    m = log_odds.size
    order = np.lexsort((-log_odds, code, pool))
    s_pool, s_code, s_lo = pool[order], code[order], log_odds[order]
    new_group = np.ones(m, dtype=bool)
    new_group[1:] = (s_pool[1:] != s_pool[:-1]) | (s_code[1:] != s_code[:-1])
    new_run = new_group.copy()
    new_run[1:] |= s_lo[1:] != s_lo[:-1]
    position = np.arange(m)
    group_start = np.maximum.accumulate(np.where(new_group, position, 0))
    run_start = np.maximum.accumulate(np.where(new_run, position, 0))
    # sums over the run's predecessors in its group (differences of one running sum: exact
    # up to rounding, about 1e-16 of the running total)
    s_prob = prob[order]
    running = np.cumsum(s_prob)
    before_group = running[group_start] - s_prob[group_start]
    before_run = running[run_start] - s_prob[run_start]
    n_sorted = (run_start - group_start).astype(np.float64)
    sum_sorted = np.maximum(before_run - before_group, 0.0)
    best_sorted = s_lo[group_start]
    n, total, best = np.empty(m), np.empty(m), np.empty(m)
    n[order], total[order], best[order] = n_sorted, sum_sorted, best_sorted
    return n, total, best


def _count_in(history_codes: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """How many of the history's tracks carry each code (0 for a code it lacks)."""
    keys, counts = np.unique(np.asarray(history_codes, dtype=np.int64), return_counts=True)
    if keys.size == 0:
        return np.zeros(codes.size)
    pos = np.clip(np.searchsorted(keys, codes), 0, keys.size - 1)
    return np.where(keys[pos] == codes, counts[pos], 0).astype(np.float64)
