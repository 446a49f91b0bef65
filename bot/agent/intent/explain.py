""""Why number 3?": which track the user wants explained."""

from __future__ import annotations

import re

from bot.agent.intent.context import Clarify, Context, Reading, ToolRequest
from bot.agent.intent.positions import (
    _BARE_NUMBER,
    _PRONOUN,
    _resolve_target,
    _track_id,
    find_position,
)
from bot.agent.intent.words import is_music_word, normalise

_EXPLAIN = re.compile(
    r"\b(?:why(?! not\b)|how come|explain|what makes|what's so special|reason for|"
    r"reasoning behind|breakdown|score (?:of|for)|tell me (?:more )?about)\b"
)
_EXPLAIN_NAME = (
    re.compile(
        r"\bwhy (?:did|do|would|'d) you (?:pick|choose|chose|recommend|suggest|include|add|"
        r"put|select|play|give me)\s+(?P<name>.+?)(?:\s+(?:here|there|in|on|for|to)\b.*)?$", re.I),
    re.compile(
        r"\bwhy (?:is|was|are) (?P<name>.+?)\s+(?:here|there|in|on|included|recommended|"
        r"suggested|picked|chosen|listed|so high|at the top)\b", re.I),
    re.compile(
        r"\b(?:explain|tell me (?:more )?about|what makes|what's so special about|"
        r"score (?:of|for))\s+(?P<name>.+?)"
        r"(?:\s+(?:so good|special|a good fit|fit|work|here|in|on|to me)\b.*)?$", re.I),
)
_BARE_WHY = re.compile(r"^(?:but |and |ok |so )?(?:why|how come|explain)\W*$")


def _explained_name(original: str, context: Context) -> str | None:
    for pattern in _EXPLAIN_NAME:
        match = pattern.search(original)
        if match:
            track = _resolve_target(normalise(match["name"]), match["name"], context)
            return None if track and is_music_word(track) else track
    return None


def read_explain(text: str, original: str, context: Context) -> Reading | None:
    if not _EXPLAIN.search(text):
        return None
    track = find_position(text, context) or _track_id(original)
    track = track or _explained_name(original, context)
    if not track and _PRONOUN.search(text):
        track = context.current_track()
    if not track and (bare := _BARE_NUMBER.search(text)):
        track = str(int(bare.group(1)))
    if not track and _BARE_WHY.match(text):
        track = context.current_track()
    if not track:
        return Clarify("Which track should I explain? Say, for example, \"why number 3?\".")
    return ToolRequest("explain", {"track": track})
