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


_YEAR = r"((?:19|20)\d\d)(?!\d|'?s\b)"
_DECADE_BOUND = r"(?:the\s+)?'?((?:19|20)?\d0)'?s\b"
_AFTER = r"(?:after|post|newer than|later than|past)"
_BEFORE = r"(?:before|until|till|up to|pre|older than|earlier than|prior to|through)"
_LATER = r"(?:\+|or (?:later|newer|after)|and (?:later|newer|after|up)|(?:and )?on(?:wards?)?)"
_EARLIER = r"(?:or (?:earlier|older|before)|and (?:earlier|older|before))"
_YEAR_RANGE = re.compile(rf"\b(?:from\s+|between\s+)?{_YEAR}\s*(?:-|–|to|and|until|till|"
                         rf"through)\s*{_YEAR}")
_DECADE_RANGE = re.compile(rf"\b(?:from\s+|between\s+)?{_DECADE_BOUND}\s*(?:-|–|to|and|or|&|"
                           rf"through|until|till)\s*{_DECADE_BOUND}")


def _decade_year(word: str) -> int:
    year = int(word)
    return year + (2000 if year <= 20 else 1900) if len(word) == 2 else year


# (which way, whether the year itself is in, whether it is a decade, pattern)
_YEAR_BOUNDS = tuple(
    (way, inclusive, decade, re.compile(pattern))
    for way, inclusive, decade, pattern in (
        ("after", True, False, rf"\bsince\s+{_YEAR}"),
        ("after", True, False, rf"\bfrom\s+{_YEAR}\s*{_LATER}(?!\w)"),
        ("after", False, False, rf"\b{_AFTER}[\s-]+{_YEAR}"),
        ("after", True, False, rf"\b{_YEAR}\s*{_LATER}(?!\w)"),
        ("after", True, True, rf"\b(?:since\s+|from\s+)?{_DECADE_BOUND}\s*{_LATER}(?!\w)"),
        ("after", True, True, rf"\bsince\s+{_DECADE_BOUND}"),
        ("after", False, True, rf"\b{_AFTER}[\s-]+{_DECADE_BOUND}"),
        ("before", True, False, rf"\b(?:up to|through|until|till)\s+{_YEAR}"),
        ("before", False, False, rf"\b{_BEFORE}[\s-]+{_YEAR}"),
        ("before", True, False, rf"\b{_YEAR}\s*{_EARLIER}"),
        ("before", True, True, rf"\b{_DECADE_BOUND}\s*{_EARLIER}"),
        ("before", False, True, rf"\b{_BEFORE}[\s-]+{_DECADE_BOUND}"),
    )
)
_BOUND_NEGATOR = re.compile(r"\b(?:nothing|no|not|none|never|don't|dont|without|avoid|skip|"
                            r"exclude|ban|nix|lose|ditch|cut)\b")


def _years(text: str) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """Release-year bounds: "from 2000 to 2005", "after 2010" (2011 on), "since 2010",
    "2015 or later", "before 2000" (to 1999), "up to 2005"; "nothing before 2015" is 2015
    on and "nothing after the 90s" up to 1999. A decade ("the 90s") bounds by all its years."""
    if match := _YEAR_RANGE.search(text):
        low, high = sorted((int(match.group(1)), int(match.group(2))))
        return {"min_year": low, "max_year": high}, [match.span()]
    if match := _DECADE_RANGE.search(text):  # "70s and 80s rock", "from the 80s to the 2000s"
        first, second = sorted(_decade_year(match.group(i)) for i in (1, 2))
        if first != second:
            return {"min_year": first, "max_year": second + 9}, [match.span()]
    bounds: dict[str, int] = {}
    spans: list[tuple[int, int]] = []
    for way, inclusive, decade, pattern in _YEAR_BOUNDS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in spans):
                continue
            word = match.group(1)
            year = int(word) + (2000 if int(word) <= 20 else 1900) if len(word) == 2 \
                else int(word)
            first, last = year, year + (9 if decade else 0)  # the years the word names
            negated = bool(_BOUND_NEGATOR.search(" ".join(text[: match.start()].split()[-4:])))
            if way == "after":
                low = first if inclusive else last + 1
                if negated:  # "nothing after 2010": up to 2010
                    bounds["max_year"] = low - 1
                else:
                    bounds["min_year"] = low
            else:
                high = last if inclusive else first - 1
                if negated:  # "nothing before 2015": 2015 on
                    bounds["min_year"] = high + 1
                else:
                    bounds["max_year"] = high
            spans.append(match.span())
    return bounds, spans


_COUNT_NOUN = r"(?:songs|tracks|tunes|recommendations|recs|picks|ones|options|bangers|jams|hits)"
_COUNT_PATTERNS = (
    re.compile(rf"\b(\d{{1,3}}|{_NUMBER_RE}|a dozen|a couple(?: of)?|a few|a handful(?: of)?)"
               rf"\s+(?:[a-z&'-]+\s+){{0,3}}?{_COUNT_NOUN}\b"),
    re.compile(rf"\b(?:top|just|only|give me|another)\s+(\d{{1,3}}|{_NUMBER_RE})\b"
               r"(?!\s*(?:bpm|'?s\b))"),
)
_COUNT_PHRASES = {"a dozen": 12, "a couple": 2, "a couple of": 2, "a few": 5, "a handful": 5,
                  "a handful of": 5}


# "top 40", "the top 100": a chart, not how many songs
CHART = re.compile(r"\b(?:top|hot)[\s-]*(?:40|forty|100|hundred)\b|\bbillboard\b")


def _count(text: str) -> tuple[int, tuple[int, int]] | None:
    charts = [m.span() for m in CHART.finditer(text)]
    for pattern in _COUNT_PATTERNS:
        for match in pattern.finditer(text):
            if any(s <= match.start(1) < e for s, e in charts):
                continue
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
    include: list[str] = []
    exclude: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _GENRE.finditer(text):  # (spans in the text as given)
        genre = lookup(GENRE_ALIASES, match.group())
        before = re.sub(r"\b(?:anything|everything|all) but\b", "except", text[: match.start()])
        clause = _CLAUSE_RESET.split(before)[-1]
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


_BPM = r"(\d{2,3})\s*(?:bpm|beats per minute)\b"
_FASTER = r"(?:over|above|more than|faster than|at least|min(?:imum)?|quicker than|higher than)"
_SLOWER = r"(?:under|below|less than|slower than|at most|max(?:imum)?|lower than|up to)"
_TEMPO_PATTERNS = (
    ("range", re.compile(rf"\b(?:between\s+|from\s+)?(\d{{2,3}})\s*(?:bpm\s*)?(?:and|to|-)\s*"
                         rf"{_BPM}")),
    ("min", re.compile(rf"\b{_FASTER}\s*{_BPM}")),
    ("max", re.compile(rf"\b{_SLOWER}\s*{_BPM}")),
    ("min", re.compile(r"\b(\d{2,3})\s*\+\s*(?:bpm|beats per minute)\b")),
    ("min", re.compile(rf"\b{_BPM}\s*(?:\+|or (?:more|faster|higher|above|over|quicker)|"
                       rf"and (?:up|above|over|faster))(?!\w)")),
    ("max", re.compile(rf"\b{_BPM}\s*(?:or (?:less|slower|lower|below|under)|and (?:below|"
                       rf"under|slower))\b")),
    ("min", re.compile(rf"\btempo\s+(?:of\s+)?{_FASTER}\s*(\d{{2,3}})\b")),
    ("max", re.compile(rf"\btempo\s+(?:of\s+)?{_SLOWER}\s*(\d{{2,3}})\b")),
    ("around", re.compile(rf"(?:\b(?:around|about|roughly|approx\w*|near|at)\s*)?\b{_BPM}")),
)
_TEMPO_NEGATOR = re.compile(r"\b(?:nothing|no|not|none|never|don't|dont|without|avoid|skip)\b")


def _tempo(text: str) -> tuple[dict[str, float], list[tuple[int, int]]]:
    for kind, pattern in _TEMPO_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        bpm = float(match.group(1))
        negated = bool(_TEMPO_NEGATOR.search(" ".join(text[: match.start()].split()[-3:])))
        if negated and kind in ("min", "max"):  # "nothing faster than 100 bpm": at most 100
            kind = "max" if kind == "min" else "min"
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
