"""The ``feedback`` tool: like, dislike, skip, save … a track of the list."""

from __future__ import annotations

import uuid

from langchain.tools import ToolRuntime, tool

from tools.context import ChatContext
from tools.shown import TrackNotFound, catalogue_track, resolve, shown_tracks, tracks_named

_SAID = {
    "like": "Noted that you like", "dislike": "Noted that you don't like",
    "skip": "Skipped", "save": "Saved", "add_to_playlist": "Added to your playlist:",
    "played_through": "Noted that you played through", "repeat": "Noted that you repeated",
}


async def give_feedback(ctx: ChatContext, *, track: str, signal: str) -> str:
    args = {"track": track, "signal": signal}
    if signal not in ctx.services.settings.rl.rewards:
        summary = (f"'{signal}' is not a feedback I know; use one of "
                   + ", ".join(sorted(ctx.services.settings.rl.rewards)) + ".")
        ctx.record("feedback", args, summary)
        return summary
    tracks, _ = await shown_tracks(ctx)
    try:
        chosen = resolve(tracks, track)
    except TrackNotFound as exc:
        if not tracks_named(track):
            ctx.record("feedback", args, str(exc))
            return str(exc)
        try:  # a track named by the user that is not on screen: the catalogue may have it
            chosen = await catalogue_track(ctx, track)
        except TrackNotFound as missing:
            ctx.record("feedback", args, str(missing))
            return str(missing)
    # the same path as POST /api/v1/feedback; a chat turn is its own idempotency key
    outcome = await ctx.services.record_feedback(
        ctx.user, event_id=f"chat-{uuid.uuid4()}", track_id=chosen["track_id"],
        signal=signal, session_id=ctx.session_id,
    )
    reward = outcome.event["reward"]
    where = f"#{chosen['position']} " if "position" in chosen else ""
    summary = (f"{_SAID[signal]} {where}\"{chosen['name']}\" by "
               f"{chosen['artists']} (reward {reward:+.1f}); your next list will reflect it.")
    args["track_id"] = chosen["track_id"]
    ctx.record("feedback", args, summary)
    return summary


@tool
async def feedback(runtime: ToolRuntime[ChatContext], track: str, signal: str) -> str:
    """Record the user's feedback on a track of their list; it teaches the recommender.

    Use it for "I love the third one" (like), "I hate number 2" (dislike), "skip that"
    (skip), "save number 5" (save), "add track 2 to my playlist" (add_to_playlist).

    Args:
        track: the track's position in the list ("3"), its name, or its id.
        signal: one of like, dislike, skip, save, add_to_playlist, played_through, repeat.
    """
    return await give_feedback(runtime.context, track=track, signal=signal)
