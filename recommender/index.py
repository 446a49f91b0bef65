"""Everything about the catalogue that a request reads, computed once per catalogue."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommender.catalog import FEATURES, Catalog
from recommender.clusters import AudioClusters, default_index_clusters, fit_clusters
from recommender.config import RecommenderSettings, RLSettings
from recommender.features import FeatureSpace, build_feature_space
from recommender.personality import audio_alignment
from recommender.versions import song_codes


@dataclass(frozen=True, eq=False)
class CatalogIndex:
    space: FeatureSpace
    popularity: np.ndarray  # float32[n], 0–100, NaN = unknown
    popular_order: np.ndarray  # int64[n]: rows by popularity, most popular first, unknown last
    popularity_rank: np.ndarray  # int64[n]: a row's position in popular_order
    new_release_rows: np.ndarray  # int64: recent releases, most popular first
    artist_sizes: np.ndarray  # int64[a]: catalogue tracks per artist (grouping only, never a
    #                          score: a catalogue count leaks how the catalogue was built)
    album_codes: np.ndarray  # int64[n]: one code per (artist, album)
    album_sizes: np.ndarray  # int64[albums]: catalogue tracks per album code
    album_order: np.ndarray  # int64[n]: rows grouped by album code
    album_offsets: np.ndarray  # int64[albums + 1]: album b's rows are album_order[off[b]:off[b+1]]
    artist_order: np.ndarray  # int64[n]: rows grouped by artist code
    artist_offsets: np.ndarray  # int64[a + 1]: artist a's rows are artist_order[off[a]:off[a+1]]
    ivf: AudioClusters  # fine clusters of the unit vectors (the inverted-file index)
    ivf_raw_means: np.ndarray  # float64[c, len(FEATURES)]: mean raw features per cluster
    rl_clusters: AudioClusters  # coarse clusters: the Q-learning actions "cluster:<n>"
    audio_alignment: np.ndarray  # float32[n, 5]: personality audio part per trait
    song_codes: np.ndarray  # int32[n]: versions of one song share a code (recommender.versions)


def _cluster_means(raw: np.ndarray, clusters: AudioClusters) -> np.ndarray:
    means = np.full((clusters.n_clusters, len(FEATURES)), np.nan)
    for c in range(clusters.n_clusters):
        members = raw[clusters.members(c)]
        known = ~np.isnan(members)
        counts = known.sum(axis=0)
        sums = np.where(known, members, 0.0).sum(axis=0, dtype=np.float64)
        means[c] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return means


def build_index(catalog: Catalog, settings: RecommenderSettings, rl: RLSettings) -> CatalogIndex:
    space = build_feature_space(catalog)
    popularity = np.asarray(catalog.popularity, dtype=np.float32)
    sort_key = np.where(np.isnan(popularity), -1.0, popularity)
    popular_order = np.argsort(-sort_key, kind="stable").astype(np.int32)
    popularity_rank = np.empty_like(popular_order)
    popularity_rank[popular_order] = np.arange(popular_order.size)

    years = np.asarray(catalog.release_year, dtype=np.int64)
    known_years = years[years > 0]
    if known_years.size:
        recent = years >= known_years.max() - settings.candidates.new_release_years
        recent &= years > 0
        new_release_rows = popular_order[recent[popular_order]]
    else:
        new_release_rows = np.empty(0, dtype=np.int64)

    n_ivf = settings.index.clusters or default_index_clusters(len(catalog))
    ivf = fit_clusters(space.unit, n_ivf, settings.index.seed)
    rl_clusters = fit_clusters(space.standardised(), rl.clusters, rl.cluster_seed)
    width = settings.mood.width
    artist_sizes = np.bincount(catalog.artist_codes, minlength=len(catalog.artist_names))
    artist_offsets = np.zeros(artist_sizes.size + 1, dtype=np.int64)
    np.cumsum(artist_sizes, out=artist_offsets[1:])
    album_of = catalog.album_column.codes.astype(np.int64)
    pairs = catalog.artist_codes.astype(np.int64) * (int(album_of.max(initial=0)) + 1) + album_of
    _, album_codes = np.unique(pairs, return_inverse=True)
    album_sizes = np.bincount(album_codes).astype(np.int32)
    album_offsets = np.zeros(album_sizes.size + 1, dtype=np.int64)
    np.cumsum(album_sizes, out=album_offsets[1:])
    return CatalogIndex(
        space=space,
        popularity=popularity,
        popular_order=popular_order,
        popularity_rank=popularity_rank,
        new_release_rows=new_release_rows,
        artist_sizes=artist_sizes,
        album_codes=album_codes.astype(np.int32),
        album_sizes=album_sizes,
        album_order=np.argsort(album_codes, kind="stable").astype(np.int32),
        album_offsets=album_offsets,
        artist_order=np.argsort(catalog.artist_codes, kind="stable").astype(np.int32),
        artist_offsets=artist_offsets,
        ivf=ivf,
        ivf_raw_means=_cluster_means(space.raw, ivf),
        rl_clusters=rl_clusters,
        audio_alignment=audio_alignment(space, settings.personality, width),
        song_codes=song_codes(catalog),
    )
