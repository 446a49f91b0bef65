"""The app shell: health of each dependency, and a JSON 404 for an unknown route."""

from __future__ import annotations


async def test_health_reports_each_dependency(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/health")
    assert response.status == 200
    body = await response.json()
    assert body["status"] == "ok"
    assert body["checks"]["postgres"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is True
    assert body["checks"]["catalog"]["tracks"] > 0


async def test_unknown_route_is_a_json_404(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/api/v1/nothing-here")
    assert response.status == 404
    body = await response.json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"]
