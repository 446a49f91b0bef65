"""How the tools find the track a person points at on the list (tools/shown.resolve)."""

from __future__ import annotations

import pytest

from tools.shown import TrackNotFound, resolve

TRACKS = [
    {"position": 1, "track_id": "a", "name": "Blinding Lights", "artists": "The Weeknd"},
    {"position": 2, "track_id": "b", "name": "Circles", "artists": "Post Malone"},
    {"position": 3, "track_id": "c", "name": "Sunflower", "artists": "Post Malone, Swae Lee"},
    {"position": 4, "track_id": "d", "name": "Juice", "artists": "Lizzo"},
]


def test_an_artist_with_one_track_on_the_list_names_it() -> None:
    assert resolve(TRACKS, "weeknd")["track_id"] == "a"
    assert resolve(TRACKS, "The Weeknd")["track_id"] == "a"
    assert resolve(TRACKS, "lizzo")["track_id"] == "d"
    assert resolve(TRACKS, "Swae Lee")["track_id"] == "c"  # a featured artist counts


def test_an_artist_with_several_tracks_is_asked_about() -> None:
    with pytest.raises(TrackNotFound, match=r"2 tracks of your list are by .*#2, #3"):
        resolve(TRACKS, "Post Malone")


def test_a_title_still_comes_first() -> None:
    assert resolve(TRACKS, "circles")["track_id"] == "b"
    with pytest.raises(TrackNotFound, match="no track called 'Drake'"):
        resolve(TRACKS, "Drake")
