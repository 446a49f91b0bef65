"""The ``recommend`` tool: a new list for a mood or request, with hard constraints."""

from __future__ import annotations

from typing import Any

from langchain.tools import ToolRuntime, tool

from recommender.engine import Constraints
from recommender.mood import MoodTargets, parse_mood
from services.core import RecommendRequest
from store import chat
from tools.context import ChatContext
from tools.shown import TrackNotFound, catalogue_track, resolve, shown_tracks

_SIMILAR_FEATURES = ("energy", "valence", "danceability", "acousticness", "tempo")


def describe_list(tracks: list[dict[str, Any]], headline: str, shown: int = 3) -> str:
    """A short plain-text summary of a list: what it is, its first tracks, its energy."""
    if not tracks:
        return headline + " Nothing in the catalogue fits all of that; try fewer constraints."
    top = "; ".join(f"{t['position']}. {t['name']} — {t['artists']}" for t in tracks[:shown])
    return f"{headline} Top picks: {top}."


async def _similar_mood(ctx: ChatContext, reference: str) -> tuple[MoodTargets, str, int]:
    """Mood targets copied from a track of the list or, by name, of the whole catalogue; its
    name, and its row (which the new list must not hold, nor any version of it)."""
    tracks, _ = await shown_tracks(ctx)
    try:
        track = resolve(tracks, reference)
    except TrackNotFound:
        track = await catalogue_track(ctx, reference)
    return _track_mood(ctx, track)


def _track_mood(ctx: ChatContext, track: dict[str, Any]) -> tuple[MoodTargets, str, int]:
    row = ctx.services.catalog.row_of[track["track_id"]]
    features = ctx.services.catalog.features[row]
    from recommender.catalog import FEATURE_INDEX

    targets = tuple(
        (name, float(features[FEATURE_INDEX[name]]))
        for name in _SIMILAR_FEATURES
        if features[FEATURE_INDEX[name]] == features[FEATURE_INDEX[name]]  # skip NaN
    )
    return (MoodTargets(targets=targets, words=(f"like {track['name']}",)),
            f"{track['name']}' by '{track['artists']}", row)


async def _named_request(ctx: ChatContext, request: str
                         ) -> tuple[MoodTargets, str, int] | None:
    """A request that is exactly a catalogue track's name, read as "more like" it."""
    try:
        track = await catalogue_track(ctx, request)
    except TrackNotFound:
        return None
    mood, name, row = _track_mood(ctx, track)
    return mood, f"like '{name}'", row


def _describe_request(request: str, include: list[str] | None, exclude: list[str] | None,
                      decade: int | None, popularity: tuple[float | None, float | None],
                      tempo: tuple[float | None, float | None]) -> str:
    """ "for 'calm' (rock, from the 1990s, no rap)" — what was asked, in a few words."""
    limits = [*(include or [])]
    if decade is not None:
        limits.append(f"from the {decade}s")
    for (low, high), unit in ((popularity, "popularity"), (tempo, "BPM")):
        if low is not None and high is not None:
            limits.append(f"{unit} {low:g}–{high:g}")
        elif low is not None:
            limits.append(f"{unit} at least {low:g}")
        elif high is not None:
            limits.append(f"{unit} at most {high:g}")
    limits += [f"no {g}" for g in exclude or []]
    what = f"for '{request}'" if request else "for you"
    return what + (f" ({', '.join(limits)})" if limits else "")


async def recommend_tracks(
    ctx: ChatContext, *, request: str = "", count: int = 50,
    include_genres: list[str] | None = None, exclude_genres: list[str] | None = None,
    decade: int | None = None, min_popularity: float | None = None,
    max_popularity: float | None = None, min_tempo: float | None = None,
    max_tempo: float | None = None, similar_to: str | None = None, show: bool = True,
) -> str:
    """The code path of both the agent's tool and session start.

    With ``show`` the list becomes the session's list on screen; session start passes
    False and stores the list itself, in the same statement that opens the session.
    """
    args = {k: v for k, v in {
        "request": request, "count": count, "include_genres": include_genres,
        "exclude_genres": exclude_genres, "decade": decade, "min_popularity": min_popularity,
        "max_popularity": max_popularity, "min_tempo": min_tempo, "max_tempo": max_tempo,
        "similar_to": similar_to}.items() if v not in (None, "", [])}
    count = max(1, min(50, int(count)))
    constraint_args = (include_genres or None, exclude_genres or None, decade, min_popularity,
                       max_popularity, min_tempo, max_tempo)
    mood: str | MoodTargets | None = request or None
    what = _describe_request(request, include_genres, exclude_genres, decade,
                             (min_popularity, max_popularity), (min_tempo, max_tempo))
    like_row: frozenset[int] = frozenset()  # "more like X" never offers X (nor a version)
    if similar_to:
        try:
            mood, name, row = await _similar_mood(ctx, similar_to)
            like_row = frozenset({row})
        except TrackNotFound as exc:
            ctx.record("recommend", args, str(exc))
            return str(exc)
        what = f"like '{name}'"
    elif request and parse_mood(request) is None:
        mood = None  # free text without a mood word: the constraints carry it
        if not any(v is not None for v in constraint_args):
            named = await _named_request(ctx, request)
            if named is not None:  # the "mood" is a track's name: music like it
                mood, what, row = named
                like_row = frozenset({row})
    constraints = Constraints(
        include_genres=tuple(g.lower() for g in include_genres or ()),
        exclude_genres=tuple(g.lower() for g in exclude_genres or ()),
        decade=decade, min_popularity=min_popularity, max_popularity=max_popularity,
        min_tempo=min_tempo, max_tempo=max_tempo, exclude_rows=like_row,
    )
    result = await ctx.services.recommend(
        ctx.user, RecommendRequest(mood=mood, count=count, constraints=constraints)
    )
    if show:
        await chat.set_shown(ctx.services.pool, ctx.session_id, result.tracks, result.state)
    ctx.recommendations = result.tracks
    ctx.result = result
    summary = describe_list(result.tracks, f"Here are {len(result.tracks)} tracks {what}.")
    ctx.record("recommend", args, summary)
    return summary


@tool
async def recommend(
    runtime: ToolRuntime[ChatContext],
    request: str = "",
    count: int = 50,
    include_genres: list[str] | None = None,
    exclude_genres: list[str] | None = None,
    decade: int | None = None,
    min_popularity: float | None = None,
    max_popularity: float | None = None,
    min_tempo: float | None = None,
    max_tempo: float | None = None,
    similar_to: str | None = None,
) -> str:
    """Recommend a new list of tracks. Use it when the user asks for music.

    Args:
        request: the mood or request in the user's words ("calm but not sleepy",
            "workout"); empty for a general personalised list.
        count: how many tracks, 1 to 50 (default 50).
        include_genres: only tracks of these genres ("rock", "jazz").
        exclude_genres: never tracks of these genres ("no rap" -> ["rap"]).
        decade: only tracks released in this decade, as its first year (1990 for "90s").
        min_popularity: lowest popularity 0-100 ("popular hits" -> 60).
        max_popularity: highest popularity 0-100 ("obscure" -> 40).
        min_tempo: lowest tempo in BPM.
        max_tempo: highest tempo in BPM.
        similar_to: a track of the current list to find more like, by position ("1"),
            name or id.
    """
    return await recommend_tracks(
        runtime.context, request=request, count=count, include_genres=include_genres,
        exclude_genres=exclude_genres, decade=decade, min_popularity=min_popularity,
        max_popularity=max_popularity, min_tempo=min_tempo, max_tempo=max_tempo,
        similar_to=similar_to,
    )
