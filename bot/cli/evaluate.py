"""`tunemate eval`: read the CSV files, run the offline evaluation, print a table, write JSON.

The protocol lives in ``recommender.evaluation`` (pure); this module is the file I/O around it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from tqdm import tqdm

from recommender.engine import Recommender
from recommender.evaluation import METHODS, MIN_PLAYLIST, evaluate, playlist_data
from store.csv_catalog import catalog_from_parsed, read_catalog_csv

_COLUMNS = (
    ("recall@{k}", "recall@{k}"),
    ("ndcg@{k}", "NDCG@{k}"),
    ("ild", "ILD"),
    ("genre_entropy_bits", "genre entropy (bits)"),
    ("novelty", "novelty"),
    ("coverage", "coverage"),
    ("new_artist_share", "new artists"),
)


def format_table(result: dict) -> str:
    """The methods side by side, one row each, as a Markdown table."""
    k = result["k"]
    keys = [key.format(k=k) for key, _ in _COLUMNS]
    heads = ["method", *(head.format(k=k) for _, head in _COLUMNS)]
    lines = ["| " + " | ".join(heads) + " |", "|" + "|".join(" --- " for _ in heads) + "|"]
    for method in METHODS:
        figures = result["methods"][method]
        lines.append("| " + " | ".join([method, *(f"{figures[key]:.4f}" for key in keys)]) + " |")
    lines.append(
        f"\n{result['playlists']} playlists, k = {k}, seed = {result['seed']}, "
        f"{result['catalog_tracks']} catalogue tracks, {result['seconds']:.1f} s"
    )
    return "\n".join(lines)


def run_eval(catalog_csv: Path, users_csv: Path, k: int, seed: int, json_out: Path | None) -> dict:
    """Evaluate every method on the playlists of ``users_csv`` against the catalogue of
    ``catalog_csv`` (the same file may be both); print the table, write the JSON, return it."""
    from services.config import load_settings

    started = time.perf_counter()
    settings = load_settings()
    parsed = read_catalog_csv(catalog_csv)
    catalog = catalog_from_parsed(parsed)
    if Path(users_csv).resolve() == Path(catalog_csv).resolve():
        users = parsed
    else:
        users = read_catalog_csv(users_csv)
    evaluated = list(dict.fromkeys(playlist for _, playlist, _, _ in users.memberships))
    # labels and co-occurrence come from every playlist of both files (each left out in turn)
    memberships = list(dict.fromkeys([*parsed.memberships, *users.memberships]))
    data = playlist_data(catalog, memberships, evaluated_playlists=evaluated)
    if not data.evaluated:
        raise ValueError(
            f"no playlist in {users_csv} has {MIN_PLAYLIST} or more catalogue tracks to evaluate"
        )
    recommender = Recommender(catalog, settings.recommender, settings.rl)
    with tqdm(total=len(data.evaluated), desc="evaluating", unit="playlist") as bar:
        result = evaluate(recommender, data, k=k, seed=seed, on_playlist=lambda _: bar.update(1))
    result["seconds"] = round(time.perf_counter() - started, 2)
    if data.dropped_tracks:
        result["tracks_not_in_catalogue"] = data.dropped_tracks
    print(format_table(result))
    if json_out is not None:
        Path(json_out).write_text(json.dumps(result, indent=2) + "\n")
    return result
