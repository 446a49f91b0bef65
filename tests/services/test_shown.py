"""How the tools find the track a person points at on the list (tools/shown.resolve)."""

from __future__ import annotations

import pytest

from tools.shown import TrackNotFound, resolve, tracks_named

TRACKS = [
    {"position": 1, "track_id": "a", "name": "Blinding Lights", "artists": "The Weeknd"},
    {"position": 2, "track_id": "b", "name": "Circles", "artists": "Post Malone"},
    {"position": 3, "track_id": "c", "name": "Sunflower", "artists": "Post Malone, Swae Lee"},
    {"position": 4, "track_id": "d", "name": "Juice", "artists": "Lizzo"},
]


def test_an_artist_with_one_track_on_the_list_names_it() -> None:
    assert resolve(TRACKS, "the weeknd song")["track_id"] == "a"
    assert resolve(TRACKS, "the The Weeknd song")["track_id"] == "a"
    assert resolve(TRACKS, "that lizzo track")["track_id"] == "d"
    assert resolve(TRACKS, "the Swae Lee one")["track_id"] == "c"  # a featured artist counts


def test_an_artist_with_several_tracks_is_asked_about() -> None:
    with pytest.raises(TrackNotFound, match=r"2 tracks of your list are by .*#2, #3"):
        resolve(TRACKS, "the Post Malone song")


def test_an_artist_the_list_lacks_is_never_looked_up_as_a_title() -> None:
    with pytest.raises(TrackNotFound, match="There is no track by Drake in your current list"):
        resolve(TRACKS, "the Drake song")
    assert not tracks_named("the Drake song")  # so no tool looks for a title "Drake"
    assert tracks_named("Drake") and resolve(TRACKS, "circles")["track_id"] == "b"
