"""Offline evaluation on playlists (the protocol of ``EVAL.md``), pure: data in, figures out.

Each playlist with at least ``MIN_PLAYLIST`` unique catalogue tracks is a listener: its
tracks are shuffled with the seed, half is shown as listening history (in playlist order),
the other half is hidden, and every method recommends k tracks from the whole catalogue,
never a visible one. Everything learned from playlist membership — the tracks' genre
labels and the co-occurrence counts — is recomputed without the evaluated playlist.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommender.catalog import Catalog
from recommender.collaborative import CoOccurrence, build_cooccurrence
from recommender.engine import Recommender, UserProfile
from recommender.features import intra_list_diversity
from recommender.genres import genre_index_from_matrix
from recommender.ranker import TreeRanker
from recommender.signals import build_artist_cooccurrence

MIN_PLAYLIST = 10
METHODS: tuple[str, ...] = ("random", "popularity", "content_centroid", "tunemate")
METRICS: tuple[str, ...] = (
    "recall@k",
    "ndcg@k",
    "ild",
    "genre_entropy_bits",
    "novelty",
    "coverage",
    "new_artist_share",
    "in_no_training_playlist",
)
# An evaluated listener is past the cold start (history available), with no personality.
EVAL_ACCOUNT_AGE_DAYS = 365.0


@dataclass(frozen=True, eq=False)
class PlaylistData:
    """Playlists over a catalogue, and the labels their memberships give the tracks."""

    playlist_ids: tuple[str, ...]
    playlist_rows: tuple[np.ndarray, ...]  # int64 catalogue rows per playlist, playlist order
    evaluated: tuple[int, ...]  # indices of the playlists that are listeners
    label_names: tuple[str, ...]  # genre and subgenre labels
    membership_labels: tuple[np.ndarray, ...]  # per playlist: its label ids
    track_genre_counts: sp.csr_matrix  # [n_tracks, n top-level genres]: memberships per genre
    genre_names: tuple[str, ...]  # top-level genres (for the entropy metric)
    dropped_tracks: int  # playlist entries whose track is not in the catalogue


def playlist_data(
    catalog: Catalog,
    memberships: Sequence[tuple[str, str, str, str]],
    evaluated_playlists: Sequence[str] | None = None,
) -> PlaylistData:
    """From (track_id, playlist_id, genre, subgenre) rows; ``evaluated_playlists`` are the
    listeners (default: every playlist), all playlists feed labels and co-occurrence."""
    order: dict[str, list[int]] = {}
    labels_of: dict[str, set[str]] = {}
    genre_of: dict[str, set[str]] = {}
    dropped = 0
    for track_id, playlist_id, genre, subgenre in memberships:
        row = catalog.row_of.get(track_id)
        if row is None:
            dropped += 1
            continue
        order.setdefault(playlist_id, []).append(row)
        labels = labels_of.setdefault(playlist_id, set())
        labels.update(x for x in (genre.lower(), subgenre.lower()) if x)
        genre_of.setdefault(playlist_id, set()).update([genre.lower()] if genre else [])
    ids = tuple(order)
    rows = []
    for pid in ids:
        seen = dict.fromkeys(order[pid])  # unique, first occurrence keeps its place
        rows.append(np.fromiter(seen, dtype=np.int64, count=len(seen)))
    label_names = tuple(sorted({lab for labs in labels_of.values() for lab in labs}))
    label_id = {lab: i for i, lab in enumerate(label_names)}
    membership_labels = tuple(
        np.array(sorted(label_id[lab] for lab in labels_of[pid]), dtype=np.int64) for pid in ids
    )
    genre_names = tuple(sorted({g for gs in genre_of.values() for g in gs}))
    genre_id = {g: i for i, g in enumerate(genre_names)}
    g_rows, g_cols = [], []
    for pid, prow in zip(ids, rows, strict=True):
        for g in genre_of[pid]:
            g_rows.append(prow)
            g_cols.append(np.full(prow.size, genre_id[g]))
    counts = sp.csr_matrix(
        (
            np.ones(sum(x.size for x in g_rows)),
            (np.concatenate(g_rows) if g_rows else [], np.concatenate(g_cols) if g_cols else []),
        ),
        shape=(len(catalog), max(len(genre_names), 1)),
    )
    wanted = set(evaluated_playlists) if evaluated_playlists is not None else set(ids)
    evaluated = tuple(
        i for i, pid in enumerate(ids) if pid in wanted and rows[i].size >= MIN_PLAYLIST
    )
    return PlaylistData(
        ids, tuple(rows), evaluated, label_names, membership_labels, counts, genre_names, dropped
    )


def _label_matrix(data: PlaylistData, n_tracks: int, skip: int | None) -> sp.csr_matrix:
    """Track × label membership counts, leaving playlist ``skip`` out."""
    r, c = [], []
    for i, (rows, labels) in enumerate(
        zip(data.playlist_rows, data.membership_labels, strict=True)
    ):
        if i == skip or labels.size == 0:
            continue
        r.append(np.repeat(rows, labels.size))
        c.append(np.tile(labels, rows.size))
    if not r:
        return sp.csr_matrix((n_tracks, len(data.label_names)), dtype=np.float32)
    return sp.csr_matrix(
        (np.ones(sum(x.size for x in r), dtype=np.float32), (np.concatenate(r), np.concatenate(c))),
        shape=(n_tracks, len(data.label_names)),
    )


def _playlist_label_delta(data: PlaylistData, n_tracks: int, i: int) -> sp.csr_matrix:
    rows, labels = data.playlist_rows[i], data.membership_labels[i]
    return sp.csr_matrix(
        (
            np.ones(rows.size * labels.size, dtype=np.float32),
            (np.repeat(rows, labels.size), np.tile(labels, rows.size)),
        ),
        shape=(n_tracks, len(data.label_names)),
    )


def split_playlist(rows: np.ndarray, seed: int, index: int) -> tuple[np.ndarray, np.ndarray]:
    """(visible half in playlist order, hidden half), shuffled by (seed, playlist index)."""
    rng = np.random.default_rng((seed, index))
    shuffled = rng.permutation(rows.size)
    half = rows.size // 2
    visible_pos = np.sort(shuffled[:half])
    return rows[visible_pos], rows[np.sort(shuffled[half:])]


def _ndcg(hits: np.ndarray, n_relevant: int, k: int) -> float:
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = float((hits * discounts[: hits.size]).sum())
    ideal = float(discounts[: min(k, n_relevant)].sum())
    return dcg / ideal if ideal > 0 else 0.0


def _entropy_bits(counts: sp.csr_matrix, rows: np.ndarray) -> float:
    """Entropy of the list's top-level genres (a track in several genres splits its vote)."""
    if rows.size == 0:
        return 0.0
    sub = np.asarray(counts[rows].todense(), dtype=np.float64)
    totals = sub.sum(axis=1, keepdims=True)
    share = np.divide(sub, totals, out=np.zeros_like(sub), where=totals > 0)
    dist = np.concatenate([share.sum(axis=0), [(totals.ravel() == 0).sum()]])
    p = dist[dist > 0] / dist.sum()
    return float(-(p * np.log2(p)).sum())


@dataclass(frozen=True, eq=False)
class Membership:
    """What every playlist's membership teaches, computed once (left out one at a time)."""

    labels: sp.csr_matrix
    tracks: CoOccurrence
    artists: CoOccurrence
    appearances: np.ndarray  # int64[n]: playlists holding each track

    @classmethod
    def of(cls, catalog: Catalog, data: PlaylistData) -> Membership:
        n = len(catalog)
        rows = list(data.playlist_rows)
        return cls(
            labels=_label_matrix(data, n, skip=None),
            tracks=build_cooccurrence(rows, n),
            artists=build_artist_cooccurrence(rows, catalog.artist_codes,
                                              len(catalog.artist_names)),
            appearances=np.bincount(np.concatenate(rows), minlength=n)
            if rows else np.zeros(n, dtype=np.int64),
        )

    def leave_out(self, recommender: Recommender, data: PlaylistData, i: int) -> Recommender:
        """The recommender as if playlist ``i`` had never been seen."""
        n = len(recommender.catalog)
        genres = genre_index_from_matrix(
            self.labels - _playlist_label_delta(data, n, i), data.label_names,
            recommender.index.popularity_rank,
        )
        rows = data.playlist_rows[i]
        return recommender.with_membership(
            genres=genres,
            collaborative=self.tracks.without(rows),
            artists=self.artists.without(np.unique(recommender.catalog.artist_codes[rows])),
        )


def playlist_folds(evaluated: Sequence[int], folds: int, seed: int) -> tuple[tuple[int, ...], ...]:
    """The evaluated playlists in ``folds`` seeded groups of (nearly) equal size."""
    if folds < 2:
        raise ValueError("cross-fitting needs at least 2 folds")
    order = np.random.default_rng(seed).permutation(len(evaluated))
    chosen = np.asarray(evaluated, dtype=np.int64)
    return tuple(tuple(sorted(chosen[order[j::folds]].tolist())) for j in range(folds))


def listener_of(visible: np.ndarray) -> UserProfile:
    """An evaluated listener: the visible half as history, past the cold start, neutral."""
    return UserProfile(
        history_rows=visible,
        history_weights=np.ones(visible.size),
        traits=None,
        account_age_days=EVAL_ACCOUNT_AGE_DAYS,
    )


class _Scores:
    def __init__(self) -> None:
        self.values: dict[str, list[float]] = {m: [] for m in METRICS if m != "coverage"}
        self.recommended: set[int] = set()

    def add(self, values: dict[str, float], rows: np.ndarray) -> None:
        for name, value in values.items():
            self.values[name].append(value)
        self.recommended.update(rows.tolist())


def evaluate(
    recommender: Recommender,
    data: PlaylistData,
    *,
    k: int = 50,
    seed: int = 0,
    on_playlist: Callable[[int], None] | None = None,
    lists_out: list[dict] | None = None,
    ablate: Sequence[str] = (),
    ranker_for: Callable[[int], TreeRanker | None] | None = None,
) -> dict:
    """Every method on the same splits; the JSON-ready result of ``EVAL.md``.

    ``lists_out``, when given, receives tunemate's list of every evaluated playlist
    (``playlist_id``, ``visible``, ``hidden``, ``recommended`` track ids). ``ablate`` names
    history parts and candidate sources to switch off (for the ablation table).
    ``ranker_for``, when given, names the learned ranker that scores playlist ``i`` (a
    cross-fitted evaluation: each playlist scored by a model that never trained on it).
    """
    started = time.perf_counter()
    catalog = recommender.catalog
    n = len(catalog)
    index = recommender.index
    z = index.space.standardised()
    ild_space = ild_vectors(catalog.features)
    artists = catalog.artist_codes
    membership = Membership.of(catalog, data)
    in_playlists = membership.appearances
    scores = {m: _Scores() for m in METHODS}
    orphan_share: list[float] = []
    if ablate:
        recommender = recommender.ablated(ablate)

    for done, i in enumerate(data.evaluated, start=1):
        visible, hidden = split_playlist(data.playlist_rows[i], seed, i)
        hidden_set = np.unique(hidden)
        lists = _baselines(recommender, visible, k, seed, i, z)
        local = membership.leave_out(recommender, data, i)
        if ranker_for is not None:
            local = local.with_ranker(ranker_for(i))
        lists["tunemate"] = local.recommend(listener_of(visible), k=k, seed=seed).rows
        # in no training playlist: in no playlist once the evaluated one is left out
        in_own = np.zeros(n, dtype=np.int64)
        in_own[data.playlist_rows[i]] = 1
        orphan = (in_playlists - in_own) <= 0
        if lists_out is not None:
            ids = catalog.track_ids
            lists_out.append({
                "playlist_id": data.playlist_ids[i],
                "visible": [ids[int(r)] for r in visible],
                "hidden": [ids[int(r)] for r in hidden],
                "recommended": [ids[int(r)] for r in lists["tunemate"]],
            })
        orphan_share.append(float(orphan.mean()))
        visible_artists = np.unique(artists[visible])
        for method, rows in lists.items():
            hits = np.isin(rows, hidden_set).astype(np.float64)
            scores[method].add(
                {
                    "recall@k": float(hits.sum() / hidden_set.size),
                    "ndcg@k": _ndcg(hits, hidden_set.size, k),
                    "ild": intra_list_diversity(ild_space[rows]),
                    "genre_entropy_bits": _entropy_bits(data.track_genre_counts, rows),
                    "novelty": float(
                        np.mean(1.0 - np.nan_to_num(index.popularity[rows], nan=0.0) / 100.0)
                    ),
                    "new_artist_share": float(np.mean(~np.isin(artists[rows], visible_artists))),
                    "in_no_training_playlist": float(np.mean(orphan[rows])),
                },
                rows,
            )
        if on_playlist is not None:
            on_playlist(done)

    methods = {}
    for method, s in scores.items():
        summary = {name: float(np.mean(v)) if v else 0.0 for name, v in s.values.items()}
        summary["coverage"] = len(s.recommended) / n if n else 0.0
        methods[method] = {
            f"recall@{k}": round(summary["recall@k"], 4),
            f"ndcg@{k}": round(summary["ndcg@k"], 4),
            "ild": round(summary["ild"], 4),
            "genre_entropy_bits": round(summary["genre_entropy_bits"], 4),
            "novelty": round(summary["novelty"], 4),
            "coverage": round(summary["coverage"], 4),
            "new_artist_share": round(summary["new_artist_share"], 4),
            "min_new_artist_share": round(min(s.values["new_artist_share"], default=0.0), 4),
            "in_no_training_playlist": round(summary["in_no_training_playlist"], 4),
        }
    return {
        "k": k,
        "seed": seed,
        "playlists": len(data.evaluated),
        "seconds": round(time.perf_counter() - started, 2),
        "catalog_tracks": n,
        # the same share for the catalogue as a whole (mean over evaluated playlists): a
        # method far above it is probably reading the catalogue's construction
        "catalog_in_no_training_playlist": round(float(np.mean(orphan_share)), 4)
        if orphan_share else 0.0,
        "methods": methods,
    }


def ild_vectors(features: np.ndarray) -> np.ndarray:
    """The twelve audio features z-scored over the whole catalogue (not clipped), unknown
    values at the mean (0): the space in which ILD is measured."""
    raw = np.asarray(features, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        mean = np.nanmean(raw, axis=0) if raw.size else np.zeros(raw.shape[1])
        std = np.nanstd(raw, axis=0) if raw.size else np.ones(raw.shape[1])
    mean = np.nan_to_num(mean)
    std = np.where(np.nan_to_num(std) > 1e-12, std, 1.0)
    z = np.nan_to_num((raw - mean) / std, nan=0.0)
    norms = np.linalg.norm(z, axis=1, keepdims=True)
    return np.divide(z, norms, out=np.zeros_like(z), where=norms > 1e-12)


def _baselines(
    recommender: Recommender, visible: np.ndarray, k: int, seed: int, i: int, z: np.ndarray
) -> dict[str, np.ndarray]:
    n = len(recommender.catalog)
    allowed = np.ones(n, dtype=bool)
    allowed[visible] = False
    rng = np.random.default_rng((seed, i, 1))
    random_rows = rng.choice(
        np.flatnonzero(allowed), size=min(k, int(allowed.sum())), replace=False
    )
    popular = recommender.index.popular_order
    popular_rows = popular[allowed[popular]][:k]
    centre = z[visible].astype(np.float64).mean(axis=0)
    norms = np.linalg.norm(z, axis=1) * (np.linalg.norm(centre) or 1.0)
    cosine = np.divide(z @ centre, norms, out=np.zeros(n), where=norms > 0)
    cosine[~allowed] = -np.inf
    top = np.argpartition(-cosine, k - 1)[:k] if k < n else np.arange(n)
    centroid_rows = top[np.argsort(-cosine[top], kind="stable")]
    return {
        "random": random_rows.astype(np.int64),
        "popularity": popular_rows.astype(np.int64),
        "content_centroid": centroid_rows.astype(np.int64),
    }
