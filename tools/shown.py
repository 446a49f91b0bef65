"""Finding a track the user points at: by position, by name, or by id.

The list on screen is the session's ``shown`` list. A reference that matches nothing is an
error the tool reports in words; a track is never made up.
"""

from __future__ import annotations

import re
from typing import Any

from store import chat
from tools.context import ChatContext

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "last": -1,
}


class TrackNotFound(LookupError):
    pass


async def shown_tracks(ctx: ChatContext) -> tuple[list[dict[str, Any]], str]:
    return await chat.shown(ctx.services.pool, ctx.session_id)


def resolve(tracks: list[dict[str, Any]], reference: str) -> dict[str, Any]:
    """The track of the list that ``reference`` names (position, ordinal, name or id)."""
    ref = reference.strip().lower().lstrip("#")
    if not tracks:
        raise TrackNotFound("there is no list yet: ask for some recommendations first")
    position: int | None = None
    if re.fullmatch(r"-?\d+", ref):
        position = int(ref)
    elif ref in _ORDINALS:
        position = _ORDINALS[ref]
    if position is not None:
        if position == -1:
            return tracks[-1]
        if 1 <= position <= len(tracks):
            return tracks[position - 1]
        raise TrackNotFound(f"the list has {len(tracks)} tracks, so there is no number {position}")
    for track in tracks:
        if track["track_id"].lower() == ref:
            return track
    named = [t for t in tracks if t["name"].lower() == ref]
    if not named:
        named = [t for t in tracks if ref and ref in t["name"].lower()]
    if named:
        return named[0]
    raise TrackNotFound(f"no track called '{reference}' is in your current list")
