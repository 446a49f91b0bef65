"""Everyday chat messages written apart from the corpus, read by the trained model.

``benchmarks/everyday.jsonl`` holds 66 messages written the way people type them, each with
the intents it asks for in order and, where it matters, the feedback's sign, the track it
points at, a rerank criterion or a genre. None of them is in the corpus or was used to tune
the model; the first run of each round is what docs/NLU.md reports.

    python benchmarks/nlu_everyday.py [--show]

prints how many were read right (intents in order, and each stated slot), how many were
asked back, and how many feedbacks would have been recorded with the wrong sign.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.agent.intent.context import Context
from bot.agent.intent.words import GENRE_ALIASES, lookup
from bot.agent.nlu.model import POSITIVE_SIGNALS, trained
from bot.agent.nlu.reader import read_message
from bot.agent.rules_model import with_courtesy

CASES = Path(__file__).with_name("everyday.jsonl")


def _same_track(read: object, gold: str, context: Context) -> bool:
    """Whether the track a request points at is the labelled one: a list position, a title
    (any case), "current" (this, that, it: the track discussed last, else the top one) or
    "last" (the list's last position)."""
    gold = {"current": context.current_track(), "last": str(context.last_position())}.get(
        gold, gold)
    return str(read).casefold() == gold.casefold()


def _same_opinion(pair: list) -> bool:
    """Whether two requests are feedback of one sign on one track."""
    return all(r.name == "feedback" for r in pair) and \
        len({str(r.args.get("track")) for r in pair}) == 1 and \
        len({r.args["signal"] in POSITIVE_SIGNALS for r in pair}) == 1


def _genre(name: str) -> str:
    try:
        return lookup(GENRE_ALIASES, name)  # "hip hop" is the catalogue's "rap"
    except KeyError:
        return name


def check(case: dict, model) -> tuple[bool, bool, bool, str]:
    """(right, asked, inverted, what was read) for one message."""
    context = Context(list_length=50)
    reading = read_message(case["text"], context, model)
    if reading.clarification:
        asked_ok = case["intents"] == ["unclear"]
        return asked_ok, True, False, f"asked: {reading.clarification}"
    names = [r.name for r in reading.requests] or (
        ["chat"] if any(c.intent == "chat" for c in reading.intents) else ["unclear"])
    shown = "; ".join(f"{r.name} {r.args}" for r in reading.requests) or names[0]
    inverted = False
    expected = case["intents"]
    if "chat" in expected and len(expected) > 1 and with_courtesy(case["text"], ""):
        # "hi! can you play some jazz": the greeting is answered in the reply to the request
        # ("Hi! …", rules_model.with_courtesy), not by a request of its own
        expected = [intent for intent in expected if intent != "chat"]
    # "#3 is a banger, keep it": a like and a save of one track are one opinion to a reader
    # who labels it as one feedback
    merged = [name for i, name in enumerate(names)
              if not (i and name == "feedback" and _same_opinion(reading.requests[i - 1:i + 1]))]
    right = expected in (names, merged)
    # the labels describe the first feedback, the first track pointed at (a feedback, an
    # explain or "more like"), the first reordering and any genre asked for
    feedback = next((r for r in reading.requests if r.name == "feedback"), None)
    if feedback is not None and "sign" in case:
        inverted = (feedback.args["signal"] in POSITIVE_SIGNALS) != (case["sign"] == "positive")
        right &= not inverted
    if "track" in case:
        pointed = next((r.args.get("track", r.args.get("similar_to")) for r in reading.requests
                        if "track" in r.args or "similar_to" in r.args), None)
        right &= _same_track(pointed, case["track"], context)
    if "criterion" in case:
        rerank = next((r for r in reading.requests if r.name == "rerank"), None)
        right &= rerank is not None and rerank.args.get("criterion") == case["criterion"]
    if "genre" in case:
        genre = _genre(case["genre"])
        right &= any(genre in map(_genre, r.args.get("include_genres", [])) or
                     _genre(r.args.get("genre") or "") == genre for r in reading.requests)
    return right, False, inverted, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true", help="print every message read wrongly")
    parser.add_argument("--cases", type=Path, default=CASES,
                        help="a JSON-lines file of cases (default: everyday.jsonl)")
    args = parser.parse_args()
    cases = [json.loads(line) for line in args.cases.read_text().splitlines() if line.strip()]
    model = trained()
    right = asked = inverted = 0
    for case in cases:
        ok, was_asked, flipped, shown = check(case, model)
        right += ok
        asked += was_asked
        inverted += flipped
        if args.show and not ok:
            print(f"- {case['text']}\n    expected: {case['intents']}"
                  f"{' ' + case['sign'] if 'sign' in case else ''}\n    read: {shown}")
    print(f"{right}/{len(cases)} read right ({right / len(cases):.1%}), "
          f"{asked} asked back, {inverted} feedback with the wrong sign")


if __name__ == "__main__":
    main()
