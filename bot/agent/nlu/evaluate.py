"""How well the model reads the corpus: intent accuracy, slot F1 and a confusion table.

A message's intents are right when the requests read from it have the gold intents in the
gold order (a question back counts as "asked", which is never right). Slots are compared
as (request index, name, value) triples; micro-averaged precision and recall give F1.
Track references are compared as positions on a 50-track list with no track discussed yet.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..intent.context import Context, ToolRequest
from .model import POSITIVE_SIGNALS, Understanding
from .natural import COPIES, training_records
from .reader import read_message

LIST_LENGTH = 50
INTENTS = ("recommend", "rerank", "explain", "feedback", "personality", "chat", "unclear")
_REFERENCES = {"last": str(LIST_LENGTH), "penultimate": str(LIST_LENGTH - 1), "current": "1"}


def _track(value: Any) -> str:
    text = str(value)
    return _REFERENCES.get(text, text).lower()


def gold_triples(parts: list[dict[str, Any]]) -> set[tuple[int, str, str]]:
    triples: set[tuple[int, str, str]] = set()
    for index, part in enumerate(parts):
        for key, value in part["slots"].items():
            if key in ("track", "similar_to"):
                triples.add((index, key, _track(value)))
            elif key == "artist":
                triples.add((index, key, str(value).lower()))
            elif isinstance(value, list):
                triples.update((index, key, str(v)) for v in value)
            elif isinstance(value, float) and key in ("min_tempo", "max_tempo"):
                triples.add((index, key, f"{value:g}"))
            else:
                triples.add((index, key, str(value)))
    return triples


def distinct_requests(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The gold requests with a repeat of an earlier one left out, as the reader carries out
    a request said twice once ("#11 is class and then this track is wonderful" likes #11
    once: recording it twice would count one opinion double)."""
    kept: list[dict[str, Any]] = []
    seen: set[tuple[str, frozenset[tuple[str, str]]]] = set()
    for part in parts:
        key = (part["intent"], frozenset((k, v) for _, k, v in gold_triples([part])))
        if key not in seen:
            seen.add(key)
            kept.append(part)
    return kept


def _trait_level(value: float) -> str:
    return "high" if value > 3 else "low" if value < 3 else "neutral"


def predicted_triples(requests: list[ToolRequest], gold: list[dict[str, Any]]
                      ) -> set[tuple[int, str, str]]:
    triples: set[tuple[int, str, str]] = set()
    for index, request in enumerate(requests):
        wanted = gold[index]["slots"] if index < len(gold) else {}
        for key, value in request.args.items():
            if request.name == "recommend" and key in ("request", "play"):
                continue  # the free mood text is not a slot, nor "play X" against "like X"
            if key == "max_popularity":
                triples.add((index, "popularity", "low"))
            elif key == "min_popularity":
                triples.add((index, "popularity", "high"))
            elif key == "similar_to":
                name, _, artist = str(value).rpartition(" by ")
                if name and "artist" in wanted:
                    triples.add((index, "similar_to", _track(name)))
                    triples.add((index, "artist", artist.lower()))
                else:
                    triples.add((index, key, _track(value)))
            elif key == "track":
                triples.add((index, key, _track(value)))
            elif key == "artist":
                triples.add((index, key, str(value).lower()))
            elif isinstance(value, list):
                triples.update((index, key, str(v)) for v in value)
            elif request.name == "personality" and key != "action":
                exact = isinstance(wanted.get(key), float)
                triples.add((index, key, f"{float(value)}" if exact else
                             _trait_level(float(value))))
            elif isinstance(value, float):
                triples.add((index, key, f"{value:g}"))
            else:
                triples.add((index, key, str(value)))
    return triples


@dataclass
class Scores:
    messages: int = 0
    intents_right: int = 0
    asked: int = 0
    inverted: int = 0  # feedback recorded with the opposite sign of what was said
    true_positive: int = 0
    predicted: int = 0
    gold: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    inversions: list[str] = field(default_factory=list)  # the messages of ``inverted``

    @property
    def intent_accuracy(self) -> float:
        return self.intents_right / self.messages if self.messages else 0.0

    @property
    def slot_precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def slot_recall(self) -> float:
        return self.true_positive / self.gold if self.gold else 1.0

    @property
    def slot_f1(self) -> float:
        p, r = self.slot_precision, self.slot_recall
        return 2 * p * r / (p + r) if p + r else 0.0


def predicted_intents(text: str, model: Understanding, gold: list[dict[str, Any]] | None = None
                      ) -> tuple[list[str], list[ToolRequest]]:
    """The intents read from a message: a question back is "asked", which is right only for
    a message that gives nothing to act on ("why all the rap?" asks which track)."""
    context = Context(list_length=LIST_LENGTH)
    reading = read_message(text, context, model)
    if reading.clarification:
        said = [c.intent for c in reading.intents]
        if gold and all(not p["slots"] for p in gold) and said == [p["intent"] for p in gold]:
            return said, []
        return ["asked"], []
    if reading.requests:
        return [r.name for r in reading.requests], reading.requests
    said = [c.intent for c in reading.intents]
    return (["chat"] if "chat" in said else ["unclear"]), []


def evaluate(records: list[dict[str, Any]], model: Understanding) -> Scores:
    scores = Scores()
    for record in records:
        gold = distinct_requests(record["parts"])
        gold_intents = [p["intent"] for p in gold]
        intents, requests = predicted_intents(record["text"], model, gold)
        scores.messages += 1
        scores.asked += intents == ["asked"]
        right = intents == gold_intents
        scores.intents_right += right
        if len(record["parts"]) == 1:
            scores.confusion[(gold_intents[0], intents[0] if len(intents) == 1 else "several")] += 1
        else:
            scores.confusion[("several", "several" if right else "wrong")] += 1
        for index, request in enumerate(requests):
            said = gold[index] if index < len(gold) else None
            if request.name == "feedback" and said and said["intent"] == "feedback":
                positive = request.args["signal"] in POSITIVE_SIGNALS
                if positive != (said["slots"]["signal"] in POSITIVE_SIGNALS):
                    scores.inverted += 1
                    scores.inversions.append(record["text"])
        expected = gold_triples(gold)
        got = predicted_triples(requests, gold) if right else set()
        scores.gold += len(expected)
        scores.predicted += len(got)
        scores.true_positive += len(expected & got)
        if not right or expected != got:
            scores.misses.append((record["text"], " + ".join(gold_intents) + f" {sorted(expected)}",
                                  " + ".join(intents) + f" {sorted(got)}"))
    return scores


def report(columns: list[tuple[str, Scores]], confusion: Scores) -> str:
    """The figures side by side, and the confusion table of ``confusion`` (the test split)."""
    names = [name for name, _ in columns]
    rows: list[tuple[str, list[str]]] = [
        ("messages", [f"{s.messages}" for _, s in columns]),
        ("intent accuracy", [f"{s.intent_accuracy:.2%}" for _, s in columns]),
        ("slot precision", [f"{s.slot_precision:.2%}" for _, s in columns]),
        ("slot recall", [f"{s.slot_recall:.2%}" for _, s in columns]),
        ("slot F1", [f"{s.slot_f1:.2%}" for _, s in columns]),
        ("asked back", [f"{s.asked}" for _, s in columns]),
        ("feedback inverted", [f"{s.inverted}" for _, s in columns]),
    ]
    lines = [f"{'':22}" + "".join(f"{n:>14}" for n in names)]
    lines += [f"{label:22}" + "".join(f"{v:>14}" for v in values) for label, values in rows]
    lines += ["", "confusion on the test split (rows: gold intent, columns: what the model did)"]
    columns_ = [*INTENTS, "asked", "several"]
    lines.append(f"{'':12}" + "".join(f"{c[:9]:>10}" for c in columns_))
    table = confusion.confusion
    for gold in (*INTENTS, "several"):
        row = [table.get((gold, c), 0) for c in columns_]
        if gold == "several":
            row[-1] = table.get(("several", "several"), 0)
            row[INTENTS.index("unclear")] = 0
            wrong = table.get(("several", "wrong"), 0)
            lines.append(f"{gold:12}" + "".join(f"{n:>10}" for n in row) + f"   wrong: {wrong}")
            continue
        lines.append(f"{gold:12}" + "".join(f"{n:>10}" for n in row))
    return "\n".join(lines)


VALIDATION_EVERY = 5  # every fifth training template (by its index) is a validation family


def _family_index(family: str) -> int | None:
    tail = family.rsplit(".", 1)[-1]
    return int(tail) if tail.isdigit() and not family.startswith(("multi.", "more.multi.")) \
        else None


def validation_split(train: list[dict[str, Any]], fold: int = VALIDATION_EVERY - 1
                     ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Training records cut in two by template family, for iterating without the test split:
    every fifth template of each family group (and the two-request messages built from one of
    its utterances) is held out for validation; the rest trains the validation model.
    ``fold`` (0–4) says which fifth: the last one is the validation split."""
    held = [r for r in train if (i := _family_index(r["family"])) is not None
            and i % VALIDATION_EVERY == fold]
    held_texts = [r["text"].rstrip(".! ") for r in held]
    same = set(held_texts)  # the same words from another template are not a new phrasing
    held_ids = {id(r) for r in held}
    fit, check = [], []
    for record in train:
        if id(record) in held_ids or record["text"].rstrip(".! ") in same or _family_index(
                record["family"]) is None and any(t in record["text"] for t in held_texts):
            check.append(record)
        else:
            fit.append(record)
    return fit, check


def run(show_misses: int = 0, validation: bool = True, validation_misses: int = 0) -> str:
    """Train on the train split and report every split (``tunemate nlu-eval``).

    Columns: ``train`` (what it learnt from), ``validation`` (a second model trained without
    a fifth of the training templates, measured on them: what changes are tuned on),
    ``held-words`` (a third model trained without the messages holding a fifth of the
    training vocabulary's meaning words, measured on those messages: ``word_split``),
    ``test`` (held-out templates *and* held-out words: the project's strict split) and
    ``shared-vocab`` (the same held-out templates filled with training words only: the split
    issue 9 describes)."""
    from .generate import read_corpus

    records = read_corpus()
    train = training_records()
    test = [r for r in records if r["split"] == "test"]
    shared = [r for r in records if r["split"] == "shared"]
    model = Understanding(train)
    columns = [("train", evaluate(train, model))]
    if validation or validation_misses:
        fit, check = validation_split(train)
        columns.append(("validation", evaluate(check, Understanding(fit))))
        fit, check, _ = word_split(train)
        columns.append(("held-words", evaluate(check, Understanding(fit))))
    test_scores = evaluate(test, model)
    columns += [("test", test_scores), ("shared-vocab", evaluate(shared, model))]
    templated = sum(r["split"] == "train" for r in records)
    lines = [f"corpus: {len(records)} utterances ({templated} train, {len(test)} test, "
             f"{len(shared)} shared-vocab test; never trained on: test, shared-vocab); "
             f"training messages with the hand-written ones ({COPIES} copies each): "
             f"{len(train)}",
             report(columns, test_scores)]
    if validation_misses:
        lines.append(f"\nfirst {validation_misses} validation messages the model got wrong "
                     "(message / gold / read):")
        lines += _miss_lines(columns[1][1], validation_misses)
    if show_misses:
        lines.append(f"\nfirst {show_misses} test messages the model got wrong "
                     "(message / gold / read):")
        lines += _miss_lines(test_scores, show_misses)
    return "\n".join(lines)


def validate(show_misses: int = 0) -> str:
    """The validation split only, with its misses: what to iterate on."""
    fit, check = validation_split(training_records())
    scores = evaluate(check, Understanding(fit))
    return "\n".join([report([("validation", scores)], scores).split("\n\n")[0],
                      *_miss_lines(scores, show_misses)])


def _miss_lines(scores: Scores, count: int) -> list[str]:
    """The first ``count`` messages read wrongly, with what they meant and what was read."""
    return [f"- {text}\n    gold: {gold}\n    read: {got}"
            for text, gold, got in scores.misses[:count]]


def validate_folds() -> str:
    """Every fifth of the training templates held out in turn (five models, each measured on
    the fifth it never saw): five times the held-out phrasings of the validation split, so
    that a reading that inverts feedback on a phrasing it never saw is found without the
    test split. Lists the messages recorded with the wrong sign."""
    train = training_records()
    columns, lines = [], []
    for fold in range(VALIDATION_EVERY):
        fit, check = validation_split(train, fold)
        scores = evaluate(check, Understanding(fit))
        columns.append((f"fold {fold}", scores))
        lines += [f"- fold {fold}: {text}" for text in scores.inversions]
    table = report(columns, columns[-1][1]).split("\n\n")[0]
    return "\n".join([table, *lines])


WORDS_HELD_EVERY = 5  # a fifth of the training vocabulary's meaning words is held out
_INTENT_WORD_SHARE = 0.8  # a word this much of one intent's is that intent's word ("justify")
_INTENT_WORD_COUNT = 3
_NOT_HELD = frozenset({"track", "tracks", "song", "songs", "tune", "tunes", "number", "one",
                       "ones", "list", "music", "stuff", "play", "playing", "something",
                       "please", "thanks", "first", "last", "next", "more", "less", "like"})


def _clause_words(record: dict[str, Any]) -> set[str]:
    from .features import clean

    return {w for w in clean(record["text"]).split(" ") if w.isalpha() and w.islower()}


def meaning_words(train: list[dict[str, Any]]) -> list[str]:
    """The training words that carry a message's meaning, the kind of word the test split
    holds out: sentiment words (a valence of at least 1 in the lexicons), mood words, and
    words said (nearly) only in one intent's messages ("justify", "bookmark", "rearrange");
    function words, courtesy, the words that point at a track, words of track and artist
    names and misspellings (no English word) are left out."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from .features import NO_OPINION, english_words, mood_of, valence

    names = {w for record in train for part in record["parts"]
             for key in ("track", "similar_to", "artist")
             if isinstance(value := part["slots"].get(key), str)
             for w in re.findall(r"[a-z]+", value.lower())}

    by_intent: dict[str, Counter[str]] = {}
    total: Counter[str] = Counter()
    for record in train:
        if len(record["parts"]) != 1:
            continue
        words = _clause_words(record)
        by_intent.setdefault(record["parts"][0]["intent"], Counter()).update(words)
        total.update(words)
    chosen = set()
    for word, count in total.items():
        if count < 2 or len(word) < 3 or word in ENGLISH_STOP_WORDS or word in NO_OPINION or \
                word in _NOT_HELD or word in names or word not in english_words():
            continue
        own = max(c[word] for c in by_intent.values())
        if abs(valence(word)) >= 1.0 or mood_of(word) or (
                count >= _INTENT_WORD_COUNT and own >= _INTENT_WORD_SHARE * count):
            chosen.add(word)
    return sorted(chosen)


def held_words(train: list[dict[str, Any]]) -> frozenset[str]:
    """A deterministic fifth of ``meaning_words``, chosen by a checksum of each word (not by
    its place in the alphabet, so all forms of a stem are not held out together)."""
    return frozenset(w for w in meaning_words(train)
                     if zlib.crc32(w.encode()) % WORDS_HELD_EVERY == 0)


def word_split(train: list[dict[str, Any]]
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], frozenset[str]]:
    """Training records cut in two by vocabulary: a second model trains on the messages that
    hold none of ``held_words`` and is measured on those that hold one, so every message
    measured has a meaning word that model never saw, in a phrasing it may have seen. Beside
    the validation split (new templates, known words) this measures what the test split's
    held-out words measure, without the test split."""
    held = held_words(train)
    fit: list[dict[str, Any]] = []
    check: list[dict[str, Any]] = []
    for record in train:
        (check if _clause_words(record) & held else fit).append(record)
    return fit, check, held


def validate_words(show_misses: int = 0) -> str:
    """The word-held-out validation only, with its misses."""
    fit, check, held = word_split(training_records())
    scores = evaluate(check, Understanding(fit))
    return "\n".join([f"{len(held)} words held out of {len(fit) + len(check)} training "
                      f"messages; {len(fit)} train the model, {len(check)} are measured",
                      report([("held-words", scores)], scores).split("\n\n")[0],
                      *_miss_lines(scores, show_misses)])
