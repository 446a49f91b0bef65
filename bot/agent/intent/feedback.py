"""Feedback on a track: which signal (like, skip, save …) and which track."""

from __future__ import annotations

import re

from bot.agent.intent.constraints import _decade
from bot.agent.intent.context import Context, ToolRequest
from bot.agent.intent.positions import _PRONOUN, _clean_name, _track_id, find_position
from bot.agent.intent.rerank import _comparative
from bot.agent.intent.words import _GENRE, _MOOD, is_music_word

_SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (signal, re.compile(pattern))
    for signal, pattern in (
        ("add_to_playlist", r"\b(?:add|put|stick|throw)\b.*\bplaylist\b|\bplaylist (?:it|that)\b"),
        ("save", r"\b(?:save|saved|bookmark|favourite|favorite|star)\b"),
        ("repeat", r"\bon repeat\b|\b(?:replay|replayed|repeat|repeating)\b|\bover and over\b|"
                   r"\b(?:play|hear)\b.*\bagain\b"),
        ("played_through", r"\b(?:all the way through|to the end|played (?:it |that )?through|"
                           r"listened (?:to )?(?:it |that )?(?:all the way )?through|"
                           r"finished (?:it|that|listening)|the whole (?:thing|song|track|way))\b"),
        ("dislike", r"\b(?:hate|hated|dislike|disliked|don't like|do not like|didn't like|"
                    r"not a fan|can't stand|cannot stand|awful|terrible|not good|no good|"
                    r"boring|sucks|thumbs down|not for me|annoying|not into)\b|👎|🤮"),
        ("like", r"\b(?:love|loved|loving|like|liked|enjoy|enjoyed|dig|adore|great|awesome|"
                 r"amazing|fantastic|nice|good|banger|fire|thumbs up|into|favourite|perfect|"
                 r"brilliant|beautiful|lovely|excellent|incredible|gorgeous)\b|🔥|❤|👍|😍"),
        ("skip", r"\b(?:skip|skipped|skipping|pass on|not now|not feeling)\b|^next\b(?! to)"),
    )
)
_STANDS_ALONE = {"skip", "save", "add_to_playlist", "repeat", "played_through"}
_QUOTED = re.compile(r"\"([^\"]+)\"|(?<!\w)'([^']+)'(?!\w)")
_WANTING = re.compile(r"\b(?:would|'d|i'd) (?:like|love)\b")
_CAPITALISED_OBJECT = re.compile(
    r"\b(?:love|like|hate|dislike|enjoy|adore|skip|save|replay)\s+"
    r"(?P<name>[A-Z0-9][\w'&.-]*(?:\s+(?:[A-Z0-9][\w'&.-]*|by|of|the|a|in|on|my))*)"
)


def _signal(text: str) -> str | None:
    text = _WANTING.sub("want", text)
    return next((signal for signal, pattern in _SIGNALS if pattern.search(text)), None)


def _named_track(original: str) -> str | None:
    quoted = _QUOTED.search(original)
    if quoted:
        return (quoted.group(1) or quoted.group(2)).strip()
    match = _CAPITALISED_OBJECT.search(original)
    if not match or is_music_word(match["name"]):
        return None
    return _clean_name(match["name"])


def read_feedback(text: str, original: str, context: Context) -> ToolRequest | None:
    signal = _signal(text)
    if not signal:
        return None
    track = find_position(text, context) or _track_id(original) or _named_track(original)
    talks_music = bool(_GENRE.search(text) or _MOOD.search(text) or _decade(text) or
                       _comparative(text))
    if not track and not talks_music and _PRONOUN.search(text):
        track = context.current_track()
    if not track and not talks_music and signal in _STANDS_ALONE and len(text.split()) <= 6:
        track = context.current_track()
    if not track:
        return None
    return ToolRequest("feedback", {"track": track, "signal": signal})
