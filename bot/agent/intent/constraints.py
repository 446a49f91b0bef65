"""The hard constraints of a recommend request: decade, count, genres, popularity, tempo."""

from __future__ import annotations

import re

from bot.agent.intent.context import MAX_COUNT
from bot.agent.intent.words import (
    _GENRE,
    _NUMBER_RE,
    _NUMBER_WORDS,
    GENRE_ALIASES,
    _alternation,
    lookup,
)

OBSCURE_MAX_POPULARITY = 40.0
POPULAR_MIN_POPULARITY = 60.0
TEMPO_TOLERANCE = 10.0


_DECADE_WORDS = {
    "fifties": 1950, "sixties": 1960, "seventies": 1970, "eighties": 1980, "nineties": 1990,
    "noughties": 2000, "two thousands": 2000, "aughts": 2000, "twenty tens": 2010,
    "twenties": 2020,
}
_DECADE_WORDS_RE = _alternation(list(_DECADE_WORDS))
_DECADE_PATTERNS = (
    re.compile(r"(?:\b(?:early|late|mid)[\s-]*)?(?:\bthe\s+)?'?\b((?:19|20)\d0|\d0)'?s\b"),
    re.compile(rf"(?:\b(?:early|late|mid)[\s-]*)?(?:\bthe\s+)?\b({_DECADE_WORDS_RE})\b"),
    re.compile(r"\b(?:from|in|of|released in|around|circa|year)\s+((?:19|20)\d\d)\b"),
)


def _decade(text: str) -> tuple[int, tuple[int, int]] | None:
    """The decade a text names ("90s", "the eighties", "from 1995" → 1990) and its span."""
    for pattern in _DECADE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        word = match.group(1)
        if word in _DECADE_WORDS:
            return _DECADE_WORDS[word], match.span()
        year = int(word)
        if year < 100:  # two digits: 00s–20s are this century, 30s–90s the last one
            year += 2000 if year <= 20 else 1900
        return year - year % 10, match.span()
    return None


_COUNT_NOUN = r"(?:songs|tracks|tunes|recommendations|recs|picks|ones|options|bangers|jams|hits)"
_COUNT_PATTERNS = (
    re.compile(rf"\b(\d{{1,3}}|{_NUMBER_RE}|a dozen|a couple(?: of)?|a few|a handful(?: of)?)"
               rf"\s+(?:[a-z&'-]+\s+){{0,3}}?{_COUNT_NOUN}\b"),
    re.compile(rf"\b(?:top|just|only|give me|another)\s+(\d{{1,3}}|{_NUMBER_RE})\b"
               r"(?!\s*(?:bpm|'?s\b))"),
)
_COUNT_PHRASES = {"a dozen": 12, "a couple": 2, "a couple of": 2, "a few": 5, "a handful": 5,
                  "a handful of": 5}


def _count(text: str) -> tuple[int, tuple[int, int]] | None:
    for pattern in _COUNT_PATTERNS:
        match = pattern.search(text)
        if match:
            word = match.group(1)
            n = int(word) if word.isdigit() else _NUMBER_WORDS.get(word) or _COUNT_PHRASES[word]
            return max(1, min(n, MAX_COUNT)), match.span(1)
    return None


_NEGATOR = re.compile(
    r"\b(?:no|not|without|except|minus|avoid|skip|nothing|none|hate|dislike|don't|do not|"
    r"never|ban|exclude|excluding|less|zero|other than|besides|instead of)\b"
)
_CLAUSE_RESET = re.compile(r",|\bbut\b|\bjust\b|\bonly\b|\binstead\b|\brather\b|\bwith\b|\bplus\b")


def _genres(text: str) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """Genres to include and to exclude ("rock but no metal"), and where they were said."""
    text = re.sub(r"\b(?:anything|everything|all) but\b", "except", text)
    include: list[str] = []
    exclude: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _GENRE.finditer(text):
        genre = lookup(GENRE_ALIASES, match.group())
        clause = _CLAUSE_RESET.split(text[: match.start()])[-1]
        target = exclude if _NEGATOR.search(clause) else include
        if genre not in include and genre not in exclude:
            target.append(genre)
        spans.append(match.span())
    return include, exclude, spans


_OBSCURE = re.compile(
    r"\b(?:obscure|underground|hidden gems?|lesser[\s-]known|less[\s-]known|little[\s-]known|"
    r"deep cuts?|niche|unknown|undiscovered|under the radar|(?:not|nothing) (?:too |very |so )?"
    r"(?:popular|mainstream|famous|well[\s-]known)|non[\s-]mainstream|less popular)\b"
)
_POPULAR = re.compile(
    r"\b(?:popular|hits|mainstream|well[\s-]known|famous|chart[\s-]?toppers?|top 40|"
    r"chart|charting|bangers|crowd[\s-]pleasers?)\b"
)


def _popularity(text: str) -> tuple[dict[str, float], list[tuple[int, int]]]:
    if spans := [m.span() for m in _OBSCURE.finditer(text)]:
        return {"max_popularity": OBSCURE_MAX_POPULARITY}, spans
    if spans := [m.span() for m in _POPULAR.finditer(text)]:
        return {"min_popularity": POPULAR_MIN_POPULARITY}, spans
    return {}, []


_BPM = r"(\d{2,3})\s*bpm\b"
_TEMPO_PATTERNS = (
    ("range", re.compile(rf"\b(?:between\s+|from\s+)?(\d{{2,3}})\s*(?:bpm\s*)?(?:and|to|-)\s*"
                         rf"{_BPM}")),
    ("min", re.compile(rf"\b(?:over|above|more than|faster than|at least|min(?:imum)?)\s*{_BPM}")),
    ("max", re.compile(rf"\b(?:under|below|less than|slower than|at most|max(?:imum)?)\s*{_BPM}")),
    ("around", re.compile(rf"(?:\b(?:around|about|roughly|approx\w*|near|at)\s*)?\b{_BPM}")),
)


def _tempo(text: str) -> tuple[dict[str, float], list[tuple[int, int]]]:
    for kind, pattern in _TEMPO_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        bpm = float(match.group(1))
        if kind == "range":
            low, high = sorted((bpm, float(match.group(2))))
            bounds = {"min_tempo": low, "max_tempo": high}
        elif kind == "min":
            bounds = {"min_tempo": bpm}
        elif kind == "max":
            bounds = {"max_tempo": bpm}
        else:
            bounds = {"min_tempo": bpm - TEMPO_TOLERANCE, "max_tempo": bpm + TEMPO_TOLERANCE}
        return bounds, [match.span()]
    return {}, []
