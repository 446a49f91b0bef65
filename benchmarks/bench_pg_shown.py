"""Postgres CPU to store the list on screen (``chat_sessions.shown``), by TOAST compression.

    DATABASE_URL=postgresql://... python benchmarks/bench_pg_shown.py [--inserts 800]

Every session start writes the 50 tracks on screen with their score breakdowns (about
38 kB of JSON). This makes a database of its own, builds 50 tracks shaped like the
service's (seeded random values), inserts the list ``--inserts`` times into a jsonb column
compressed with pglz (Postgres' default) and with lz4, twice each in turn, and prints the
server backend's CPU (utime + stime from ``/proc``, so Postgres must run on this machine)
per insert, the wall time and the stored size.
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
        await conn.set_type_codec("jsonb", encoder=lambda v: orjson.dumps(v).decode(),
                                  decoder=orjson.loads, schema="pg_catalog")
        pid = await conn.fetchval("SELECT pg_backend_pid()")
        tick = os.sysconf("SC_CLK_TCK")

        def cpu() -> float:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick

        shown = tracks()
        print(f"list: {len(orjson.dumps(shown)):,} bytes of JSON")
        for method in ("pglz", "lz4", "pglz", "lz4"):
            await conn.execute(f"DROP TABLE IF EXISTS t; CREATE TABLE t (id serial, "
                               f"shown jsonb COMPRESSION {method})")
            before, started = cpu(), time.perf_counter()
            for _ in range(inserts):
                await conn.execute("INSERT INTO t (shown) VALUES ($1)", shown)
            per_cpu = 1000 * (cpu() - before) / inserts
            per_wall = 1000 * (time.perf_counter() - started) / inserts
            size = await conn.fetchval("SELECT avg(pg_column_size(shown))::int FROM t")
            print(f"{method:5s} server CPU {per_cpu:.3f} ms an insert, wall {per_wall:.3f} ms, "
                  f"stored {size:,} bytes")
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
