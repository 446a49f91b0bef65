"""`tunemate train`: fit the learned ranking stage offline and save it in the data directory.

The listeners are the playlists imported with the catalogue and every user's history with
likes (``store``), or, with ``--catalog``/``--users``, the playlists of CSV files. The pure
work (splits, candidate pools, features, boosting) is ``recommender.training``; this module
reads the inputs and writes ``<data_dir>/ranker/``.
"""

from __future__ import annotations

import time
from pathlib import Path

from recommender.catalog import Catalog
from recommender.engine import Recommender
from recommender.evaluation import PlaylistData, playlist_data
from recommender.ranker import TreeRanker
from recommender.training import TRAIN_SEEDS
from services.config import Settings
from store.ranker_store import save_ranker


async def database_listeners(db_url: str) -> tuple[Catalog, PlaylistData]:
    """The catalogue, and as listeners the imported playlists and the users' histories."""
    from store import db, playlists, profile
    from store.catalog_store import load_catalog

    pool = await db.create_pool(db_url, min_size=1, max_size=2)
    try:
        catalog = await load_catalog(pool)
        memberships = list(await playlists.all_memberships(pool))
        for record in await profile.all_histories(pool):
            owner = f"user:{record['user_id']}"
            memberships.extend((tid, owner, "", "") for tid in record["track_ids"])
    finally:
        await pool.close()
    return catalog, playlist_data(catalog, memberships)


def train_and_save(settings: Settings, catalog: Catalog, data: PlaylistData,
                   source: str) -> tuple[TreeRanker, Path]:
    from bot.cli.evaluate import train_on

    if not data.evaluated:
        raise ValueError("no listener with 10 or more catalogue tracks to learn from "
                         "(import a playlist CSV or some histories first)")
    started = time.perf_counter()
    recommender = Recommender(catalog, settings.recommender, settings.rl)
    ranker = train_on(recommender, data, data.evaluated, TRAIN_SEEDS)
    ranker = TreeRanker.from_parts(
        {**ranker.header(), "meta": {**ranker.meta, "source": source,
                                     "catalog_tracks": len(catalog)}},
        ranker.arrays())
    path = save_ranker(settings.data_dir, ranker)
    stage = ranker.meta.get("stage", {})
    print(f"trained on {len(data.evaluated)} listeners ({source}), "
          f"{ranker.meta['examples']} candidates, {ranker.n_trees} trees; second stage "
          + (f"{stage.get('trees')} trees of depth <= {stage.get('depth')}"
             if ranker.stage is not None else f"none ({stage.get('note', 'not fitted')})")
          + ", "
          f"{time.perf_counter() - started:.1f} s; saved to {path} "
          f"(version {ranker.version}, {ranker.trained_at})")
    return ranker, path
