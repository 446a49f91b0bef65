"""The ``rerank`` tool: reorder the list on screen by one criterion."""

from __future__ import annotations

from langchain.tools import ToolRuntime, tool

from recommender.engine import RERANK_CRITERIA
from store import chat
from tools.context import ChatContext
from tools.recommend import describe_list
from tools.shown import shown_tracks

_PHRASES = {
    "calmer": "calmest first", "more_energetic": "most energetic first",
    "happier": "happiest first", "sadder": "saddest first",
    "more_acoustic": "most acoustic first", "more_danceable": "most danceable first",
    "less_popular": "least popular first", "more_popular": "most popular first",
    "faster": "fastest tempo first", "slower": "slowest tempo first",
    "newer": "newest first", "older": "oldest first",
    "reverse": "in reverse order", "shuffle": "in a random order",
}


async def rerank_tracks(ctx: ChatContext, *, criterion: str, genre: str | None = None,
                        decade: int | None = None) -> str:
    args = {k: v for k, v in {"criterion": criterion, "genre": genre, "decade": decade}.items()
            if v is not None}
    tracks, state = await shown_tracks(ctx)
    if criterion not in RERANK_CRITERIA:
        summary = (f"I can't sort by '{criterion}'; I can sort by "
                   + ", ".join(c.replace("_", " ") for c in RERANK_CRITERIA) + ".")
    elif not tracks:
        summary = "There is no list to reorder yet: ask for some recommendations first."
    elif criterion == "genre_last" and not genre or \
            criterion == "decade" and decade is None:
        what = "decade" if criterion == "decade" else "genre"
        summary = f"To sort by {what} I need to know which {what}."
    elif criterion in ("genre", "genre_last") and genre and \
            not ctx.services.genre_count(genre, tracks):
        summary = (f"None of your {len(tracks)} tracks is {genre}, so the order is unchanged; "
                   f"ask for \"{genre}\" to get a new list of it.")
    else:
        reordered = ctx.services.rerank(tracks, criterion, genre=genre, decade=decade)
        await chat.set_shown(ctx.services.pool, ctx.session_id, reordered, state)
        ctx.recommendations = reordered
        how = _PHRASES.get(criterion) or ("grouped by genre, the most common first"
                                          if criterion == "genre" and not genre else
            f"{genre} first" if criterion == "genre" else f"{genre} last"
            if criterion == "genre_last" else f"the {decade}s first")
        summary = describe_list(reordered, f"Reordered your {len(reordered)} tracks, {how}.")
    ctx.record("rerank", args, summary)
    return summary


@tool
async def rerank(runtime: ToolRuntime[ChatContext], criterion: str, genre: str | None = None,
                 decade: int | None = None) -> str:
    """Reorder the list the user is looking at, without changing which tracks are in it.

    Use it for "calmer", "more upbeat", "happier", "sadder", "more acoustic", "more
    danceable", "less popular", "more popular", by tempo ("fastest first", "order by
    bpm"), by release year ("newest first", "oldest to newest"), to put a genre or
    decade first, to reverse the order or to shuffle it.

    Args:
        criterion: one of calmer, more_energetic, happier, sadder, more_acoustic,
            more_danceable, less_popular, more_popular, faster (highest BPM first), slower
            (lowest BPM first), newer (latest release first), older (earliest release
            first), genre, genre_last, decade, reverse, shuffle.
        genre: the genre to put first (criterion "genre") or last ("genre_last": "less
            rap", "put the rap at the bottom"); criterion "genre" with no genre groups
            the list by genre ("sort by genre"), the most common genre first.
        decade: the decade's first year (1980), with criterion "decade".
    """
    return await rerank_tracks(runtime.context, criterion=criterion, genre=genre, decade=decade)
