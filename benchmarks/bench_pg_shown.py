"""Postgres CPU to store and read the list on screen (``chat_sessions.shown``), by column
type (jsonb or json) and TOAST compression.

    DATABASE_URL=postgresql://... python benchmarks/bench_pg_shown.py [--inserts 800]

Every session start writes the 50 tracks on screen with their score breakdowns (about
38 kB of JSON). This makes a database of its own, builds 50 tracks shaped like the
service's (seeded random values), inserts the list ``--inserts`` times into a jsonb or json
column compressed with pglz (Postgres' default) or lz4, reads each row back once, each
variant twice in turn, and prints the server backend's CPU (utime + stime from ``/proc``, so
Postgres must run on this machine) per insert and per read, the wall time and the stored
size. Migrations 0005 and 0006 chose json with lz4 from these figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
import uuid
from pathlib import Path

import asyncpg
import orjson


def tracks(seed: int = 0) -> list[dict[str, object]]:
    rng = random.Random(seed)
    words = ["night", "heart", "river", "gold", "paper", "blue", "fire", "echo", "summer"]
    out = []
    for position in range(1, 51):
        parts = {k: round(rng.random(), 3) for k in
                 ("year", "album", "genre", "artist", "content", "artist_cf", "collaborative")}
        out.append({
            "name": " ".join(rng.sample(words, 2)).title(),
            "album": " ".join(rng.sample(words, 3)).title(),
            "score": round(rng.random(), 3), "genres": rng.sample(["rock", "pop", "r&b"], 2),
            "artists": " ".join(rng.sample(words, 2)).title(), "cluster": rng.randrange(64),
            "position": position, "track_id": f"t{rng.randrange(10**12):012d}",
            "breakdown": {
                "stage": "weeks2_4", "ranker": "learned",
                "weights": {k: round(rng.random(), 2) for k in
                            ("history", "novelty", "popular", "diversity", "personality")},
                "components": {k: round(rng.random(), 3) for k in
                               ("popularity", "rl_adjustment", "novelty_factor",
                                "diversity_bonus", "personality_match", "history_similarity")},
                "stage_reason": "evidence: 12 history tracks (at least 10)",
                "history_parts": parts, "rl_adjustment": 0.0,
            },
            "popularity": float(rng.randrange(100)), "release_year": rng.randrange(1960, 2021),
        })
    return out


async def main(url: str, inserts: int) -> None:
    name = f"bench_shown_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        conn = await asyncpg.connect(url.rsplit("/", 1)[0] + "/" + name)
        for kind in ("jsonb", "json"):
            await conn.set_type_codec(kind, encoder=lambda v: orjson.dumps(v).decode(),
                                      decoder=orjson.loads, schema="pg_catalog")
        pid = await conn.fetchval("SELECT pg_backend_pid()")
        tick = os.sysconf("SC_CLK_TCK")

        def cpu() -> float:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick

        shown = tracks()
        print(f"list: {len(orjson.dumps(shown)):,} bytes of JSON")
        variants = [(kind, method) for kind in ("jsonb", "json") for method in ("pglz", "lz4")]
        for kind, method in variants * 2:
            await conn.execute(f"DROP TABLE IF EXISTS t; CREATE TABLE t (id serial, "
                               f"shown {kind} COMPRESSION {method})")
            before, started = cpu(), time.perf_counter()
            for _ in range(inserts):
                await conn.execute("INSERT INTO t (shown) VALUES ($1)", shown)
            per_cpu = 1000 * (cpu() - before) / inserts
            per_wall = 1000 * (time.perf_counter() - started) / inserts
            before = cpu()
            for row in range(1, inserts + 1):
                await conn.fetchval("SELECT shown FROM t WHERE id = $1", row)
            per_read = 1000 * (cpu() - before) / inserts
            size = await conn.fetchval("SELECT avg(pg_column_size(shown))::int FROM t")
            print(f"{kind:5s} {method:4s} server CPU {per_cpu:.3f} ms an insert "
                  f"(wall {per_wall:.3f} ms), {per_read:.3f} ms a read; stored {size:,} bytes",
                  flush=True)
        await conn.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inserts", type=int, default=800)
    args = parser.parse_args()
    asyncio.run(main(os.environ.get("DATABASE_URL",
                                    "postgresql://postgres@127.0.0.1:5432/postgres"),
                     args.inserts))
