"""CPU time of the chat's NLU reader per message, in-process.

    python benchmarks/bench_nlu.py [--reps 20] [--corpus 300]

Trains the reader (``trained()``), warms up, then times ``read_message`` with
``time.process_time`` (this process's CPU, less disturbed by other load than wall time) on
the load benchmark's six chat messages (``--reps`` times each) and on the first
``--corpus`` texts of the corpus's test split (once each). Run it from a checkout to time
that checkout's code.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_http import MESSAGES  # noqa: E402

from bot.agent.intent import Context  # noqa: E402
from bot.agent.nlu.generate import read_corpus  # noqa: E402
from bot.agent.nlu.model import trained  # noqa: E402
from bot.agent.nlu.reader import read_message  # noqa: E402


def cpu_ms_per_message(texts: list[str], reps: int) -> float:
    started = time.process_time()
    for _ in range(reps):
        for text in texts:
            read_message(text, Context())
    return (time.process_time() - started) * 1000 / (reps * len(texts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--corpus", type=int, default=300)
    args = parser.parse_args()
    corpus = [r["text"] for r in read_corpus() if r["split"] == "test"][: args.corpus]
    trained()
    for text in MESSAGES + corpus[:20]:
        read_message(text, Context())
    print(f"{ROOT}: the load benchmark's messages {cpu_ms_per_message(MESSAGES, args.reps):.2f} "
          f"ms, {len(corpus)} test-split texts {cpu_ms_per_message(corpus, 1):.2f} ms "
          "(CPU a message)")


if __name__ == "__main__":
    main()
