"""What the classifiers see: text with its rule-read values replaced by placeholders.

Numbers, decades, tempos, list positions and genre names are read by rules (they are
closed vocabularies); the classifiers then see "i hate TRACKREF" or "no GENRE please", so
what they learn about a phrasing carries over to every position and every genre.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..intent.constraints import _DECADE_PATTERNS
from ..intent.words import _GENRE, _NUMBER_RE, _ORDINAL_RE, normalise

_REFERENCE = re.compile(
    r"\b(?:second|next)[\s-]+to[\s-]+last\b|\bpenultimate(?:\s+(?:one|song|track|tune))?\b"
    r"|\bthe\s+(?:very\s+)?(?:last|final)(?:\s+(?:one|song|track|tune))?\b"
    r"|\blast\s+(?:one|song|track|tune)\b|\bthe\s+top\s+(?:one|song|track|pick)\b"
    r"|\b(?:track|song|tune|pick|position|item|entry)(?:\s+number)?\s*#?\s*\d{1,3}\b"
    r"|\bnumber\s*#?\s*\d{1,3}\b|(?<!\w)#\s*\d{1,3}\b|\b\d{1,3}(?:st|nd|rd|th)\b"
    rf"|\b(?:number|track|song)\s+(?:{_NUMBER_RE})\b"
    rf"|\bthe\s+(?:{_ORDINAL_RE})(?:\s+(?:one|song|track|tune|pick))?\b"
    rf"|\b(?:{_ORDINAL_RE})\s+(?:one|song|track|tune)\b"
)
_TEMPO = re.compile(r"\b\d{2,3}\s*bpm\b")
_NUMBER = re.compile(r"\b\d+\b")


@dataclass(frozen=True)
class Mention:
    """A genre named in a clause, with the words around it."""

    genre: str
    start: int
    end: int


_REFERENCE_WORDS = ("track", "number", "song", "position", "second", "third", "fourth",
                    "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
                    "twelfth", "last", "first", "penultimate")


def fix_references(text: str) -> str:
    """Misspelt words that point at a list position ("trak 4", "the eigth") put right."""
    def fixed(match: re.Match[str]) -> str:
        word = match.group()
        if len(word) < 4 or word in _REFERENCE_WORDS or word.rstrip("s") in _REFERENCE_WORDS:
            return word
        cutoff = 0.8 if len(word) <= 6 else 0.86
        close = difflib.get_close_matches(word, _REFERENCE_WORDS, n=1, cutoff=cutoff)
        return close[0] if close else word
    return re.sub(r"[a-z]+", fixed, text)


def _vader_lexicon() -> dict[str, float]:
    """Word valences (-4 … 4) of the VADER lexicon, which ships inside its PyPI package."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    lexicon: dict[str, float] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2:
            try:
                lexicon[fields[0]] = float(fields[1])
            except ValueError:
                continue
    return lexicon


def _afinn_lexicon() -> dict[str, float]:
    """AFINN-165 (-5 … 5, 3,382 English words), shipped inside the ``afinn`` package."""
    text = resources.files("afinn").joinpath("data/AFINN-en-165.txt").read_text("utf-8")
    lexicon: dict[str, float] = {}
    for line in text.splitlines():
        word, _, score = line.rpartition("\t")
        if word and " " not in word:
            lexicon[word] = float(score)
    return lexicon


_POLARITY = re.compile(r'<word\b[^>]*\bform="([^"]+)"[^>]*\bpolarity="([-\d.]+)"'
                       r'[^>]*\bsubjectivity="([\d.]+)"')


def _adjective_lexicon() -> dict[str, float]:
    """Adjective polarities (-1 … 1) of the lexicon in TextBlob's package (its
    ``en-sentiment.xml``, read as data; TextBlob itself is not imported), averaged over
    each word's senses. Only opinion senses count (subjectivity above 0.5): "more" or
    "many" carry a polarity there but state no opinion."""
    text = resources.files("textblob").joinpath("en/en-sentiment.xml").read_text("utf-8")
    senses: dict[str, list[float]] = {}
    for word, polarity, subjectivity in _POLARITY.findall(text):
        if " " not in word and float(subjectivity) > 0.5:
            senses.setdefault(word.lower(), []).append(float(polarity))
    return {w: sum(p) / len(p) for w, p in senses.items()}


@lru_cache(maxsize=1)
def sentiment_lexicon() -> dict[str, float]:
    """Word valences on VADER's scale (-4 … 4): general knowledge of English sentiment that
    no template of ours has to spell out. VADER's own words first; words it lacks come from
    AFINN (scaled by 0.8) and then from TextBlob's adjectives (|polarity| ≥ 0.5, scaled by
    3), so "incredible", "mediocre" or "forgettable" carry a sign too."""
    lexicon = _vader_lexicon()
    for word, score in _afinn_lexicon().items():
        lexicon.setdefault(word, 0.8 * score)
    for word, polarity in _adjective_lexicon().items():
        if abs(polarity) >= 0.5:
            lexicon.setdefault(word, 3.0 * polarity)
    return lexicon


_NEGATOR = re.compile(r"^(?:not|no|never|nothing|hardly|less|isn't|wasn't|aren't|ain't|cannot|"
                      r"\w+n't)$")
_SCOPE = 3  # words after a negator that it turns around ("not very good")


# words of courtesy, fillers and stance adverbs carry no opinion of a track ("I'm sick of
# #11 please", "ok skip this one", "honestly #15 is mid")
NO_OPINION = frozenset({"please", "pls", "plz", "thanks", "thank", "thx", "cheers", "kindly",
                     "ok", "okay", "k", "yes", "yeah", "yep", "hey", "yo", "well", "sure",
                     "honestly", "actually", "literally", "seriously", "frankly", "tbh"})


_HEDGES = frozenset({"kind", "sort"})


def mark_sentiment(text: str, neutral: frozenset[str] = frozenset()) -> str:
    """Each clearly positive or negative word followed by LEXPOS or LEXNEG, or, within
    three words after a negator ("not good", "don't love"), by NOTPOS or NOTNEG; words in
    ``neutral`` are left unmarked."""
    lexicon = sentiment_lexicon()
    out: list[str] = []
    since_negator = _SCOPE + 1
    words = re.findall(r"[\w'&-]+|[^\w\s]", text)
    for i, word in enumerate(words):
        out.append(word)
        if word in _HEDGES and i + 1 < len(words) and words[i + 1] == "of":
            continue  # "kind of", "sort of": a hedge, not kindness
        if not word[0].isalnum() or word in ("but", "though", "although"):
            since_negator = _SCOPE + 1  # a negation ends with its clause
            continue
        if _NEGATOR.match(word) or word in _vader_negators():
            since_negator = 0
            continue
        since_negator += 1
        valence = 0.0 if word in neutral else lexicon.get(word, 0.0)
        if abs(valence) < 1.0 or not word.islower():
            continue
        turned = since_negator <= _SCOPE
        if valence > 0:
            out.append("NOTPOS" if turned else "LEXPOS")
        else:
            out.append("NOTNEG" if turned else "LEXNEG")
    return " ".join(out)


def has_negator(text: str) -> bool:
    """Whether a clause holds a negating word ("not", "never", "don't", VADER's list …)."""
    return any(_NEGATOR.match(w) or w in _vader_negators()
               for w in re.findall(r"[\w']+", text.lower()))


@lru_cache(maxsize=1)
def _analyser() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()
    # VADER's scoring and negation rules over the wider lexicon
    analyser.lexicon = dict(sentiment_lexicon())
    return analyser


def overall_sentiment(original: str) -> float:
    """VADER's compound score of a clause, -1 … 1: a reading independent of our corpus."""
    return float(_analyser().polarity_scores(original)["compound"])


def delexicalise(text: str) -> str:
    """A normalised text with positions, tempos, decades, genres and numbers as placeholders."""
    text = _REFERENCE.sub(" TRACKREF ", text)
    text = _TEMPO.sub(" BPM ", text)
    for pattern in _DECADE_PATTERNS:
        text = pattern.sub(" DECADE ", text)
    text = _GENRE.sub(" GENRE ", text)
    text = _NUMBER.sub(" NUM ", text)
    return re.sub(r"\s+", " ", text).strip()


MOOD_MARKS = ("MOODCALM", "MOODENERGY", "MOODHAPPY", "MOODSAD")
_TURNED = {"MOODCALM": "MOODENERGY", "MOODENERGY": "MOODCALM",
           "MOODHAPPY": "MOODSAD", "MOODSAD": "MOODHAPPY"}


@lru_cache(maxsize=1)
def mood_directions() -> dict[tuple[str, ...], str]:
    """Each mood word or phrase the recommender knows (``recommender.mood``: "sleepy",
    "peaceful", "hype", "wistful" …) → the direction it leans furthest from the middle:
    calmer or more energetic (its energy target), happier or sadder (its valence target)."""
    from recommender.mood import MOODS, SYNONYMS

    directions: dict[tuple[str, ...], str] = {}
    for word, mood in [(m, m) for m in MOODS] + list(SYNONYMS.items()):
        targets = MOODS[mood]
        energy = targets.get("energy", 0.5) - 0.5
        valence = targets.get("valence", 0.5) - 0.5
        if max(abs(energy), abs(valence)) < 0.1:
            continue
        if abs(energy) >= abs(valence):
            mark = "MOODENERGY" if energy > 0 else "MOODCALM"
        else:
            mark = "MOODHAPPY" if valence > 0 else "MOODSAD"
        directions[tuple(word.replace("-", " ").split())] = mark
    return directions


@lru_cache(maxsize=4096)
def _mood_of(word: str) -> str | None:
    """A mood word's direction, comparatives and superlatives included ("sleepier",
    "gentlest", "sadder" → "sleepy", "gentle", "sad")."""
    directions = mood_directions()
    candidates = [word]
    for suffix in ("ier", "iest"):
        if word.endswith(suffix):
            candidates.append(word[: -len(suffix)] + "y")
    for suffix in ("er", "est"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            candidates += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                candidates.append(stem[:-1])  # "sadder" → "sad"
    for candidate in candidates:
        if (candidate,) in directions:
            return directions[(candidate,)]
    if len(word) >= 6:  # a misspelt mood word ("melancholy" typed "mellancholy")
        close = difflib.get_close_matches(word, _mood_words(), n=1, cutoff=0.85)
        if close:
            return directions[(close[0],)]
    return None


@lru_cache(maxsize=1)
def _mood_words() -> list[str]:
    return [key[0] for key in mood_directions() if len(key) == 1 and len(key[0]) >= 5]


def mark_moods(text: str) -> str:
    """Each mood word followed by its direction (MOODCALM, MOODENERGY, MOODHAPPY,
    MOODSAD), turned around within three words after a negator or "less" ("less hype" →
    MOODCALM, "not so gloomy" → MOODHAPPY), so an ordering word the corpus never had still
    says which way it points."""
    words = text.split(" ")
    out: list[str] = []
    since_negator = _SCOPE + 1
    i = 0
    while i < len(words):
        word = words[i]
        pair = tuple(words[i:i + 2])
        mark = mood_directions().get(pair) if len(pair) == 2 else None
        step = 2 if mark else 1
        if mark is None and word.isalpha() and word.islower():
            mark = _mood_of(word)
        out += words[i:i + step]
        if not word or not word[0].isalnum() or word in ("but", "though", "although"):
            since_negator = _SCOPE + 1
        elif _NEGATOR.match(word) or word in _vader_negators():
            since_negator = 0
        else:
            since_negator += step
        if mark:
            out.append(_TURNED[mark] if since_negator <= _SCOPE else mark)
        i += step
    return " ".join(out)


def clean(original: str) -> str:
    """The classifier input for a clause as typed."""
    return mark_moods(mark_sentiment(delexicalise(fix_references(normalise(original)))))


_BOUNDARY = re.compile(r",|;|\bbut\b|\bjust\b|\bonly\b|\bplus\b|\bwith\b|\binstead\b")


def mention_features(text: str, start: int, end: int) -> dict[str, float]:
    """Features of one genre mention: nearby words and the words since the clause began."""
    left = re.findall(r"[\w'&-]+|,", text[:start])
    right = re.findall(r"[\w'&-]+|,", text[end:])
    features: dict[str, float] = {"bias": 1.0}
    for i, word in enumerate(reversed(left[-3:]), start=1):
        features[f"l{i}={word}"] = 1.0
    for i, word in enumerate(right[:2], start=1):
        features[f"r{i}={word}"] = 1.0
    clause = _BOUNDARY.split(text[:start])[-1]
    words = re.findall(r"[\w'&-]+", clause)
    for word in words:
        features[f"clause={word}"] = 0.5
    if any(word in negators() for word in words):
        features["negated_clause"] = 1.0
    if not clause.strip():
        features["clause_start"] = 1.0
    return features


@lru_cache(maxsize=1)
def _vader_negators() -> frozenset[str]:
    """VADER's own list of negating words ("none", "nope", "seldom", "without" …)."""
    from vaderSentiment.vaderSentiment import NEGATE

    return frozenset(NEGATE)


@lru_cache(maxsize=1)
def negators() -> frozenset[str]:
    """Words that turn what follows them down: VADER's list and a few of exclusion."""
    from vaderSentiment.vaderSentiment import NEGATE

    return frozenset(NEGATE) | {"no", "without", "except", "minus", "avoid", "less", "fewer",
                                "exclude", "excluding", "enough", "hate", "skip"}
