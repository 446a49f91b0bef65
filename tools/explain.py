"""The ``explain`` tool: why a track of the list is there, in plain words with numbers."""

from __future__ import annotations

from langchain.tools import ToolRuntime, tool

from recommender.explain import explain_track
from tools.context import ChatContext
from tools.shown import TrackNotFound, catalogue_track, resolve, shown_tracks, tracks_named


async def _not_in_list(ctx: ChatContext, track: str, missing: TrackNotFound) -> str:
    """A named track that is not in the list: say whether the catalogue has it at all."""
    if not tracks_named(track):
        return str(missing)
    try:
        found = await catalogue_track(ctx, track)
    except TrackNotFound as exc:
        return str(exc)
    return (f"\"{found['name']}\" by {found['artists']} is in the catalogue but not in your "
            f"current list, so it has no scores to explain; ask for \"more like {found['name']}\".")


async def explain_reference(ctx: ChatContext, *, track: str) -> str:
    tracks, _ = await shown_tracks(ctx)
    try:
        chosen = resolve(tracks, track)
        summary = explain_track(chosen)
    except TrackNotFound as exc:
        summary = await _not_in_list(ctx, track, exc)
    ctx.record("explain", {"track": track}, summary)
    return summary


@tool
async def explain(runtime: ToolRuntime[ChatContext], track: str) -> str:
    """Explain why a track is in the user's list: its score components with the numbers.

    Use it for "why number 4?", "why did you pick X?", "explain the third one".

    Args:
        track: the track's position in the list ("4"), its name, or its id.
    """
    return await explain_reference(runtime.context, track=track)
