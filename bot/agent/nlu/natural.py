"""Messages written the way people type, apart from the templates: training material only.

``natural.jsonl`` holds single-request chat messages written by hand (each line: text, source
and the request, in the corpus's own form). The templates of ``vocab.py``/``more.py`` give
many fillings of few frames; these give one filling each of many frames: slang, typos,
negations and ways of pointing at a track that no template has.

The strict test split measures words and frames the model never trained on, so a message
that holds any of them is left out of training (``strict``): a held-out filler word of
``vocab.py`` (moods, genres, titles, trait words …), a word found only in held-out templates
("detest", "perkier", "justify"), or a held-out template's frame ("{T} slaps" matches
"number 2 slaps ngl"). ``left_out()`` lists them, so the cost of the rule is visible.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import vocab

NATURAL_PATH = Path(__file__).with_name("natural.jsonl")
# each hand-written message counts as this many beside the template fillings (in every text
# classifier; not in the name tagger nor the guards' seen words: model.py):
# with the first 720 messages, 691/882 of the earlier everyday sets read right at one copy,
# 694 at three
COPIES = 3
FAMILY = "natural."  # the family of every hand-written record: natural.<source>.<n>
_WORD = re.compile(r"[a-z0-9&'-]+")
_SLOT = re.compile(r"\{[A-Z]+\}")
# the filler lists of vocab.py whose held-out entries are words, not frames
_FILLERS = ("GENRES", "MOODS", "ACTIVITIES", "DECADES", "YEARS", "TITLES", "ARTISTS")


def _all_words(value: Any) -> list[vocab.Words]:
    if isinstance(value, vocab.Words):
        return [value]
    if isinstance(value, dict):
        return [w for v in value.values() for w in _all_words(v)]
    return []


def _lists() -> list[tuple[str, vocab.Words]]:
    return [(name, words) for name, value in vars(vocab).items() if not name.startswith("_")
            for words in _all_words(value)]


def _phrase(text: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w']){re.escape(text.lower().strip())}(?![\w'])")


def _frame(template: str) -> re.Pattern[str] | None:
    """A held-out template as a pattern over a message: its slots match anything."""
    pieces = [p.strip(" ,.!?").lower() for p in _SLOT.split(template)]
    pieces = [p for p in pieces if p]
    if not pieces or sum(len(p) for p in pieces) < 3:
        return None
    return re.compile(r"(?<![\w'])" + r"(?![\w']).*(?<![\w'])".join(
        re.escape(p) for p in pieces) + r"(?![\w'])")


@lru_cache(maxsize=1)
def _held_out() -> tuple[frozenset[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    """The held-out splits' texts, and the held-out words and frames as patterns (the
    corpus is read once for both)."""
    from .generate import read_corpus

    corpus = read_corpus()
    texts = frozenset(_plain(r["text"]) for r in corpus if r["split"] != "train")
    train_words = {w for r in corpus if r["split"] == "train"
                   for w in _WORD.findall(r["text"].lower())}
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for name, words in _lists():
        filler = name in _FILLERS or name.startswith("TRAIT_WORDS")
        for held in words.held:
            if filler:
                patterns.append((held, _phrase(held)))
                continue
            words_of = _WORD.findall(_SLOT.sub(" ", held).lower())
            lone_known = "{" not in held and len(words_of) == 1 and words_of[0] in train_words
            if not lone_known and (frame := _frame(held)) is not None:
                patterns.append((held, frame))  # "pretty " as a degree is no frame
            for word in words_of:
                if word not in train_words and len(word) > 2:
                    patterns.append((word, _phrase(word)))
    return texts, tuple(patterns)


def _plain(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def held_out_in(text: str) -> str | None:
    """The held-out word or frame of the test split that ``text`` holds, if any, or the
    text itself when a held-out split has the same words."""
    texts, patterns = _held_out()
    if _plain(text) in texts:
        return text
    lowered = text.lower()
    for what, pattern in patterns:
        if pattern.search(lowered):
            return what
    return None


def read_natural(path: Path = NATURAL_PATH) -> list[dict[str, Any]]:
    """Every hand-written message as a training record (family ``FAMILY<source>.<n>``)."""
    records = []
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(line for line in lines if line.strip()):
            item = json.loads(line)
            records.append({"family": f"{FAMILY}{item['source']}.{n}", "parts": item["parts"],
                            "split": "train", "text": item["text"]})
    return records


def is_hand_written(record: dict[str, Any]) -> bool:
    return bool(record["family"].startswith(FAMILY))


def strict(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records that hold no held-out word or frame of the test split."""
    return [r for r in records if held_out_in(r["text"]) is None]


def left_out(records: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(text, the held-out word or frame it holds) for every record ``strict`` drops."""
    return [(r["text"], what) for r in records if (what := held_out_in(r["text"]))]


def training_records() -> list[dict[str, Any]]:
    """What the shipped model trains on: the corpus's train split and, ``COPIES`` times over,
    the hand-written messages that keep the test split strict."""
    from .generate import read_corpus

    return [r for r in read_corpus() if r["split"] == "train"] + strict(read_natural()) * COPIES
