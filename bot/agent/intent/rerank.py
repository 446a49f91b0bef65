"""Re-ordering the current list: comparatives ("calmer") and "sort by …"."""

from __future__ import annotations

import re

from bot.agent.intent.constraints import _decade
from bot.agent.intent.context import ToolRequest
from bot.agent.intent.words import _GENRE, GENRE_ALIASES, lookup

_RERANK_CRITERIA: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (criterion, re.compile(pattern))
    for criterion, pattern in (
        ("calmer", r"\b(?:calmer|chiller|mellower|softer|quieter|gentler|slower|"
                   r"more (?:chill|calm|relaxed|relaxing|mellow|laid[\s-]back|peaceful|soothing)|"
                   r"less (?:energetic|intense|upbeat|loud|hype|aggressive|busy|energy)|"
                   r"tone it down|calm (?:it|things) down|chill (?:it|things) (?:out|down)|"
                   r"slow (?:it|things) down|bring (?:it|the energy) down|wind down)\b"),
        ("more_energetic", r"\b(?:more (?:energetic|upbeat|energy|intense|lively|hype|pumped|"
                           r"powerful|exciting)|livelier|faster|louder|harder|peppier|punchier|"
                           r"less (?:calm|chill|mellow|sleepy|slow|boring)|pump it up|amp it up|"
                           r"turn it up|kick it up|speed (?:it|things) up|liven (?:it|things) up|"
                           r"step it up|crank it up)\b"),
        ("happier", r"\b(?:happier|cheerier|brighter|sunnier|more (?:happy|cheerful|positive|"
                    r"uplifting|joyful|fun)|less (?:sad|gloomy|depressing|dark|melancholic|"
                    r"melancholy|moody)|cheer (?:it|me|things) up|lighten (?:it|things) up)\b"),
        ("sadder", r"\b(?:sadder|darker|gloomier|moodier|more (?:sad|melancholic|melancholy|"
                   r"emotional|depressing|somber|sombre|moody|dark)|less (?:happy|cheerful|"
                   r"positive))\b"),
        ("more_acoustic", r"\b(?:more acoustic|less electronic|fewer synths|less synth|"
                          r"unplugged|more organic)\b"),
        ("more_danceable", r"\b(?:more (?:danceable|dancey|dancy|groovy|dance)|groovier|"
                           r"dancier|funkier)\b"),
        ("less_popular", r"\b(?:less (?:popular|mainstream|known|famous|obvious)|"
                         r"more (?:obscure|underground|niche|unknown)|deeper cuts|fewer hits)\b"),
        ("more_popular", r"\b(?:more (?:popular|mainstream|famous|well[\s-]known|hits)|"
                         r"better[\s-]known|less (?:obscure|niche|underground)|bigger hits)\b"),
    )
)
_SORT_BY = re.compile(
    r"\b(?:sort|order|rank|rerank|re-rank|arrange|organi[sz]e)\s+(?:it\s+|them\s+|the list\s+|"
    r"this\s+|my list\s+)?by\b|\b(?:prioriti[sz]e|favou?r|boost)\b|\bfirst\b|\bon top\b|"
    r"\bto the top\b|^(?:more|some more)\s+"
)
_SORT_WORDS = {
    "energy": "more_energetic", "popularity": "more_popular", "danceability": "more_danceable",
    "acousticness": "more_acoustic", "happiness": "happier", "calmness": "calmer",
}


def _comparative(text: str) -> str | None:
    return next((c for c, pattern in _RERANK_CRITERIA if pattern.search(text)), None)


def read_rerank(text: str) -> ToolRequest | None:
    criterion = _comparative(text)
    if criterion:
        return ToolRequest("rerank", {"criterion": criterion})
    if not _SORT_BY.search(text) or re.search(r"\bno more\b", text):
        return None
    for word, sorted_criterion in _SORT_WORDS.items():
        if re.search(rf"\b{word}\b", text):
            return ToolRequest("rerank", {"criterion": sorted_criterion})
    decade = _decade(text)
    if decade:
        return ToolRequest("rerank", {"criterion": "decade", "decade": decade[0]})
    genre = _GENRE.search(text)
    if genre:
        return ToolRequest("rerank", {"criterion": "genre",
                                      "genre": lookup(GENRE_ALIASES, genre.group())})
    return None
