"""`TUNEMATE_LLM=openai:…` goes through init_chat_model; here it talks to a small
OpenAI-compatible server started by the test, which answers with scripted tool calls."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from services.config import Settings
from tests.conftest import Backends
from tests.helpers import energies, new_user, say, start_session

pytest.importorskip("langchain_openai")

# user text pattern -> the tool call the scripted model makes
SCRIPT: list[tuple[str, str, dict[str, Any]]] = [
    (r"calm", "recommend", {"request": "calm"}),
    (r"upbeat", "rerank", {"criterion": "more_energetic"}),
    (r"why number (\d+)", "explain", {"track": "{0}"}),
    (r"love number (\d+)", "feedback", {"track": "{0}", "signal": "like"}),
]


def _completion(message: dict[str, Any], finish: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:8]}", "object": "chat.completion", "created": 0,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


class ScriptedOpenAI:
    """Just enough of POST /v1/chat/completions: tool calls for users, words after tools."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    async def completions(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        last = body["messages"][-1]
        if last["role"] == "tool":
            return web.json_response(_completion(
                {"role": "assistant", "content": "Done: " + last["content"]}, "stop"))
        text = last["content"] if isinstance(last["content"], str) else str(last["content"])
        for pattern, tool, args in SCRIPT:
            found = re.search(pattern, text.lower())
            if found:
                filled = {k: v.format(*found.groups()) if isinstance(v, str) else v
                          for k, v in args.items()}
                call = {"id": f"call_{uuid.uuid4().hex[:8]}", "type": "function",
                        "function": {"name": tool, "arguments": json.dumps(filled)}}
                return web.json_response(_completion(
                    {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"))
        return web.json_response(_completion(
            {"role": "assistant", "content": "I can recommend music."}, "stop"))


@pytest.fixture
async def openai_server() -> AsyncIterator[tuple[ScriptedOpenAI, str]]:
    fake = ScriptedOpenAI()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", fake.completions)
    server = TestServer(app)
    await server.start_server()
    yield fake, str(server.make_url("/v1"))
    await server.close()


async def test_the_same_loop_runs_through_an_openai_compatible_model(
    aiohttp_client: Any, settings: Settings, backends: Backends, prepared_database: str,
    pg: asyncpg.Connection, openai_server: tuple[ScriptedOpenAI, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.web.app import init_app

    fake, base_url = openai_server
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    app = init_app(settings.model_copy(update={"llm": "openai:gpt-4o-mini"}),
                   database_url=prepared_database, redis_url=backends.redis_url)
    client = await aiohttp_client(app)
    user_id, headers = await new_user(client)
    data = (await start_session(client, headers))["data"]
    session = data["session_id"]

    calm = await say(client, headers, session, "something calm")
    assert [a["tool"] for a in calm["actions"]] == ["recommend"]
    assert mean_of(await energies(pg, calm["recommendations"])) < \
        mean_of(await energies(pg, data["recommendations"]))
    assert calm["reply"].startswith("Done: Here are 50 tracks")

    why = await say(client, headers, session, "why number 3?")
    assert calm["recommendations"][2]["name"] in why["reply"]

    await say(client, headers, session, "I love number 2")
    liked = await pg.fetchval("SELECT track_id FROM feedback_events WHERE user_id = $1",
                              uuid.UUID(user_id))
    assert liked == calm["recommendations"][1]["track_id"]

    # the model was offered all five tools, by name, on every call
    offered = {t["function"]["name"] for t in fake.requests[0]["tools"]}
    assert offered == {"recommend", "rerank", "explain", "feedback", "personality"}
    # and it saw the conversation so far, read back from Postgres each turn
    assert any("calm" in str(m.get("content")) for m in fake.requests[-1]["messages"])


def mean_of(values: list[float]) -> float:
    return sum(values) / len(values)
