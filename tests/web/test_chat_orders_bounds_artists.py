"""Through the real app, agent and Postgres: reordering by tempo and by release year, year and
tempo bounds on a new list, requests that name only an artist, and the phrasings that were
once read with the wrong sign or the wrong intent (issue 9)."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from tests.helpers import new_user, say, start_session


async def _session(client: Any, name: str = "ann"
                   ) -> tuple[str, dict[str, str], str, list[dict[str, Any]]]:
    user_id, headers = await new_user(client, name=name)
    data = (await start_session(client, headers))["data"]
    return user_id, headers, data["session_id"], data["recommendations"]


async def _column(pg: asyncpg.Connection, column: str, tracks: list[dict[str, Any]]
                  ) -> list[Any]:
    assert column in ("tempo", "release_year")
    rows = await pg.fetch(f"SELECT id, {column} FROM tracks WHERE id = ANY($1::text[])",
                          [t["track_id"] for t in tracks])
    by_id = {r["id"]: r[column] for r in rows}
    return [by_id[t["track_id"]] for t in tracks]


@pytest.mark.parametrize(("message", "criterion", "column", "descending"), [
    ("fastest first", "faster", "tempo", True),
    ("could you order them by bpm", "faster", "tempo", True),
    ("slowest ones at the top please", "slower", "tempo", False),
    ("newest first", "newer", "release_year", True),
    ("oldest to newest", "older", "release_year", False),
])
async def test_the_list_is_reordered_by_tempo_or_year(
        client: Any, pg: asyncpg.Connection, message: str, criterion: str, column: str,
        descending: bool) -> None:
    _, headers, session, shown = await _session(client)
    reply = await say(client, headers, session, message)
    assert [a["tool"] for a in reply["actions"]] == ["rerank"], reply["reply"]
    assert reply["actions"][0]["args"] == {"criterion": criterion}
    reordered = reply["recommendations"]
    assert {t["track_id"] for t in reordered} == {t["track_id"] for t in shown}
    values = [v for v in await _column(pg, column, reordered) if v]  # 0 / NULL: unknown, last
    assert values == sorted(values, reverse=descending)
    assert values != await _column(pg, column, shown) or len(set(values)) == 1


async def test_sort_by_genre_groups_the_list(client: Any, pg: asyncpg.Connection) -> None:
    _, headers, session, shown = await _session(client)
    reply = await say(client, headers, session, "can you group these by genre")
    assert [a["tool"] for a in reply["actions"]] == ["rerank"], reply["reply"]
    assert reply["actions"][0]["args"] == {"criterion": "genre"}
    assert "grouped by genre" in reply["reply"]
    grouped = reply["recommendations"]
    assert sorted(t["track_id"] for t in grouped) == sorted(t["track_id"] for t in shown)
    rows = await pg.fetch("SELECT id, genres FROM tracks WHERE id = ANY($1::text[])",
                          [t["track_id"] for t in grouped])
    genres = {r["id"]: set(r["genres"]) for r in rows}
    # the genre most of the list carries leads, every track of it before any other
    counts: dict[str, int] = {}
    for labels in genres.values():
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
    top = max(counts.values())
    leading = grouped[:top]
    common = set.intersection(*(genres[t["track_id"]] for t in leading))
    assert common and max(counts[g] for g in common) == top


async def test_the_90s_stuff_goes_first(client: Any, pg: asyncpg.Connection) -> None:
    _, headers, session, shown = await _session(client)
    reply = await say(client, headers, session, "put the 90s stuff first")
    assert reply["actions"][0]["args"] == {"criterion": "decade", "decade": 1990}
    years = await _column(pg, "release_year", reply["recommendations"])
    in_90s = [1990 <= y <= 1999 for y in years]
    assert in_90s == sorted(in_90s, reverse=True)


@pytest.mark.parametrize(("message", "low", "high"), [
    ("nothing before 2015", 2015, None),
    ("only stuff after 2010", 2011, None),
    ("songs from 2000 to 2005", 2000, 2005),
    ("something calm released before 2010", None, 2009),
])
async def test_a_year_bound_holds_for_every_track(client: Any, pg: asyncpg.Connection,
                                                  message: str, low: int | None,
                                                  high: int | None) -> None:
    _, headers, session, _ = await _session(client)
    reply = await say(client, headers, session, message)
    assert [a["tool"] for a in reply["actions"]] == ["recommend"], reply["reply"]
    args = reply["actions"][0]["args"]
    assert (args.get("min_year"), args.get("max_year")) == (low, high)
    assert "decade" not in args
    tracks = reply["recommendations"]
    assert tracks
    for year in await _column(pg, "release_year", tracks):
        assert year > 0 and (low is None or year >= low) and (high is None or year <= high)
    said = f"released {low}–{high}" if low and high else (
        f"released {low} or later" if low else f"released {high} or earlier")
    assert said in reply["reply"]


@pytest.mark.parametrize(("message", "low", "high"), [
    ("under 100 bpm", None, 100.0),
    ("above 140 bpm", 140.0, None),
    ("chill stuff, nothing faster than 90 bpm", None, 90.0),
])
async def test_a_tempo_bound_holds_for_every_track(client: Any, pg: asyncpg.Connection,
                                                   message: str, low: float | None,
                                                   high: float | None) -> None:
    _, headers, session, _ = await _session(client)
    reply = await say(client, headers, session, message)
    assert [a["tool"] for a in reply["actions"]] == ["recommend"], reply["reply"]
    args = reply["actions"][0]["args"]
    assert (args.get("min_tempo"), args.get("max_tempo")) == (low, high)
    tracks = reply["recommendations"]
    assert tracks
    for tempo in await _column(pg, "tempo", tracks):
        assert (low is None or tempo >= low) and (high is None or tempo <= high)


async def _an_artist(pg: asyncpg.Connection, shown: list[dict[str, Any]],
                     pattern: str = "[0-9]") -> str:
    """An artist of the test catalogue with several tracks, none on the list on screen, whose
    name does not match ``pattern``."""
    row = await pg.fetchrow(
        "SELECT artists FROM tracks WHERE NOT (artists = ANY($1::text[])) "
        "AND artists !~ $2 GROUP BY artists HAVING count(*) >= 3 ORDER BY artists LIMIT 1",
        [t["artists"] for t in shown], pattern)
    return str(row["artists"])


@pytest.mark.parametrize("frame", ["play some {}", "anything by {}", "something like {}",
                                   "more {}"])
async def test_an_artist_seeds_the_list(client: Any, pg: asyncpg.Connection,
                                        frame: str) -> None:
    _, headers, session, shown = await _session(client)
    artist = await _an_artist(pg, shown)
    reply = await say(client, headers, session, frame.format(artist))
    assert [a["tool"] for a in reply["actions"]] == ["recommend"], reply["reply"]
    args = reply["actions"][0]["args"]
    # "something like X" may name a track or an artist: the tool tries both
    assert args.get("artist", args.get("similar_to")) == artist
    assert reply["recommendations"]
    assert f"tracks by and like {artist}." in reply["reply"]
    assert f"for '{artist.lower()}'" not in reply["reply"].lower()  # never a mood list


async def test_an_artist_typed_in_lower_case_is_found(client: Any, pg: asyncpg.Connection
                                                      ) -> None:
    _, headers, session, shown = await _session(client)
    # (a lower-case name with "&" in it, "anelsa & the lights", may be cut at the "&": the
    # tagger leans on capitals; docs/NLU.md)
    artist = await _an_artist(pg, shown, "[0-9&]")
    reply = await say(client, headers, session, f"play some {artist.lower()}")
    assert [a["tool"] for a in reply["actions"]] == ["recommend"], reply["reply"]
    assert reply["recommendations"]
    assert f"tracks by and like {artist}." in reply["reply"]


async def test_an_artist_the_catalogue_lacks_is_said_to_be_missing(
        client: Any, pg: asyncpg.Connection) -> None:
    _, headers, session, shown = await _session(client)
    artist = await _an_artist(pg, shown)
    typo = artist[:-1] + ("x" if artist[-1] != "x" else "y")  # one letter off: closest names
    for message, missing in (("play some Metallica", "Metallica"),
                             (f"anything by {typo}", typo)):
        reply = await say(client, headers, session, message)
        assert "recommendations" not in reply, message
        assert f"no artist called \"{missing}\"" in reply["reply"] or \
            f"no track called \"{missing}\"" in reply["reply"], reply["reply"]
        assert "catalogue" in reply["reply"]
        assert f"for '{missing.lower()}'" not in reply["reply"].lower()
    assert artist in reply["reply"]  # the closest names offered


@pytest.mark.parametrize(("message", "sign"), [
    ("number 3 is a total snooze", -1),
    ("number 10 is a bit much", -1),
    ("number 5 is a bit of a yawn tbh", -1),
    ("number 2 is kinda overkill", -1),
])
async def test_degree_words_never_turn_a_dislike_into_a_like(
        client: Any, pg: asyncpg.Connection, message: str, sign: int) -> None:
    user_id, headers, session, _ = await _session(client)
    reply = await say(client, headers, session, message)
    rewards = [r["reward"] for r in await pg.fetch(
        "SELECT reward FROM feedback_events WHERE user_id = $1", user_id)]
    assert all(reward * sign > 0 for reward in rewards), (message, rewards)
    if not rewards:
        assert "?" in reply["reply"]


async def test_rarest_up_top_and_the_deal_with_a_track(client: Any) -> None:
    _, headers, session, shown = await _session(client)
    rare = await say(client, headers, session, "rank the rarest stuff up top")
    assert [(a["tool"], a["args"]) for a in rare["actions"]] == [
        ("rerank", {"criterion": "less_popular"})]
    deal = await say(client, headers, session, "whats the deal with #11")
    assert [(a["tool"], a["args"]) for a in deal["actions"]] == [("explain", {"track": "11"})]
    assert rare["recommendations"][10]["name"] in deal["reply"]
