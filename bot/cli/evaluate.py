"""`tunemate eval`: read the CSV files, run the offline evaluation, print a table, write JSON.

The protocol lives in ``recommender.evaluation`` (pure); this module is the file I/O around it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from recommender.catalog import Catalog
from recommender.engine import Recommender
from recommender.evaluation import (
    METHODS,
    MIN_PLAYLIST,
    PlaylistData,
    evaluate,
    playlist_data,
    playlist_folds,
)
from recommender.ranker import TreeRanker
from recommender.stage import StageContext
from recommender.training import (
    TRAIN_SEEDS,
    cross_fitted_rankers,
    fit_with_stage,
    training_examples,
)
from services.config import Settings
from store.csv_catalog import catalog_from_parsed, read_catalog_csv

_COLUMNS = (
    ("recall@{k}", "recall@{k}"),
    ("ndcg@{k}", "NDCG@{k}"),
    ("ild", "ILD"),
    ("genre_entropy_bits", "genre entropy (bits)"),
    ("novelty", "novelty"),
    ("coverage", "coverage"),
    ("new_artist_share", "new artists"),
    ("min_new_artist_share", "new artists (min list)"),
    ("in_no_training_playlist", "in no training playlist"),
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
        f"{result['catalog_tracks']} catalogue tracks, {result['seconds']:.1f} s; "
        f"tunemate's history score: {result.get('ranker', 'hand-weighted')}"
    )
    lines.append(
        "share of the catalogue in no training playlist: "
        f"{result.get('catalog_in_no_training_playlist', 0.0):.4f} (tunemate's lists: "
        f"{result['methods']['tunemate'].get('in_no_training_playlist', 0.0):.4f})"
    )
    split = result.get("split")
    if split:
        lines.append(
            f"ranker trained on {split['training_playlists']} playlists "
            f"({split['train_fraction']:.0%}): recall@{k} "
            f"{split['training'][f'recall@{k}']:.4f} on them, "
            f"{split['validation'][f'recall@{k}']:.4f} on the other (validation) playlists"
        )
    for key, what in (("ablation", "hand-weighted score"), ("ablation_learned", "learned")):
        ablation = result.get(key)
        if not ablation:
            continue
        lines.append(f"\n| switched off ({what}) | recall@{k} | ILD | new artists |")
        lines.append("| --- | --- | --- | --- |")
        for name, figures in ablation.items():
            lines.append(f"| {name} | {figures[f'recall@{k}']:.4f} | {figures['ild']:.4f} | "
                         f"{figures['new_artist_share']:.4f} |")
    return "\n".join(lines)


def load_playlists(catalog_csv: Path, users_csv: Path) -> tuple[Catalog, PlaylistData]:
    """The catalogue of ``catalog_csv`` and the playlists of both files; the playlists of
    ``users_csv`` are the evaluated listeners (the same file may be both)."""
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
    return catalog, data


def split_playlists(data: PlaylistData, fraction: float, seed: int) -> tuple[
        tuple[int, ...], tuple[int, ...]]:
    """(training, validation) evaluated playlists: a seeded shuffle, ``fraction`` trains."""
    order = np.random.default_rng(seed).permutation(len(data.evaluated))
    cut = int(round(fraction * len(order)))
    chosen = np.asarray(data.evaluated)
    return (tuple(sorted(chosen[order[:cut]].tolist())),
            tuple(sorted(chosen[order[cut:]].tolist())))


def _run(recommender: Recommender, data: PlaylistData, k: int, seed: int, label: str,
         **kwargs: object) -> dict:
    with tqdm(total=len(data.evaluated), desc=label, unit="playlist", leave=False) as bar:
        return evaluate(recommender, data, k=k, seed=seed,
                        on_playlist=lambda _: bar.update(1), **kwargs)  # type: ignore[arg-type]


def run_eval(
    catalog_csv: Path,
    users_csv: Path,
    k: int,
    seed: int | Sequence[int],
    json_out: Path | None,
    *,
    settings: Settings | None = None,
    lists_out: Path | None = None,
    model_dir: Path | None = None,
    train_fraction: float | None = None,
    ablation: bool = False,
    folds: int | None = None,
) -> dict:
    """Evaluate every method on the playlists of ``users_csv`` against the catalogue of
    ``catalog_csv`` (the same file may be both); print the table, write the JSON, return it.

    ``model_dir``: score with the learned ranker saved there (``tunemate train``).
    ``train_fraction``: train a ranker here on that share of the evaluated playlists and
    report it on the others (validation) beside the figure on all of them.
    ``ablation``: the recall with each history part and candidate source switched off.
    ``folds``: cross-fitted — the playlists in that many seeded groups, one ranker per group
    trained (as ``tunemate train`` trains) on the other groups' playlists, each playlist
    scored by the ranker that never saw it.
    """
    from services.config import load_settings
    from store.ranker_store import load_ranker

    started = time.perf_counter()
    seeds = (seed,) if isinstance(seed, int) else tuple(seed)
    if not seeds:
        raise ValueError("no seed to evaluate")
    settings = settings or load_settings()
    catalog, data = load_playlists(catalog_csv, users_csv)
    recommender = Recommender(catalog, settings.recommender, settings.rl)
    if model_dir is not None:
        ranker = load_ranker(model_dir)
        if ranker is None:
            raise ValueError(f"no trained ranker in {model_dir} (run `tunemate train`)")
        recommender = recommender.with_ranker(ranker)
    validation: dict | None = None
    if train_fraction is not None:
        train_part, valid_part = split_playlists(data, train_fraction, seeds[0])
        ranker = train_on(recommender, data, train_part, seeds=(seeds[0] + 1000,))
        recommender = recommender.with_ranker(ranker)
        validation = {
            "train_fraction": train_fraction,
            "training_playlists": len(train_part),
            "validation": _run(recommender, replace(data, evaluated=valid_part), k, seeds[0],
                               "validation")["methods"]["tunemate"],
            "training": _run(recommender, replace(data, evaluated=train_part), k, seeds[0],
                             "training")["methods"]["tunemate"],
        }
    ranker_for = None
    if folds is not None:
        ranker_of: dict[int, TreeRanker] = {}
        groups = playlist_folds(data.evaluated, folds, FOLD_SEED)
        # a playlist's examples do not depend on the fold (it is left out of membership
        # either way): computed once, each fold's ranker (both stages) learns from the other
        # groups' rows, the second stage from scores of trees that never saw those rows
        x, y, owner, context = examples_of(recommender, data, data.evaluated, TRAIN_SEEDS)
        fitted = cross_fitted_rankers(x, y, owner, context, groups,
                                      meta={"seeds": list(TRAIN_SEEDS)}, say=_say)
        for group, ranker in zip(groups, fitted, strict=True):
            ranker_of.update(dict.fromkeys(group, ranker))
        del x, y, owner, context
        ranker_for = ranker_of.__getitem__
    if len(seeds) > 1:
        if lists_out is not None or ablation or train_fraction is not None:
            raise ValueError("several seeds go with neither --lists-out, --ablation nor "
                             "--train-fraction")
        runs = [_evaluate_seed(recommender, data, k, s, None, ranker_for, folds, None, False)
                for s in seeds]
        result = {"k": k, "seeds": list(seeds), "playlists": runs[0]["playlists"],
                  "ranker": runs[0]["ranker"], "runs": runs,
                  "mean": {method: {key: round(float(np.mean([r["methods"][method][key]
                                                              for r in runs])), 4)
                                    for key in runs[0]["methods"][method]}
                           for method in METHODS},
                  "seconds": round(time.perf_counter() - started, 2)}
        for run in runs:
            print(format_table(run) + "\n")
        tunemate = result["mean"]["tunemate"]
        print(f"mean of seeds {', '.join(map(str, seeds))}: tunemate recall@{k} "
              f"{tunemate[f'recall@{k}']:.4f} ("
              + " / ".join(f"{r['methods']['tunemate'][f'recall@{k}']:.4f}" for r in runs)
              + f"), NDCG@{k} {tunemate[f'ndcg@{k}']:.4f}, ILD {tunemate['ild']:.4f}, "
              f"new artists {tunemate['new_artist_share']:.4f} (worst list "
              f"{min(r['methods']['tunemate']['min_new_artist_share'] for r in runs):.2f})")
        if json_out is not None:
            Path(json_out).write_text(json.dumps(result, indent=2) + "\n")
        return result
    seed = seeds[0]
    lists: list[dict] | None = [] if lists_out is not None else None
    result = _evaluate_seed(recommender, data, k, seed, lists, ranker_for, folds, validation,
                            ablation)
    result["seconds"] = round(time.perf_counter() - started, 2)
    print(format_table(result))
    if json_out is not None:
        Path(json_out).write_text(json.dumps(result, indent=2) + "\n")
    if lists_out is not None:
        Path(lists_out).write_text(json.dumps({"k": k, "seed": seed, "playlists": lists}) + "\n")
    return result


def _evaluate_seed(recommender: Recommender, data: PlaylistData, k: int, seed: int,
                   lists: list[dict] | None, ranker_for: Callable[[int], TreeRanker] | None,
                   folds: int | None, validation: dict | None, ablation: bool) -> dict:
    """One seed's result (with the ablation when asked)."""
    started = time.perf_counter()
    result = _run(recommender, data, k, seed, "evaluating", lists_out=lists,
                  ranker_for=ranker_for)
    result["ranker"] = ("learned" if recommender.ranker is not None else "hand-weighted")
    if folds is not None:
        result["ranker"] = f"learned, cross-fitted over {folds} folds"
        result["folds"] = folds
    if validation is not None:
        result["split"] = validation
    if ablation:  # history parts on the hand-weighted score (a learned one would need
        # training again without the feature); sources under the learned one too, if loaded
        plain = recommender.with_ranker(None)
        result["ablation"] = {
            name: _run(plain, data, k, seed, f"without {name}",
                       ablate=() if name == "nothing" else (name,))["methods"]["tunemate"]
            for name in ABLATIONS
        }
        if recommender.ranker is not None or ranker_for is not None:
            result["ablation_learned"] = {
                name: _run(recommender, data, k, seed, f"learned, without {name}",
                           ablate=() if name == "nothing" else (name,),
                           ranker_for=ranker_for)["methods"]["tunemate"]
                for name in ABLATIONS if name == "nothing" or name.startswith("source:")
            }
    result["seconds"] = round(time.perf_counter() - started, 2)
    if data.dropped_tracks:
        result["tracks_not_in_catalogue"] = data.dropped_tracks
    return result


# the playlists' grouping for --folds: the same for every evaluation seed
FOLD_SEED = 0
# what the ablation switches off, one at a time: history parts, then candidate sources
ABLATIONS: tuple[str, ...] = (
    "nothing", "album", "artist", "artist_cf", "year", "content", "collaborative",
    "source:album", "source:history_artists", "source:artist_cf", "source:history_neighbours",
    "source:genre",
)


def _say(line: str) -> None:
    print(line, flush=True)


def examples_of(recommender: Recommender, data: PlaylistData, playlists: tuple[int, ...],
                seeds: tuple[int, ...]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, StageContext]:
    """(features, labels, playlist, second-stage context) of some playlists' splits, with a
    progress bar."""
    with tqdm(total=len(playlists), desc="training examples", unit="playlist",
              leave=False) as bar:
        return training_examples(recommender.with_ranker(None), data, playlists, seeds,
                                 on_playlist=lambda _: bar.update(1))


def train_on(recommender: Recommender, data: PlaylistData, playlists: tuple[int, ...],
             seeds: tuple[int, ...]) -> TreeRanker:
    """A ranker trained on some playlists (each split with each seed): the first stage on
    all of them, the second on out-of-fold scores of five groups of them."""
    x, y, owner, context = examples_of(recommender, data, playlists, seeds)
    return fit_with_stage(x, y, owner, context,
                          meta={"listeners": len(playlists), "seeds": list(seeds)}, say=_say)
