"""Input the database or the parser cannot take is a 400 naming the field, never a 500;
credentials in query strings are refused whatever their spelling; every answer carries the
security headers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import new_user, start_session

NUL = "\u0000"


async def _error(response: Any, status: int = 400) -> dict[str, Any]:
    assert response.status == status, await response.text()
    body = await response.json()
    assert "Traceback" not in str(body)
    return dict(body["error"])


async def test_nul_in_any_stored_string_is_a_400_naming_the_field(client: Any) -> None:
    error = await _error(await client.post("/api/v1/users", json={"display_name": f"a{NUL}b"}))
    assert error["field"] == "display_name" and "display_name" in error["message"]

    _, headers = await new_user(client)
    session = (await start_session(client, headers))["data"]
    track = session["recommendations"][0]["track_id"]
    error = await _error(await client.post("/api/v1/feedback", headers=headers, json={
        "event_id": f"e{NUL}1", "track_id": track, "signal": "like"}))
    assert error["field"] == "event_id"
    error = await _error(await client.post("/api/v1/chat/message", headers=headers, json={
        "session_id": session["session_id"], "message": f"hello{NUL}"}))
    assert error["field"] == "message"
    error = await _error(await client.post("/api/v1/history", headers=headers, json={
        "tracks": [{"track_id": track}, {"track_id": f"x{NUL}"}]}))
    assert error["field"] == "tracks.1.track_id"
    # a lone surrogate (valid JSON escape, not storable) is refused by the parser
    raw = b'{"display_name": "\\ud800"}'
    await _error(await client.post("/api/v1/users", data=raw,
                                   headers={"Content-Type": "application/json"}))
    # in a query string
    error = await _error(await client.get("/api/v1/spotify/callback?state=a%00b&code=c"))
    assert error["field"] == "query.state"


@pytest.mark.parametrize("body", [
    b"[" * 1000 + b"]" * 1000,  # deeper than any parser should recurse
    b'{"display_name": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b"\xff\xfe{}",  # not UTF-8
    b'{"display_name": "x"',  # cut short
    b"[]",  # JSON, but not an object
    b"",
])
async def test_json_the_parser_cannot_take_is_a_400(client: Any, body: bytes) -> None:
    response = await client.post("/api/v1/users", data=body,
                                 headers={"Content-Type": "application/json"})
    if body == b"":  # no body: the defaults
        assert response.status == 201
        return
    await _error(response)


async def test_types_are_strict_as_the_schema_says(client: Any) -> None:
    _, headers = await new_user(client)
    session = (await start_session(client, headers))["data"]
    track = session["recommendations"][0]["track_id"]
    for play in ({"track_id": track, "last_played": 0},
                 {"track_id": track, "play_count": "3"},
                 {"track_id": track, "play_count": 2.5}):
        error = await _error(await client.post("/api/v1/history", headers=headers,
                                               json={"tracks": [play]}))
        assert error["field"].startswith("tracks.0.")


@pytest.mark.parametrize("name", [
    "token", "Token", "TOKEN", "access_token", "access-token", "Access.Token", "auth",
    "api_key", "apikey", "API-Key", "x-api-key", "refresh_token", "bearer", "jwt",
])
async def test_credentials_in_query_strings_are_refused_whatever_the_spelling(
    client: Any, name: str
) -> None:
    _, headers = await new_user(client)
    error = await _error(await client.get(f"/api/v1/me?{name}=abc", headers=headers))
    assert error["field"] == "query"
    # an ordinary parameter is not mistaken for one
    assert (await client.get("/api/v1/me?page=2", headers=headers)).status == 200


async def test_a_token_that_is_not_printable_ascii_is_just_unknown(client: Any) -> None:
    response = await client.get("/api/v1/me", headers={"Authorization": "Bearer tm_\u00e9\u00ff"})
    await _error(response, 401)


@pytest.mark.parametrize("path", ["/", "/api/v1/health", "/api/v1/nothing-here"])
async def test_security_headers_on_every_answer(client: Any, path: str) -> None:
    response = await client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


async def test_openapi_states_every_status_a_route_returns(client: Any) -> None:
    document = await (await client.get("/api/v1/openapi.json")).json()
    operations = [op for item in document["paths"].values() for op in item.values()]
    assert all({"400", "404", "500", "503"} <= set(op["responses"]) for op in operations)
    feedback = document["paths"]["/api/v1/feedback"]["post"]["responses"]
    assert {"200", "201", "409"} <= set(feedback)
    assert "Retry-After" in feedback["503"]["headers"]
    users = document["paths"]["/api/v1/users"]["post"]
    assert users["requestBody"]["required"] is False  # every field has a default


@pytest.mark.parametrize("path", ["/health", "/api/v1/health", "/api/v1/openapi.json",
                                  "/api/v1/personality/questionnaire", "/metrics"])
async def test_head_is_answered_wherever_get_is(client: Any, path: str) -> None:
    # load balancers and uptime checks probe with HEAD: it was a 405 (or a 401 on a public
    # document) where GET answered 200
    response = await client.head(path)
    assert response.status == 200, path
    assert await response.read() == b""


async def test_head_needs_the_same_token_as_get(client: Any) -> None:
    assert (await client.head("/api/v1/me")).status == 401
    _, headers = await new_user(client)
    assert (await client.head("/api/v1/me", headers=headers)).status == 200
    refused = await client.head("/api/v1/users")  # POST only
    assert refused.status == 405 and "POST" in refused.headers["Allow"]
