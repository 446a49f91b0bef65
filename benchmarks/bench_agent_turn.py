"""What one chat turn costs in the agent's own machinery, apart from the tools' work.

    python benchmarks/bench_agent_turn.py [--turns 200]

Builds the service's agent (langchain ``create_agent`` over the offline rules model) with
stand-in tools of the real tools' names and arguments that answer at once, and runs the
load benchmark's kinds of message. For each it prints the CPU time of a turn and how many
passes of the event loop a turn needs. The second figure is exact and does not depend on
the machine: on a loaded server every pass waits behind the other requests' callbacks, so
a turn's latency under load grows with it.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from langchain.agents import create_agent
from langchain_core.messages import HumanMessage
from langchain_core.tools import BaseTool, tool

from bot.agent.rules_model import RulesChatModel

MESSAGES = [
    "something calm for studying",
    "I love number 3",
    "why is number 2 here?",
    "make it more energetic",
    "hello",
    "love #2, now something calmer",
]


def stand_in_tools() -> list[BaseTool]:
    @tool
    async def recommend(request: str = "", count: int = 50,
                        include_genres: list[str] | None = None,
                        exclude_genres: list[str] | None = None,
                        decade: int | None = None, similar_to: str | None = None) -> str:
        """Recommend tracks for a mood or free-text request, with hard constraints."""
        return f"{count} tracks for '{request}': 1. Weightless (Marconi Union)"

    @tool
    async def rerank(criterion: str, genre: str | None = None, decade: int | None = None) -> str:
        """Re-order the current list by a criterion such as calmer or more_energetic."""
        return f"Re-ordered 50 tracks ({criterion})."

    @tool
    async def explain(track: str) -> str:
        """Explain why a track (position, name or id) is in the list."""
        return f"Track {track} scored 0.74: history 0.81, personality 0.66."

    @tool
    async def feedback(track: str, signal: str) -> str:
        """Record feedback (like, dislike, skip, save ...) on a track."""
        return f"Recorded {signal} for track {track}."

    @tool
    async def personality(action: str) -> str:
        """Show or set the user's Big Five personality profile."""
        return f"Personality {action}."

    return [recommend, rerank, explain, feedback, personality]


class CountingLoop(asyncio.SelectorEventLoop):
    """asyncio's loop, counting its passes (``_run_once``)."""

    passes = 0

    def _run_once(self) -> None:
        CountingLoop.passes += 1
        super()._run_once()


async def measure(turns: int) -> list[dict[str, Any]]:
    agent = create_agent(model=RulesChatModel(), tools=stand_in_tools())
    for text in MESSAGES:  # the reader's first reading of each text trains nothing; warm up
        await agent.ainvoke({"messages": [HumanMessage(text)]})
    out = []
    for text in MESSAGES:
        passes, cpu = CountingLoop.passes, time.process_time()
        for _ in range(turns):
            await agent.ainvoke({"messages": [HumanMessage(text)]})
        out.append({"message": text,
                    "cpu_ms": round((time.process_time() - cpu) * 1000 / turns, 2),
                    "loop_passes": (CountingLoop.passes - passes) / turns})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    loop = CountingLoop()
    try:
        rows = loop.run_until_complete(measure(args.turns))
    finally:
        loop.close()
    print(f"{'message':<34} {'CPU a turn':>10} {'loop passes':>12}")
    for row in rows:
        print(f"{row['message']:<34} {row['cpu_ms']:>7.2f} ms {row['loop_passes']:>12.1f}")


if __name__ == "__main__":
    main()
