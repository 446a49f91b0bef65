"""In-process speed of one recommendation for one listener.

    .venv/bin/python benchmarks/bench_recommender.py                # dev CSV (20k), 1M synthetic
    .venv/bin/python benchmarks/bench_recommender.py --sizes 20000   # synthetic sizes only
    .venv/bin/python benchmarks/bench_recommender.py --model DATA_DIR # with a trained ranker

For each catalogue: build the recommender once (timed), warm up, then time ``--requests``
calls of ``Recommender.recommend`` for a rotation of listeners and requests (month 2+ with
history, with a mood, with constraints, a week-1 listener with only a personality). Reports
p50/p99 per kind and overall, and the process's resident memory.

BLAS runs single-threaded (as in a server worker, one process per core): on small matrices
a thread pool costs more than it saves, and on a busy machine it costs a lot more.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import yaml
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from recommender.catalog import Catalog  # noqa: E402
from recommender.collaborative import build_cooccurrence  # noqa: E402
from recommender.config import RecommenderSettings, RLSettings  # noqa: E402
from recommender.engine import Constraints, Recommender, UserProfile  # noqa: E402
from recommender.personality import Traits  # noqa: E402
from recommender.signals import build_artist_cooccurrence  # noqa: E402
from recommender.synthetic import generate_catalog  # noqa: E402
from store.ranker_store import load_ranker  # noqa: E402

DEV_CSV = Path(os.environ.get("TUNEMATE_DEV_CSV")
               or ROOT.parent / "shared" / "data" / "spotify_songs_dev.csv")
KINDS = ("history", "history+mood", "history+constraints", "cold_start_personality")


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return float("nan")


def dev_catalogue(path: Path) -> tuple[Catalog, list[np.ndarray]]:
    from recommender.evaluation import playlist_data
    from store.csv_catalog import catalog_from_parsed, read_catalog_csv

    parsed = read_catalog_csv(path)
    catalog = catalog_from_parsed(parsed)
    return catalog, list(playlist_data(catalog, parsed.memberships).playlist_rows)


def synthetic_listeners(catalog: Catalog, count: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Listeners who each play a handful of artists fully and some tracks at random."""
    order = np.argsort(catalog.artist_codes, kind="stable")
    starts = np.searchsorted(catalog.artist_codes[order], np.arange(len(catalog.artist_names) + 1))
    listeners = []
    for _ in range(count):
        artists = rng.choice(len(catalog.artist_names), size=5, replace=False)
        rows = [order[starts[a] : starts[a + 1]] for a in artists]
        rows.append(rng.choice(len(catalog), size=20, replace=False))
        listeners.append(np.concatenate(rows).astype(np.int64))
    return listeners


def requests_for(listeners: list[np.ndarray], n: int, rng: np.random.Generator) -> list[tuple]:
    out = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        rows = listeners[int(rng.integers(len(listeners)))]
        rows = rng.permutation(rows)[:50]
        plays = np.sort(rng.integers(1, 200, rows.size))[::-1].astype(np.float64)
        traits = Traits(*rng.uniform(1, 5, 5)) if i % 2 else None
        if kind == "cold_start_personality":
            user = UserProfile(
                np.empty(0, np.int64), np.empty(0), Traits(*rng.uniform(1, 5, 5)), 2.0
            )
        else:
            user = UserProfile(rows, plays, traits, 120.0)
        mood = "calm but not sleepy" if kind == "history+mood" else None
        constraints = (
            Constraints(exclude_genres=("rap",), decade=2010)
            if kind == "history+constraints"
            else Constraints()
        )
        out.append((kind, user, mood, constraints, i))
    return out


def bench(name: str, catalog: Catalog, listeners: list[np.ndarray], args, settings, rl) -> dict:
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    cooc = build_cooccurrence(listeners, len(catalog))
    artists = build_artist_cooccurrence(listeners, catalog.artist_codes,
                                        len(catalog.artist_names))
    ranker = load_ranker(args.model) if args.model else None
    if args.model and ranker is None:
        raise SystemExit(f"no trained ranker in {args.model} (run `tunemate train`)")
    recommender = Recommender(catalog, settings, rl, cooc, artists=artists, ranker=ranker)
    recommender.prepare()
    build_s = time.perf_counter() - started
    rng = np.random.default_rng(args.seed)
    work = requests_for(listeners, args.requests + args.warmup, rng)
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for n, (kind, user, mood, constraints, seed) in enumerate(work):
        t0 = time.perf_counter()
        recs = recommender.recommend(user, mood=mood, constraints=constraints, seed=seed)
        elapsed = time.perf_counter() - t0
        assert len(recs) > 0
        if n >= args.warmup:
            times[kind].append(elapsed * 1000)
    gc.collect()
    every = np.concatenate([np.asarray(v) for v in times.values()])
    result = {
        "catalogue": name,
        "ranker": "learned" if ranker is not None else "hand-weighted",
        "tracks": len(catalog),
        "requests": int(every.size),
        "build_s": round(build_s, 2),
        "rss_mb_catalogue": round(before, 1),
        "rss_mb_total": round(rss_mb(), 1),
        "p50_ms": round(float(np.percentile(every, 50)), 2),
        "p99_ms": round(float(np.percentile(every, 99)), 2),
        "by_kind": {
            kind: {
                "p50_ms": round(float(np.percentile(v, 50)), 2),
                "p99_ms": round(float(np.percentile(v, 99)), 2),
            }
            for kind, v in times.items()
        },
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEV_CSV, help="dev catalogue CSV (20k)")
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[1_000_000], help="synthetic catalogue sizes"
    )
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--listeners",
        type=int,
        default=5000,
        help="synthetic listeners for the co-occurrence counts",
    )
    parser.add_argument("--blas-threads", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--model", type=Path, default=None,
                        help="a data directory with a trained ranker (`tunemate train`)")
    args = parser.parse_args()

    tree = yaml.safe_load((ROOT / "config.yaml").read_text())
    settings = RecommenderSettings(**tree["recommender"])
    rl = RLSettings(**tree["rl"])
    results = []
    with threadpool_limits(args.blas_threads):
        if args.csv and args.csv.exists():
            catalog, playlists = dev_catalogue(args.csv)
            results.append(
                bench(f"dev CSV ({args.csv.name})", catalog, playlists, args, settings, rl)
            )
            del catalog, playlists
        else:
            print(f"(no dev CSV at {args.csv}; skipping the 20k dev catalogue)", file=sys.stderr)
        for size in args.sizes:
            catalog = generate_catalog(size, seed=7)
            listeners = synthetic_listeners(
                catalog, args.listeners, np.random.default_rng(args.seed)
            )
            results.append(bench(f"synthetic {size:,}", catalog, listeners, args, settings, rl))
            del catalog, listeners

    print("| catalogue | ranker | tracks | build s | p50 ms | p99 ms "
          "| RSS MB (catalogue → total) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(
            f"| {r['catalogue']} | {r['ranker']} | {r['tracks']:,} | {r['build_s']} "
            f"| {r['p50_ms']} "
            f"| {r['p99_ms']} | {r['rss_mb_catalogue']} → {r['rss_mb_total']} |"
        )
    for r in results:
        kinds = ", ".join(f"{k} {v['p50_ms']}/{v['p99_ms']}" for k, v in r["by_kind"].items())
        print(f"{r['catalogue']}: p50/p99 ms by kind: {kinds}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
