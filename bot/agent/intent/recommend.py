"""A recommend request: its constraints, the mood text left over, and "more like …"."""

from __future__ import annotations

import re
from typing import Any

from bot.agent.intent.constraints import (
    _NEGATOR,
    _count,
    _decade,
    _genres,
    _popularity,
    _tempo,
    _years,
)
from bot.agent.intent.context import Context, ToolRequest
from bot.agent.intent.positions import _resolve_target
from bot.agent.intent.words import _MOOD, normalise

_SIMILAR = re.compile(
    r"\b(?:(?:more|songs?|tracks?|something|stuff|anything|music|ones?|others?|tunes?|some)"
    r"\s+(?:just\s+)?(?:like|similar to)|similar to|in the style of|same vibe as|"
    r"sounds? like|along the lines of)\s+(?P<target>.+)$",
    re.I,
)
_TARGET_END = re.compile(r"\s+(?:but|without|with no|except|from the|please)\b.*$|\s*,.*$", re.I)


def read_similar(text: str, original: str, context: Context) -> tuple[str, str] | None:
    """The track a "more like …" request points at, and the text left once it is removed."""
    match = _SIMILAR.search(original) or _SIMILAR.search(text)
    if not match:
        return None
    raw = _TARGET_END.sub("", match["target"])
    target = _resolve_target(normalise(raw), raw, context)
    if not target:
        return None
    rest = original[: match.start()] + " " + match["target"][len(raw):]
    return target, normalise(rest)


_ASKS_FOR_MUSIC = re.compile(
    r"\b(?:recommend|suggest|play|give me|show me|find|get me|put on|queue|spin|want|need|"
    r"looking for|in the mood for|how about|can i (?:get|have)|let's hear|new list|fresh list|"
    r"refresh|another list|start over|different|something|anything|songs?|tracks?|music|"
    r"tunes|playlist|jams|more)\b"
)
_FILLER = frozenset(
    (
    "please", "can", "could", "would", "you", "me", "i", "i'm", "want", "to", "need", "give",
    "play", "recommend", "suggest", "find", "show", "get", "put", "on", "a", "an", "the",
    "some", "something", "anything", "songs", "song", "tracks", "track", "music", "tunes",
    "stuff", "of", "from", "in", "for", "with", "and", "or", "but", "just", "only", "that",
    "is", "are", "listen", "hear", "new", "list", "now", "then", "also", "maybe", "hey",
    "tunemate", "let's", "lets", "us", "by", "made", "released", "era", "genre", "kind",
    "type", "ones", "like", "more", "few", "looking", "how", "about", "what", "thanks",
    "thank", "any", "really", "mood",
    )
)
_TRAILING_ONLY = frozenset(("no", "not", "without", "except", "don't", "do"))
_BEFORE_CUT = re.compile(rf"(?:(?:{_NEGATOR.pattern}|\bany\b|\bmore\b|\bthe\b|\bsome\b)\s*)+(?=\|)")


def _request_text(text: str, spans: list[tuple[int, int]]) -> str:
    """The mood and free text left once the hard constraints are cut out of the message."""
    marked, cut_from = text, len(text)
    for start, end in sorted(spans, reverse=True):
        if end <= cut_from:  # overlapping spans were already cut with the longer one
            marked, cut_from = marked[:start] + " | " + marked[end:], start
    marked = _BEFORE_CUT.sub(" ", marked)
    pieces = []
    for piece in re.split(r"\s*[|,;.!?]+\s*", marked):
        words = piece.split()
        while words and (words[0] in _FILLER):
            words.pop(0)
        while words and (words[-1] in _FILLER or words[-1] in _TRAILING_ONLY):
            words.pop()
        if words:
            pieces.append(" ".join(words))
    return ", ".join(pieces)


def read_recommend(text: str, similar_to: str | None = None) -> ToolRequest | None:
    args: dict[str, Any] = {}
    spans: list[tuple[int, int]] = []
    if (count := _count(text)) is not None:
        args["count"], span = count
        spans.append(span)
    years, year_spans = _years(text)
    args |= years
    spans += year_spans
    blanked = text  # a year said as a bound is no decade ("nothing before 2015")
    for start, end in year_spans:
        blanked = blanked[:start] + " " * (end - start) + blanked[end:]
    if (decade := _decade(blanked)) is not None:
        args["decade"], span = decade
        spans.append(span)
    include, exclude, genre_spans = _genres(text)
    args |= {k: v for k, v in (("include_genres", include), ("exclude_genres", exclude)) if v}
    popularity, pop_spans = _popularity(text)
    tempo, tempo_spans = _tempo(text)
    args |= popularity | tempo
    if similar_to:
        args["similar_to"] = similar_to
    spans += genre_spans + pop_spans + tempo_spans
    if not args and not _MOOD.search(text) and not _ASKS_FOR_MUSIC.search(text):
        return None
    return ToolRequest("recommend", {"request": _request_text(text, spans), **args})
