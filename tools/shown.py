"""Finding a track the user points at: by position, by name, or by id.

The list on screen is the session's ``shown`` list. A reference that matches nothing is an
error the tool reports in words; a track is never made up.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from recommender.search import find_by_name, simplify
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
    if of := _ARTIST_REFERENCE.fullmatch(reference.strip()):
        return _by_artist(tracks, of["who"])
    wanted = simplify(reference)
    title, by, artist = reference.rpartition(" by ")
    named = [t for t in tracks if simplify(t["name"]) == wanted]
    if not named and by and title.strip():
        named = [t for t in tracks if simplify(t["name"]) == simplify(title)
                 and simplify(artist) in simplify(t["artists"])]
    if not named:
        named = [t for t in tracks if wanted and wanted in simplify(t["name"])]
    if named:
        return named[0]
    raise TrackNotFound(f"no track called '{reference}' is in your current list")


# "the weeknd song", "that Lizzo track": a track of the list named by its artist
_ARTIST_REFERENCE = re.compile(r"(?:the|that|this)\s+(?P<who>.+?)\s+"
                               r"(?:song|one|track|tune|number|jam|record)", re.I)


def _by_artist(tracks: list[dict[str, Any]], who: str) -> dict[str, Any]:
    of_artist = [t for t in tracks if _artist_key(who) in
                 {_artist_key(a) for a in re.split(r",\s*|\s+&\s+|\s+feat\.?\s+", t["artists"])}]
    if len(of_artist) == 1:
        return of_artist[0]
    if of_artist:
        where = ", ".join(f"#{t['position']}" for t in of_artist[:6])
        raise TrackNotFound(f"{len(of_artist)} tracks of your list are by "
                            f"{of_artist[0]['artists']} ({where}); which one do you mean?")
    raise TrackNotFound(f"There is no track by {who} in your current list.")


def _artist_key(name: str) -> str:
    key = simplify(name)
    return key[4:] if key.startswith("the ") else key


def tracks_named(reference: str) -> bool:
    """Whether a reference is a name (not a position or an id) that the catalogue may have."""
    ref = reference.strip().lower().lstrip("#")
    return bool(ref) and not re.fullmatch(r"-?\d+", ref) and ref not in _ORDINALS and \
        not _ARTIST_REFERENCE.fullmatch(ref)  # "the weeknd song" names one on the list


async def catalogue_track(ctx: ChatContext, reference: str) -> dict[str, Any]:
    """A track named by the user that is not in their list, looked up in the whole catalogue.

    Raises ``TrackNotFound`` saying so, with the closest names, when the catalogue has no
    such name (or when the reference is a position, which only the list can answer)."""
    if not tracks_named(reference):
        raise TrackNotFound(f"there is no track '{reference}' in your current list")
    catalog = ctx.services.catalog
    match = await asyncio.to_thread(find_by_name, catalog, reference)
    if not match.rows:
        near = "; ".join(f"\"{catalog.names[r]}\" by {catalog.artists[r]}"
                         for r in match.closest)
        raise TrackNotFound(f"There is no track called \"{reference}\" in your list or in the "
                            "catalogue" + (f"; the closest names are {near}." if near else "."))
    row = match.rows[0]
    return {"track_id": str(catalog.track_ids[row]), "name": str(catalog.names[row]),
            "artists": str(catalog.artists[row]), "row": row}
