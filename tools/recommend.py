"""The ``recommend`` tool: a new list for a mood or request, with hard constraints."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from typing import Any

import numpy as np
from langchain.tools import ToolRuntime, tool

from recommender.engine import Constraints
from recommender.mood import MoodTargets, parse_mood
from recommender.search import find_artist, near_artist, near_name
from services.core import RecommendRequest, RecommendResult
from store import chat
from tools.context import ChatContext
from tools.shown import TrackNotFound, catalogue_track, resolve, shown_tracks, tracks_named

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


class ArtistNotFound(LookupError):
    pass


async def _artist_mood(ctx: ChatContext, artist: str
                       ) -> tuple[MoodTargets, str, tuple[int, ...]]:
    """Mood targets at the middle of an artist's tracks in the catalogue, the artist's name
    as the catalogue spells it, and its tracks (most popular first); ``ArtistNotFound``
    with the closest names if absent."""
    catalog = ctx.services.catalog
    match = await asyncio.to_thread(find_artist, catalog, artist)
    if not match.rows:
        near = ", ".join(match.closest)
        raise ArtistNotFound(f"There is no artist called \"{artist}\" in the catalogue"
                             + (f"; the closest names are {near}." if near else "."))
    from recommender.catalog import FEATURE_INDEX

    features = catalog.features[list(match.rows)]
    targets = []
    for name in _SIMILAR_FEATURES:
        column = features[:, FEATURE_INDEX[name]]
        column = column[column == column]  # skip NaN
        if column.size:
            targets.append((name, float(np.median(column))))
    return (MoodTargets(targets=tuple(targets), words=(f"like {match.name}",)), match.name,
            match.rows)


Seed = tuple[MoodTargets, str, frozenset[int], tuple[int, ...]]


async def _seed(ctx: ChatContext, similar_to: str | None, artist: str | None,
                play: bool = False) -> Seed | str | None:
    """What a list is seeded with: a track ("more like #3", "play X by Y") or an artist
    ("play some Queen", "something like Daft Punk") — its mood targets, how the reply says
    it, the rows the list must not hold and an artist's own tracks; or, when the catalogue
    has neither, the reply saying so. A bare name the reader took for one may be the
    other, so both are tried."""
    if artist and not similar_to:
        try:
            mood, name, rows = await _artist_mood(ctx, artist)
            return mood, f"by and like {name}", frozenset(), rows
        except ArtistNotFound as missing:
            if not tracks_named(artist):
                return str(missing)
            try:
                mood, name, row = await _similar_mood(ctx, artist)
            except TrackNotFound:
                return str(missing)
            return _track_seed(mood, name, row, play)
    if not similar_to:
        return None
    try:
        mood, name, row = await _similar_mood(ctx, similar_to)
        return _track_seed(mood, name, row, play and not similar_to.strip().lstrip("#").isdigit())
    except TrackNotFound as missing:
        if not tracks_named(similar_to) or " by " in similar_to:
            return str(missing)
        try:
            mood, name, rows = await _artist_mood(ctx, similar_to)
        except ArtistNotFound:
            return str(missing)
        return mood, f"by and like {name}", frozenset(), rows


def _track_seed(mood: MoodTargets, name: str, row: int, play: bool) -> Seed:
    """ "more like X" never offers X (nor a version of it); "play X" puts X first."""
    if play:
        return mood, f"starting with '{name}', then music like it", frozenset(), (row,)
    return mood, f"like '{name}'", frozenset({row}), ()


async def _artist_first(ctx: ChatContext, mood: str | MoodTargets | None, count: int,
                        constraints: Constraints, artist_rows: tuple[int, ...]
                        ) -> tuple[RecommendResult, int]:
    """"play some Queen": a third of the list (one version of each song) is the artist's own
    tracks that fit the rest of the request, best first; then music that sounds like them.
    Also how many of the asked-for tracks lead it (0 when all are in the history or
    disliked)."""
    own = await ctx.services.recommend(ctx.user, RecommendRequest(
        mood=mood, count=1 if len(artist_rows) == 1 else max(1, -(-count // 3)),
        constraints=replace(constraints, only_rows=frozenset(artist_rows))))
    taken = frozenset(ctx.services.catalog.rows([t["track_id"] for t in own.tracks])[0].tolist())
    rest = await ctx.services.recommend(ctx.user, RecommendRequest(
        mood=mood, count=count - len(own.tracks),
        constraints=replace(constraints, exclude_rows=constraints.exclude_rows | taken)))
    tracks = [dict(t) for t in own.tracks + rest.tracks]
    for position, track in enumerate(tracks, start=1):
        track["position"] = position
    metadata = {**rest.metadata, "final_count": len(tracks)}
    return replace(rest, tracks=tracks, metadata=metadata), len(own.tracks)


async def _named_request(ctx: ChatContext, request: str
                         ) -> tuple[MoodTargets, str, int] | None:
    """A request that is exactly a catalogue track's name, read as "more like" it."""
    try:
        track = await catalogue_track(ctx, request)
    except TrackNotFound:
        return None
    mood, name, row = _track_mood(ctx, track)
    return mood, f"like '{name}'", row


async def _near_request(ctx: ChatContext, request: str
                        ) -> tuple[MoodTargets, str, int] | None:
    """A request that is a mistyped catalogue name ("bohemian rapsody", "metalica"), read
    as "more like" that track, or as that artist's sound, saying which name it took."""
    catalog = ctx.services.catalog
    rows = await asyncio.to_thread(near_name, catalog, request)
    if rows:
        row = rows[0]
        track = {"track_id": str(catalog.track_ids[row]), "name": str(catalog.names[row]),
                 "artists": str(catalog.artists[row])}
        mood, name, row = _track_mood(ctx, track)
        return mood, f"like '{name}' (the nearest name to '{request}')", row
    return None


# Words of a request that ask for music without saying which ("play me something new").
_GENERIC = frozenset([
    "a", "an", "the", "me", "my", "us", "i", "some", "any", "something", "anything", "stuff",
    "music", "songs", "song", "tracks", "track", "tunes", "tune", "list", "playlist", "new",
    "fresh", "good", "great", "nice", "cool", "different", "else", "other", "more", "another",
    "random", "mix", "surprise", "please", "pls", "play", "give", "recommend", "suggest",
    "find", "show", "put", "on", "for", "to", "of", "with", "just", "can", "could", "you",
    "would", "like", "want", "need", "id", "im", "lets", "let", "get", "start", "again",
    "today", "now", "tonight", "nah", "nope", "no", "ok", "okay", "yeah", "yes", "hmm", "um",
    "well", "actually", "instead", "then", "maybe", "perhaps", "kinda", "really", "so",
])


def _content_words(request: str) -> list[str]:
    return [w for w in re.findall(r"[a-z']+", request.lower()) if w.strip("'") not in _GENERIC]


def _describe_request(request: str, include: list[str] | None, exclude: list[str] | None,
                      decade: int | None, popularity: tuple[float | None, float | None],
                      tempo: tuple[float | None, float | None],
                      years: tuple[int | None, int | None] = (None, None)) -> str:
    """ "for 'calm' (rock, from the 1990s, no rap)" — what was asked, in a few words."""
    limits = [*(include or [])]
    if decade is not None:
        limits.append(f"from the {decade}s")
    if years[0] is not None and years[1] is not None:
        limits.append(f"released {years[0]}–{years[1]}")
    elif years[0] is not None:
        limits.append(f"released {years[0]} or later")
    elif years[1] is not None:
        limits.append(f"released {years[1]} or earlier")
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
    max_tempo: float | None = None, min_year: int | None = None, max_year: int | None = None,
    similar_to: str | None = None, artist: str | None = None, play: bool = False,
    show: bool = True,
) -> str:
    """The code path of both the agent's tool and session start.

    With ``show`` the list becomes the session's list on screen; session start passes
    False and stores the list itself, in the same statement that opens the session.
    """
    args = {k: v for k, v in {
        "request": request, "count": count, "include_genres": include_genres,
        "exclude_genres": exclude_genres, "decade": decade, "min_popularity": min_popularity,
        "max_popularity": max_popularity, "min_tempo": min_tempo, "max_tempo": max_tempo,
        "min_year": min_year, "max_year": max_year, "similar_to": similar_to,
        "artist": artist, "play": play or None}.items() if v not in (None, "", [])}
    count = max(1, min(50, int(count)))
    constraint_args = (include_genres or None, exclude_genres or None, decade, min_popularity,
                       max_popularity, min_tempo, max_tempo, min_year, max_year)
    mood: str | MoodTargets | None = request or None
    what = _describe_request(request, include_genres, exclude_genres, decade,
                             (min_popularity, max_popularity), (min_tempo, max_tempo),
                             (min_year, max_year))
    like_row: frozenset[int] = frozenset()  # "more like X" never offers X (nor a version)
    if include_genres and not any(ctx.services.genre_count(g) for g in include_genres):
        summary = (f"The catalogue has no {' or '.join(include_genres)} tracks (its largest "
                   f"genres are {', '.join(ctx.services.main_genres())}), so your list is "
                   "unchanged.")
        ctx.record("recommend", args, summary)
        return summary
    seeded = await _seed(ctx, similar_to, artist, play)
    if isinstance(seeded, str):  # neither a track nor an artist of the catalogue
        ctx.record("recommend", args, seeded)
        return seeded
    artist_rows: tuple[int, ...] = ()  # an artist asked for: its own tracks lead the list
    if seeded is not None:
        mood, what, like_row, artist_rows = seeded
    if seeded is None and request and parse_mood(request) is None:
        mood = None  # free text without a mood word: the constraints carry it
        understood = False
        if not any(v is not None for v in constraint_args) and _content_words(request):
            named = await _named_request(ctx, request)
            if named is None:  # "bohemian rapsody": one name of the catalogue very near it
                named = await _near_request(ctx, request)
            if named is not None:  # the "mood" is a track's name: music like it
                mood, what, row = named
                like_row = frozenset({row})
                understood = True
            else:  # or an artist's: "anything by eagles" read as the request "eagles"
                try:
                    mood, name, artist_rows = await _artist_mood(ctx, request)
                    what = f"by and like {name}"
                    understood = True
                except ArtistNotFound:
                    near = await asyncio.to_thread(near_artist, ctx.services.catalog, request)
                    if near:  # "metalica"
                        mood, name, artist_rows = await _artist_mood(ctx, near)
                        what = f"by and like {name} (the nearest name to '{request}')"
                        understood = True
        if not understood:  # never a list named after words it did not act on
            what = _describe_request("", include_genres, exclude_genres, decade,
                                     (min_popularity, max_popularity), (min_tempo, max_tempo),
                                     (min_year, max_year))
            if not any(v is not None for v in constraint_args) and _content_words(request):
                what += (f" (I found no mood, track or artist in '{request}', so this is "
                         "your own list)")
    if show and mood is None and not like_row and \
            not any(v is not None for v in constraint_args):
        # "something different", "a new list please": none of the tracks on screen again
        on_screen, _ = await shown_tracks(ctx)
        like_row = frozenset(ctx.services.catalog.rows(
            [t["track_id"] for t in on_screen])[0].tolist())
        if like_row and what == "for you":
            what = "for you, none of them from your last list"
    constraints = Constraints(
        include_genres=tuple(g.lower() for g in include_genres or ()),
        exclude_genres=tuple(g.lower() for g in exclude_genres or ()),
        decade=decade, min_popularity=min_popularity, max_popularity=max_popularity,
        min_tempo=min_tempo, max_tempo=max_tempo, min_year=min_year, max_year=max_year,
        exclude_rows=like_row,
    )
    if artist_rows:
        result, led = await _artist_first(ctx, mood, count, constraints, artist_rows)
        if not led:
            # all of them are in the listener's history or disliked: never offered again
            what = what.replace("starting with", "like").replace(", then music like it", "")
            what = what.replace("by and like", "like") + " (what you asked for is in your " \
                "history or was disliked, so it is not offered again)"
    else:
        result = await ctx.services.recommend(
            ctx.user, RecommendRequest(mood=mood, count=count, constraints=constraints)
        )
    if not result.tracks and show:  # nothing fits: the list on screen stays as it was
        summary = ("Nothing in the catalogue fits all of that, so your list is unchanged; "
                   "try fewer constraints.")
        ctx.record("recommend", args, summary)
        return summary
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
    min_year: int | None = None,
    max_year: int | None = None,
    similar_to: str | None = None,
    artist: str | None = None,
    play: bool = False,
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
        min_year: earliest release year ("nothing before 2015" -> 2015).
        max_year: latest release year ("before 2000" -> 1999).
        similar_to: a track of the current list to find more like, by position ("1"),
            name or id.
        artist: an artist whose sound seeds the list ("play some Queen", "something
            like Daft Punk"); the reply says so if the catalogue has no such artist.
        play: with similar_to naming a track, "play X" rather than "more like X": the
            track itself first, then music like it.
    """
    return await recommend_tracks(
        runtime.context, request=request, count=count, include_genres=include_genres,
        exclude_genres=exclude_genres, decade=decade, min_popularity=min_popularity,
        max_popularity=max_popularity, min_tempo=min_tempo, max_tempo=max_tempo,
        min_year=min_year, max_year=max_year, similar_to=similar_to, artist=artist,
        play=play,
    )
