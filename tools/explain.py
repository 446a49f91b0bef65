"""The ``explain`` tool: why a track of the list is there, in plain words with numbers."""

from __future__ import annotations

from langchain.tools import ToolRuntime, tool

from recommender.explain import explain_track
from tools.context import ChatContext
from tools.shown import TrackNotFound, resolve, shown_tracks


async def explain_reference(ctx: ChatContext, *, track: str) -> str:
    tracks, _ = await shown_tracks(ctx)
    try:
        chosen = resolve(tracks, track)
        summary = explain_track(chosen)
    except TrackNotFound as exc:
        summary = str(exc)
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
