"""The first list of a new account that imports ten classic-rock tracks (the dev file).

    .venv/bin/python benchmarks/cold_start_demo.py [--csv DEV.csv] [--model DATA_DIR]

The account is a few minutes old, has set its traits, and imported the first ten tracks by
Queen, Guns N' Roses, Eagles or Creedence Clearwater Revival of a classic-rock playlist of
the dev file. Artist co-occurrence comes from the dev playlists, as after `tunemate catalog
import`. Prints the stage, the rule that chose it, and the top-level genres of the 50 tracks.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from recommender.config import RecommenderSettings, RLSettings  # noqa: E402
from recommender.engine import Recommender, UserProfile  # noqa: E402
from recommender.evaluation import playlist_data  # noqa: E402
from recommender.personality import Traits  # noqa: E402
from recommender.signals import build_artist_cooccurrence  # noqa: E402
from store.csv_catalog import catalog_from_parsed, read_catalog_csv  # noqa: E402
from store.ranker_store import load_ranker  # noqa: E402

DEV_CSV = Path(os.environ.get("TUNEMATE_DEV_CSV")
               or ROOT.parent / "shared" / "data" / "spotify_songs_dev.csv")
ARTISTS = ("Queen", "Guns N' Roses", "Eagles", "Creedence Clearwater Revival")
TOP_GENRES = ("edm", "latin", "pop", "r&b", "rap", "rock")


def classic_rock_history(parsed, catalog, count: int = 10) -> np.ndarray:
    """The first ``count`` tracks by ARTISTS of the first classic-rock playlist holding them."""
    by_playlist: dict[str, list[int]] = {}
    for track_id, playlist, _genre, subgenre in parsed.memberships:
        row = catalog.row_of.get(track_id)
        if subgenre.lower() == "classic rock" and row is not None \
                and catalog.artists[row] in ARTISTS:
            by_playlist.setdefault(playlist, []).append(row)
    rows = max(by_playlist.values(), key=len)
    return np.asarray(list(dict.fromkeys(rows))[:count], dtype=np.int64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEV_CSV)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    tree = yaml.safe_load((ROOT / "config.yaml").read_text())
    parsed = read_catalog_csv(args.csv)
    catalog = catalog_from_parsed(parsed)
    data = playlist_data(catalog, parsed.memberships)
    artists = build_artist_cooccurrence(list(data.playlist_rows), catalog.artist_codes,
                                        len(catalog.artist_names))
    ranker = load_ranker(args.model) if args.model else None
    recommender = Recommender(catalog, RecommenderSettings(**tree["recommender"]),
                              RLSettings(**tree["rl"]), artists=artists, ranker=ranker)
    history = classic_rock_history(parsed, catalog)
    user = UserProfile(history, np.ones(history.size), Traits(4, 3, 4, 3, 2),
                       account_age_days=0.01)
    recs = recommender.recommend(user)
    print("history:", "; ".join(f"{catalog.names[r]} — {catalog.artists[r]}" for r in history))
    print(f"stage {recs.stage} ({recs.stage_reason}); history score: {recs.ranker}")
    genres: Counter[str] = Counter()
    for row in recs.rows:
        labels = [g for g in TOP_GENRES if g in catalog.genres[row]]
        genres.update(labels[:1] or ["(none)"])
    print("genres of the 50:", ", ".join(f"{g} {n}" for g, n in genres.most_common()))
    known = sum(catalog.artists[r] in ARTISTS for r in recs.rows)
    print(f"tracks by the four imported artists: {known}; first ten:")
    for r in recs.rows[:10]:
        print(f"  {catalog.names[r]} — {catalog.artists[r]} ({int(catalog.release_year[r])})")


if __name__ == "__main__":
    main()
