"""Through chat: the `personality` tool takes one declared scale (a bare 80 is refused, not
silently read as a percentage; "80%" is a percentage), and "more like X" leaves X out."""

from __future__ import annotations

from typing import Any

from tests.helpers import new_user, say, start_session


async def test_chat_refuses_a_score_outside_its_scale_and_takes_percentages(
    client: Any,
) -> None:
    _, headers = await new_user(client)
    session = (await start_session(client, headers))["data"]["session_id"]
    refused = await say(client, headers, session, "set neuroticism to 80")
    assert "outside the scale 1-5" in refused["reply"]
    assert (await client.get("/api/v1/personality", headers=headers)).status == 404
    await say(client, headers, session, "set neuroticism to 80%")
    stored = await (await client.get("/api/v1/personality", headers=headers)).json()
    assert stored["traits"]["neuroticism"] == 4.2
    assert stored["traits"]["openness"] == 3.0  # the others stay neutral


async def test_more_like_x_never_returns_x_or_a_version_of_it(client: Any) -> None:
    from recommender.versions import song_key

    _, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    session, seventh = data["session_id"], data["recommendations"][6]
    reply = await say(client, headers, session, "more like number 7")
    tracks = reply.get("recommendations") or []
    assert tracks, reply
    assert seventh["track_id"] not in {t["track_id"] for t in tracks}
    key = song_key(seventh["name"], seventh["artists"])
    assert all(song_key(t["name"], t["artists"]) != key for t in tracks)
