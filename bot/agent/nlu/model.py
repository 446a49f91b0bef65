"""The trained understanding model: intent, feedback signal, rerank criterion, popularity,
genre polarity and track-name spans, each a small scikit-learn classifier.

Text classifiers are TF-IDF word (1-2) and character (2-5, within words) n-grams feeding a
logistic regression (fitted by SGD), whose probabilities are the confidences the reader acts
on. Names are
found by a per-token logistic regression over the word, its shape and its neighbours.
Training reads the committed corpus, is deterministic and takes a few seconds; ``trained()``
does it once per process.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import os
import pickle
import random
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from recommender.search import simplify

from ..intent.words import _GENRE, GENRE_ALIASES, lookup, normalise
from .asking import ASK_MARKS, mark_asks
from .conversation import CHAT_MARKS, mark_conversation
from .directions import DIRECTION_MARKS, mark_directions
from .features import (
    MOOD_MARKS,
    NO_OPINION,
    clean,
    english_words,
    inflections,
    is_negator,
    mark_comparatives,
    mark_moods,
    mark_sentiment,
    mention_features,
    negators,
    one_slip,
    sentiment_lexicon,
    valence,
)
from .inference import predict_labels, predict_proba
from .natural import is_hand_written

# a typo is one slip of the finger (``one_slip``) this close (difflib's ratio), or two
# letters swapped, which in a five-letter word ("bagns", "rlues") is a ratio of 0.8 ("glorp"
# is no "glory": a letter changed in a short word makes another word too often)
TYPO_RATIO = 0.85
SWAP_RATIO = 0.75
# a word this strongly signed by the lexicons is not to be read as a word of another sign
KEPT_SIGN = 1.5
PREPARED_CACHE = 4096  # texts whose classifier input is kept (prepare)
_MARKS = frozenset({"LEXPOS", "LEXNEG", "NOTPOS", "NOTNEG", *MOOD_MARKS, *CHAT_MARKS,
                     *DIRECTION_MARKS, *ASK_MARKS})
_NOT_WORDS = _MARKS | {"TRACKREF", "GENRE", "DECADE", "BPM", "NUM"}
POSITIVE_SIGNALS = frozenset({"like", "save", "add_to_playlist", "repeat", "played_through"})
NEGATIVE_SIGNALS = frozenset({"dislike", "skip"})

_log = logging.getLogger(__name__)
# common words of Spanish, Portuguese, German, French and Italian that are no English words
# (a message in another language is told by them, not by words the model lacks: typos,
# names and rare English words are no foreign words)
_FOREIGN = frozenset("""
el los las del por para muy mucho mucha quiero quieres gusta gustan canta cancion canción
canciones musica música esta este eso esto pero porque como cuando donde quien quién
primero primera ultimo último ultima última nuevo nuevos nueva viejo otra otro más tambien
también hola gracias favor quita quitá quitar pon poner ponme dame tengo estoy soy eres
bueno buena malo mala bien ordena años año algo nada todo todos ahora
eu sou não nao sim obrigado obrigada muito pra pelo pela uma umas uns coloca tira gosto
gostei gosta toca tocar quem também mais calmas primeiro você voce isso essa esse
ich du er sie wir ihr nicht und ist sind das der dem den ein eine einen mag sehr bitte
danke zuerst schnell schnellen langsam musik lied lieder letzte erste wer singt warum gut
schlecht spiel spiele mehr noch auch aber oder
je tu il nous vous est pas les des une chanson chansons musique merci oui très bien
mais pourquoi qui joue aime
io sono della questo questa canzone grazie perché perche molto piace
""".split())  # noqa: SIM905 (a word list reads best as text)
WORD_DROPOUT = 0.2  # share of ordinary words the name tagger trains without seeing
WORD_DROPOUT_SEED = 7
_TOKEN = re.compile(r"[\w'&.-]+|[^\w\s]")


_FIRST_PERSON = re.compile(r"^(?:\w+ )?(?:i|i'm|im|i'd|i've|i'll) (\w+)")


def _text_classifier() -> Pipeline:
    return Pipeline([
        ("features", FeatureUnion([
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                      token_pattern=r"[\w'&]+|[^\w\s]")),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                      min_df=2)),
        ])),
        # logistic regression fitted by SGD: a fraction of a second, probabilities out
        ("classify", SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=60, tol=None,
                                   random_state=0)),
    ])


_UNJUDGED = frozenset({*MOOD_MARKS, *CHAT_MARKS, *DIRECTION_MARKS, *ASK_MARKS})


def _without_moods(text: str) -> str:
    """A prepared text without its mood, direction and conversation marks: how a track is
    judged does not rest on which way a mood word points ("#3 is too mellow" can be a like or
    a dislike), on "a hit" or "old", nor on courtesy ("thanks", "ok")."""
    return " ".join(w for w in text.split(" ") if w not in _UNJUDGED)


def _without_directions(text: str) -> str:
    """A prepared text without its direction marks, for the intent model: "slow jams" asks
    for a new list and "slower" for a reordering, which way they point is the same."""
    return " ".join(w for w in text.split(" ") if w not in DIRECTION_MARKS)


TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
# a trait model's least confidence to act on: on the hand-written descriptions that the trait
# words do not cover, each writer's read by models trained without that writer, 28 of 74 were
# read right at 0.5, one only in part, the rest not at all (docs/NLU.md, session 23)
TRAIT_THRESHOLD = 0.5


def _trait_label(value: Any) -> str:
    """A trait slot as high / low / none ("high", 4.0 → high; 3, absent → none)."""
    if isinstance(value, str):
        return value if value in ("high", "low") else "none"
    if isinstance(value, int | float):
        return "high" if value > 3 else "low" if value < 3 else "none"
    return "none"


@dataclass(frozen=True)
class Guess:
    label: str
    confidence: float


def _best(pipeline: Pipeline, text: str) -> Guess:
    probabilities = predict_proba(pipeline, text)  # = pipeline.predict_proba([text])[0]
    best = int(probabilities.argmax())
    return Guess(str(pipeline.classes_[best]), float(probabilities[best]))


def tokens(original: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(original)]


def _token_features(words: list[str], i: int, known: frozenset[str],
                    hidden: frozenset[int] = frozenset()) -> dict[str, float]:
    """A token's shape and its neighbours. Words never seen outside a name are all one
    "<unseen>" word to the tagger, so it learns where names sit, not which names exist; in
    training some ordinary words are hidden the same way (``hidden``), so that an unseen
    word is not taken for a name just for being unseen."""
    def seen(j: int) -> str:
        lower = words[j].lower()
        return lower if lower in known and j not in hidden else "<unseen>"

    word = words[i]
    features = {"bias": 1.0, f"w={seen(i)}": 1.0,
                f"start={i == 0}": 1.0, f"end={i == len(words) - 1}": 1.0}
    if word[:1].isupper():
        features["capital"] = 1.0
    if word.isupper() and len(word) > 1:
        features["all_caps"] = 1.0
    for offset in (-3, -2, -1, 1, 2):
        j = i + offset
        neighbour = seen(j) if 0 <= j < len(words) else "<edge>"
        features[f"w{offset}={neighbour}"] = 1.0
    if i > 0 and words[i - 1][:1].isupper():
        features["prev_capital"] = 1.0
    return features


def _name_labels(original: str, slots: dict[str, Any]) -> list[str] | None:
    """Per-token TRACK / ARTIST / O labels of a corpus utterance, from its slot values."""
    spans: list[tuple[int, int, str]] = []
    for key, label in (("track", "TRACK"), ("similar_to", "TRACK"), ("artist", "ARTIST")):
        value = slots.get(key)
        if not isinstance(value, str) or not re.search(r"[A-Za-z]", value) or value in (
                "current", "last", "penultimate"):
            continue
        found = original.lower().find(value.lower())
        if found < 0:
            return None  # a typo landed in the name: skip the utterance for the tagger
        spans.append((found, found + len(value), label))
    labels = []
    for _, start, end in tokens(original):
        inside = [lab for s, e, lab in spans if start >= s and end <= e]
        labels.append(inside[0] if inside else "O")
    return labels


class Understanding:
    """The trained classifiers. Build with ``Understanding.train(records)``."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        clauses = [r for r in records if len(r["parts"]) == 1]
        # each text cleaned once: the hand-written messages come three times over
        cleaned = {text: clean(text) for text in dict.fromkeys(r["text"] for r in clauses)}
        texts = [cleaned[r["text"]] for r in clauses]
        # the words the guards call seen are the templates' (and, for a feedback, those the
        # feedback models learned a sign from: ``feedback_vocabulary``); all the words of the
        # hand-written messages made two everyday sets record 2 feedbacks with the wrong sign
        templated = [t for t, r in zip(texts, clauses, strict=True) if not is_hand_written(r)]
        counts = Counter(w for t in templated for w in t.split(" ") if w.isalpha())
        self.vocabulary = frozenset(w for w, n in counts.items() if n >= 2)
        self._corrections: dict[str, str | None] = {}
        self._by_length: dict[int, list[str]] = {}
        for word in sorted(self.vocabulary):
            self._by_length.setdefault(len(word), []).append(word)
        # a clause is prepared two or three times a turn (intent, signal, marks): keep the
        # latest texts' results, emptied when full so memory stays bounded
        self._prepared: dict[str, str] = {}
        intents = [r["parts"][0]["intent"] for r in clauses]
        self.intent = _text_classifier().fit([_without_directions(t) for t in texts], intents)

        labelled = list(zip(texts, clauses, strict=True))

        def slot_examples(intent: str, slot: str, default: str | None = None
                          ) -> tuple[list[str], list[str]]:
            pairs = [(t, str(r["parts"][0]["slots"].get(slot, default))) for t, r in labelled
                     if r["parts"][0]["intent"] == intent]
            return [t for t, _ in pairs], [label for _, label in pairs]

        # the feedback models learn a track's sign from the templates and the hand-written
        # opinions (with the first 1,500 hand-written messages alone they moved a test-split
        # feedback to the wrong sign; with 3,400 the everyday sets read 17 more right and none
        # wrong: docs/NLU.md, sessions 22 and 23)
        feedback_texts, signals = slot_examples("feedback", "signal")
        feedback_texts = [_without_moods(t) for t in feedback_texts]
        # the words the feedback models learned a sign from: "ditch" is known from "ditch
        # the punk" (a recommend), yet the feedback models never saw it
        self.feedback_vocabulary = frozenset(w for t in feedback_texts for w in t.split(" "))
        # the words an opinion of a track said in the first person begins with ("i love",
        # "i'm sick of", "i'll pass"): "i argue with everyone" is none of them
        self.first_person_openings = frozenset(
            m.group(1) for t in feedback_texts if (m := _FIRST_PERSON.match(t)))
        self.signal = _text_classifier().fit(feedback_texts, signals)
        self.polarity = _text_classifier().fit(
            feedback_texts, ["positive" if s in POSITIVE_SIGNALS else "negative" for s in signals])
        self.criterion = _text_classifier().fit(*slot_examples("rerank", "criterion"))
        self.popularity = _text_classifier().fit(*slot_examples("recommend", "popularity", "none"))
        self.traits = self._trait_models(labelled)

        self.genre_vectors = DictVectorizer()
        mentions, polarity = self._mentions(clauses)
        self.genre_polarity = LogisticRegression(C=5.0, max_iter=2000).fit(
            self.genre_vectors.fit_transform(mentions), polarity)

        self.name_vectors = DictVectorizer()
        token_features, token_labels = self._name_examples(clauses)
        self.names = LogisticRegression(C=5.0, max_iter=3000).fit(
            self.name_vectors.fit_transform(token_features), token_labels)

    @staticmethod
    def _trait_models(labelled: list[tuple[str, dict[str, Any]]]) -> dict[str, Pipeline]:
        """Per trait, high / low / none from how people describe themselves ("i overthink
        everything", "my desk is a mess"): the statements that set traits, and a quarter of
        the hand-written messages of other intents and every request to see the profile as
        statements of no trait."""
        said = [(t, r["parts"][0]["slots"]) for t, r in labelled
                if r["parts"][0]["intent"] == "personality" and
                r["parts"][0]["slots"].get("action") == "set"]
        nothing = [t for t, r in labelled
                   if r["parts"][0]["intent"] != "personality" and is_hand_written(r)][::4] + [
            t for t, r in labelled if r["parts"][0]["slots"].get("action") == "show"]
        texts = [t for t, _ in said] + nothing
        return {trait: _text_classifier().fit(
            texts, [_trait_label(slots.get(trait)) for _, slots in said] + ["none"] * len(nothing))
            for trait in TRAITS}

    def traits_of(self, original: str) -> dict[str, str]:
        """The traits a description of oneself states ("high" or "low"), each only when its
        model is at least ``TRAIT_THRESHOLD`` sure."""
        text = clean(original)
        found = {}
        for trait, pipeline in self.traits.items():
            guess = _best(pipeline, text)
            if guess.label != "none" and guess.confidence >= TRAIT_THRESHOLD:
                found[trait] = guess.label
        return found

    @staticmethod
    def _mentions(clauses: list[dict[str, Any]]) -> tuple[list[dict[str, float]], list[str]]:
        features, labels = [], []
        for record in clauses:
            slots = record["parts"][0]["slots"]
            if record["parts"][0]["intent"] != "recommend":
                continue
            text = normalise(record["text"])
            for match in _GENRE.finditer(text):
                genre = lookup(GENRE_ALIASES, match.group())
                if genre in slots.get("include_genres", ()):
                    labels.append("include")
                elif genre in slots.get("exclude_genres", ()):
                    labels.append("exclude")
                else:
                    continue
                features.append(mention_features(text, *match.span()))
        return features, labels

    def _name_examples(self, clauses: list[dict[str, Any]]
                       ) -> tuple[list[dict[str, float]], list[str]]:
        examples = []
        for record in clauses:
            if is_hand_written(record):
                continue  # names are the templates' to teach (versions, "by", word dropout)
            per_token = _name_labels(record["text"], record["parts"][0]["slots"])
            if per_token is not None:
                examples.append(([w for w, _, _ in tokens(record["text"])], per_token))
        self.known_words = frozenset(w.lower() for words, labels in examples
                                     for w, label in zip(words, labels, strict=True)
                                     if label == "O")
        # the track names of the training messages, as the catalogue search reduces them
        self.track_names = frozenset(
            simplify(" ".join(w for w, label in zip(words, labels, strict=True)
                              if label == "TRACK"))
            for words, labels in examples if "TRACK" in labels)
        # words seen only inside a track or artist name ("drake", "queen" in lower case)
        self.name_words = frozenset(w.lower() for words, labels in examples
                                    for w, label in zip(words, labels, strict=True)
                                    if label != "O") - self.known_words
        rng = random.Random(WORD_DROPOUT_SEED)
        features, labels = [], []
        for words, per_token in examples:
            hidden = frozenset(i for i, label in enumerate(per_token)
                               if label == "O" and rng.random() < WORD_DROPOUT)
            features += [_token_features(words, i, self.known_words, hidden)
                         for i in range(len(words))]
            labels += per_token
        return features, labels

    # ------------------------------------------------------------ reading

    def _correct(self, word: str) -> str | None:
        """The training word a misspelt word most likely is ("awfuul" → "awful"), if any."""
        if not word.isalpha():  # a contraction is no typo ("i'll" is no "ill")
            return None
        if word not in self._corrections:
            # a real English word is no typo ("pleasant" is not "unpleasant" misspelt), and a
            # typo is one slip of the finger, no more ("dislikable" is not "likable")
            # (one slip keeps the length within one letter: only those words are compared)
            pool = [w for n in (len(word) - 1, len(word), len(word) + 1)
                    for w in self._by_length.get(n, ())]
            close = [w for w in difflib.get_close_matches(word, pool, n=3,
                                                          cutoff=SWAP_RATIO) if _typo_of(word, w)
                     ][:1] if len(word) >= 5 and word not in english_words() else []
            if not close and len(word) >= 5:  # "replaying" → "replay", "bops" → "bop"
                close = [form for form in inflections(word) if form in self.vocabulary][:1]
            if not close and len(word) >= 4:  # "icnredible" → "incredible"
                close = _opinion_typo(word)
            self._corrections[word] = close[0] if close else None
        return self._corrections[word]

    def prepare(self, original: str) -> str:
        """The classifier input: ``clean`` text with misspellings of known words put right."""
        prepared = self._prepared.get(original)
        if prepared is None:
            words = clean(original).split(" ")
            # a negator is never "corrected" into another word ("hardly" is no "hard")
            fixed = [w if not w.islower() or w in self.vocabulary or w in _NOT_WORDS
                     or w in negators() else (self._correct(w) or w) for w in words]
            prepared = mark_comparatives(mark_moods(mark_sentiment(
                mark_asks(mark_directions(mark_conversation(
                    " ".join(w for w in fixed if w not in _MARKS)))),
                known=self.vocabulary)))
            if len(self._prepared) >= PREPARED_CACHE:
                self._prepared.clear()
            self._prepared[original] = prepared
        return prepared

    def opinion_marks(self, original: str) -> set[str]:
        """The sentiment marks of a clause's opinion words: courtesy, fillers and stance
        adverbs ("please", "ok", "honestly") left out."""
        text = " ".join(w for w in self.prepare(original).split(" ") if w not in _MARKS)
        return set(mark_sentiment(text, NO_OPINION, self.vocabulary).split(" ")) & _MARKS

    def corrected(self, original: str) -> str:
        """The message with misspellings of known words put right, for VADER ("I don't
        disliike it" is read as "dislike")."""
        out = []
        for word in original.split(" "):
            core = word.strip(".,!?;:\"'").lower()
            if core.isalpha() and core not in self.vocabulary and is_negator(core) and \
                    core not in negators():  # "nver" is "never" to VADER too
                word = word.lower().replace(core, "never")
            elif core.isalpha() and len(core) >= 5 and core not in self.vocabulary:
                fixed = self._correct(core)
                if fixed:
                    word = word.lower().replace(core, fixed)
            out.append(word)
        return " ".join(out)

    def unknown_words(self, original: str) -> list[str]:
        """Words of a clause the model never saw in training and cannot correct; function
        words and intensifiers ("absolutely", "whereupon") are no opinion of their own."""
        return [w for w in self._content_words(original) if w not in self.vocabulary]

    def foreign_words(self, original: str) -> list[str]:
        """The common words of another language in a clause, when they are at least two and
        more than its English function words ("tira o 35 por favor"): a reading of such a
        message rests on the few English-looking words in it ("favor")."""
        words = re.findall(r"[^\W\d_]+", original.lower())
        foreign = [w for w in words if w in _FOREIGN]
        english = [w for w in words if w in ENGLISH_STOP_WORDS]
        return foreign if len(foreign) >= 2 and len(foreign) > len(english) else []

    def unseen_in_feedback(self, original: str) -> list[str]:
        """A clause's words when the feedback models never saw any of them, though other
        intents' training messages may hold them ("ditch #2": its sign would be a guess
        from the shape alone); else none."""
        words = self._content_words(original)
        return words if not any(w in self.feedback_vocabulary for w in words) else []

    def _content_words(self, original: str) -> list[str]:
        """A clause's words as the classifiers see them, less placeholders and marks,
        function words, intensifiers and negators ("nope", "nver": a negator is no opinion
        of its own)."""
        return [w for w in self.prepare(original).split(" ")
                if w.isalpha() and w.islower() and w not in _NOT_WORDS
                and w not in no_opinion_words() and not is_negator(w)]

    def signed_words_misread(self, original: str) -> list[str]:
        """Words the lexicons sign strongly that the typo corrector reads as a training word
        of another sign or none ("grating" as "grate"): a reading of them rests on a guess."""
        misread = []
        for word in clean(original).split(" "):
            if not word.isalpha() or not word.islower() or word in self.vocabulary or \
                    abs(mine := valence(word)) < KEPT_SIGN:
                continue
            fixed = self._correct(word)
            if fixed and not (abs(theirs := valence(fixed)) >= 1.0 and
                              (mine > 0) == (theirs > 0)):
                misread.append(word)
        return misread

    def opens_unlike_feedback(self, original: str) -> bool:
        """Whether a clause said in the first person goes on with a word no opinion of a
        track in training went on with ("i argue with everyone", "i get up early")."""
        opening = _FIRST_PERSON.match(self.prepare(original))
        return opening is not None and opening.group(1) not in self.first_person_openings

    def intent_of(self, original: str) -> Guess:
        return _best(self.intent, _without_directions(self.prepare(original)))

    def runner_up_intent(self, original: str) -> Guess:
        """The intent model's second choice for a clause."""
        probabilities = predict_proba(self.intent, self.prepare(original))
        second = int(probabilities.argsort()[-2])
        return Guess(str(self.intent.classes_[second]), float(probabilities[second]))

    def signal_of(self, original: str) -> tuple[Guess, Guess]:
        """The feedback signal and, from a separate model, whether it is positive or negative."""
        text = _without_moods(self.prepare(original))
        return _best(self.signal, text), _best(self.polarity, text)

    def criterion_of(self, original: str) -> Guess:
        return _best(self.criterion, self.prepare(original))

    def popularity_of(self, original: str) -> Guess:
        return _best(self.popularity, self.prepare(original))

    def genres_of(self, text: str) -> tuple[list[str], list[str], list[tuple[int, int]]]:
        """Genres to include and to exclude in a normalised text, and where they were said."""
        include: list[str] = []
        exclude: list[str] = []
        spans: list[tuple[int, int]] = []
        for match in _GENRE.finditer(text):
            genre = lookup(GENRE_ALIASES, match.group())
            side = str(predict_labels(self.genre_vectors, self.genre_polarity,
                                      [mention_features(text, *match.span())])[0])
            target = exclude if side == "exclude" else include
            if genre not in include and genre not in exclude:
                target.append(genre)
            spans.append(match.span())
        return include, exclude, spans

    def names_in(self, original: str) -> dict[str, tuple[str, int, int]]:
        """The track name and artist name said in a clause, as typed, with their spans."""
        found = tokens(original)
        if not found:
            return {}
        words = [w for w, _, _ in found]
        labels = predict_labels(self.name_vectors, self.names,
                                [_token_features(words, i, self.known_words)
                                 for i in range(len(words))])
        spans: dict[str, tuple[str, int, int]] = {}
        for label in ("TRACK", "ARTIST"):
            chosen = [i for i, lab in enumerate(labels) if lab == label]
            if not chosen:
                continue
            first = last = chosen[0]
            while last + 1 < len(labels) and labels[last + 1] == label:
                last += 1
            start, end = found[first][1], found[last][2]
            spans[label] = (original[start:end].strip(" ,?!\"'"), start, end)
        return spans


@lru_cache(maxsize=1)
def _opinion_words() -> dict[tuple[str, int], list[str]]:
    """The lexicon's clear opinion words by first letter and length."""
    index: dict[tuple[str, int], list[str]] = {}
    for word, score in sentiment_lexicon().items():
        if abs(score) >= 1.0 and word.isalpha() and word.islower():
            index.setdefault((word[0], len(word)), []).append(word)
    return index


def _opinion_typo(word: str) -> list[str]:
    """The opinion word a misspelt word most likely is ("awfull", "icnredible"): same first
    letter and one letter longer or shorter at most, so "unlovable" is no typo of "lovable"
    nor "detested" of "detest" (nor "amoral" of "moral")."""
    if word in sentiment_lexicon() or valence(word) or word in english_words():
        return []
    pool = [w for n in (len(word) - 1, len(word), len(word) + 1)
            for w in _opinion_words().get((word[0], n), []) if one_slip(word, w)]
    return [w for w in difflib.get_close_matches(word, pool, n=3, cutoff=SWAP_RATIO)
            if _typo_of(word, w)][:1]


def _typo_of(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` misspelt: one slip, close enough, or two letters swapped."""
    if not one_slip(typed, word):
        return False
    swapped = len(typed) == len(word) and sum(a != b for a, b in zip(typed, word,
                                                                     strict=True)) == 2
    return swapped or difflib.SequenceMatcher(None, typed, word).ratio() >= TYPO_RATIO


@lru_cache(maxsize=1)
def no_opinion_words() -> frozenset[str]:
    """English function words (scikit-learn's stop words, less the negating ones) and the
    intensifiers of VADER's booster list ("absolutely", "totally"): an unseen one says
    nothing about whether a track was liked."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    from vaderSentiment.vaderSentiment import BOOSTER_DICT

    boosters = {w for w, v in BOOSTER_DICT.items() if v > 0 and " " not in w}
    amounts = {"lot", "lots", "loads", "ton", "tons", "bunch", "bit", "tad",  # "a lot"
               "hundred", "hundreds", "thousand", "thousands", "million", "millions",
               "billion", "times", "ive", "w"}  # ("heard it a million times", "ive", "w/")
    # when: "into #1 lately", "all week", "on a sunday morning"
    times = {"lately", "recently", "today", "tonight", "yesterday", "tomorrow", "day", "days",
             "week", "weeks", "weekend", "month", "months", "year", "years", "night", "nights",
             "morning", "mornings", "evening", "afternoon", "hour", "hours", "minute", "minutes",
             "moment", "ages", "monday", "tuesday", "wednesday", "thursday", "friday",
             "saturday", "sunday", "summer", "winter", "spring", "autumn"}
    return frozenset((set(ENGLISH_STOP_WORDS) | boosters | amounts | times) - negators() - {
        "not", "no", "nor", "never", "nothing", "none", "nobody", "cannot", "without",
        "less", "least", "few", "fewer", "hardly", "barely", "scarcely", "against", "except",
        "off", "out", "again", "enough", "too", "more", "most", "much"})


@lru_cache(maxsize=1)
def trained() -> Understanding:
    """The model trained on the corpus's train split and the hand-written messages (see
    ``natural.py``), once per process; kept on disk (``cache_path``), so that a second
    start with the same code, corpus and libraries loads it instead of training again."""
    from .natural import training_records  # (it reads the corpus: not at import)

    path = cache_path()
    if path is not None and path.exists():
        try:
            with path.open("rb") as stored:
                model = pickle.load(stored)
            if isinstance(model, Understanding):
                return model
        except Exception as error:  # a cut or foreign file: train again and overwrite it
            _log.warning("ignoring the stored NLU model %s: %s", path, error)
    model = Understanding(training_records())
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as out:
                pickle.dump(model, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(out.name, path)
            for old in path.parent.glob("nlu-*.pickle"):  # models of earlier code or corpora
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError as error:  # a read-only home: train at every start, as before
            _log.warning("could not store the NLU model at %s: %s", path, error)
    return model


def cache_path() -> Path | None:
    """Where the trained model is kept: ``$TUNEMATE_NLU_CACHE`` (a folder; "off" keeps
    nothing), else ``$XDG_CACHE_HOME/tunemate`` or ``~/.cache/tunemate``. The file name is a
    digest of everything training depends on: the corpus, the hand-written messages, the
    reader's code (and the recommender's names and moods it reads) and the versions of
    Python and of the libraries it reads or trains with,
    so a change to any of them trains anew."""
    setting = os.environ.get("TUNEMATE_NLU_CACHE", "")
    if setting.lower() == "off":
        return None
    folder = Path(setting) if setting else Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tunemate"
    digest = hashlib.sha256(sys.version.encode())
    here = Path(__file__).parent
    for source in sorted([*here.glob("*.py"), *here.glob("*.jsonl"),
                          *(here.parent / "intent").glob("*.py"),
                          Path(simplify.__code__.co_filename),
                          Path(simplify.__code__.co_filename).with_name("mood.py")]):
        digest.update(source.name.encode() + source.read_bytes())
    for package in ("scikit-learn", "numpy", "scipy", "vaderSentiment", "afinn", "textblob"):
        try:
            digest.update(f"{package}={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(package.encode())
    return folder / f"nlu-{digest.hexdigest()[:24]}.pickle"
