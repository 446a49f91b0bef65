"""Which track a text points at: a list position, a Spotify id, a name, or "that one"."""

from __future__ import annotations

import re

from bot.agent.intent.context import Context
from bot.agent.intent.words import _NUMBER_RE, _NUMBER_WORDS, _ORDINAL_RE, _ORDINALS, lookup

_TRACK_NOUN = r"(?:number|track|song|tune|pick|position|item|entry|recommendation|rec|no)"
_POSITION_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:second|next)[\s-]+to[\s-]+last\b|\bpenultimate\b"
                r"|\bone\s+before\s+(?:the\s+)?last\b"), "penultimate"),
    (re.compile(r"\bthe\s+(?:very\s+)?(?:last|final)\b"
                r"|\b(?:last|final)\s+(?:one|song|track|tune)\b"), "last"),
    (re.compile(r"\bthe\s+top\s+(?:one|song|track|pick)\b"), "top"),
    (re.compile(rf"\b{_TRACK_NOUN}\s*#?\s*(\d{{1,3}})\b"), "digits"),
    (re.compile(r"(?<!\w)#\s*(\d{1,3})\b"), "digits"),
    (re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b"), "digits"),
    (re.compile(rf"\b{_TRACK_NOUN}\s+({_NUMBER_RE})\b"), "number_word"),
    (re.compile(rf"\b({_ORDINAL_RE})\b(?!\s+(?:of all|time|thing))"), "ordinal"),
)
# "that one", "this song", "it" — but not "that's great" or "this is nice", which are as
# often about the reply as about a track.
_PRONOUN = re.compile(
    r"\b(?:that|this|it)(?:\s+(?:one|song|track|tune))?\b"
    r"(?!'s|\s+(?:is|was|kind|sort|type|style|genre|vibe|mood|list|playlist|sequence|order|"
    r"lineup|queue|setlist|selection|mix|lot)\b)"
)
_BARE_NUMBER = re.compile(r"(?<![\w.#])(\d{1,2})(?![\w.%]|\s*(?:bpm|songs|tracks|s\b|times\b|"
                          r"x\b|minutes\b|mins\b|hours\b|days\b|seconds\b|secs\b|years\b))")
_TRACK_ID = re.compile(
    r"\b(?:id\s+)?([A-Za-z0-9]{22})\b|\bid\s*[:#]\s*([\w-]+)|\bid\s+([\w-]*\d[\w-]*)|"
    # a catalogue id named as a track ("explain track demo7000009170")
    r"\b(?:track|song)\s+([A-Za-z]+[0-9a-f]*\d{6,})\b", re.I
)


def find_position(text: str, context: Context) -> str | None:
    """The list position a text names ("the third one", "#4", "the last one"), if any."""
    for pattern, kind in _POSITION_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        if kind == "penultimate":
            return str(max(context.last_position() - 1, 1))
        if kind == "last":
            return str(context.last_position())
        if kind == "top":
            return "1"
        word = match.group(1)
        if kind == "digits":
            return str(int(word)) if int(word) > 0 else None
        table = _NUMBER_WORDS if kind == "number_word" else _ORDINALS
        return str(lookup(table, word))
    return None


_ONE_ITEM = (rf"(?:{_TRACK_NOUN}\s*#?\s*|#\s*)?(?:\d{{1,3}}(?:st|nd|rd|th)?\b|"
             rf"(?:{_ORDINAL_RE})\b)")
_SEVERAL = re.compile(rf"(?<![\w.])(?P<items>{_ONE_ITEM}(?:\s*(?:,\s*and|,|&|\+|and|or)\s*"
                      rf"{_ONE_ITEM})+)")
_ITEM = re.compile(rf"(\d{{1,3}})|({_ORDINAL_RE})")
_ENDS = re.compile(rf"\b(?P<end>first|top|last|final)\s+(?P<n>\d{{1,2}}|{_NUMBER_RE})"
                   r"(?!\s*(?:bpm|%|percent|years?|decades?))\b")


def several_positions(text: str, context: Context) -> list[str]:
    """The list positions a text names together ("4 and 5", "#3, #7 and #9", "the 2nd and
    4th", "the first two", "the last three"), in order; empty when it names fewer than two."""
    last = context.last_position()
    found: list[int] = []
    for match in _SEVERAL.finditer(text):
        for digits, ordinal in _ITEM.findall(match["items"]):
            found.append(int(digits) if digits else int(lookup(_ORDINALS, ordinal)))
    if not found:
        for match in _ENDS.finditer(text):
            n = match["n"]
            count = int(n) if n.isdigit() else int(lookup(_NUMBER_WORDS, n))
            if 2 <= count <= min(10, last):
                start = 1 if match["end"] in ("first", "top") else last - count + 1
                found.extend(range(start, start + count))
    positions = list(dict.fromkeys(p for p in found if 0 < p <= last))
    return [str(p) for p in positions] if len(positions) >= 2 else []


def _track_id(original: str) -> str | None:
    match = _TRACK_ID.search(original)
    if not match:
        return None
    found = match.group(1) or match.group(2) or match.group(3) or match.group(4)
    # A 22-character token must mix letters and digits to look like a Spotify id.
    if match.group(1) and not (re.search(r"\d", found) and re.search(r"[A-Za-z]", found)):
        return None
    return found


def _clean_name(name: str) -> str:
    name = re.sub(r"^(?:the\s+)?(?:song|track|tune)\s+", "", name.strip(), flags=re.I)
    name = re.sub(r"\s+(?:please|pls|again|for me|so much)$", "", name, flags=re.I)
    return name.strip(" \t\"'?!.,")


def _resolve_target(target: str, original_target: str, context: Context) -> str | None:
    """A track reference: a position, "that one" (the current track), or a name."""
    position = find_position(target, context)
    if position:
        return position
    if _PRONOUN.fullmatch(target.strip(" ?!.,")):
        return context.current_track()
    name = _clean_name(original_target)
    return name or None
