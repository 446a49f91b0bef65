"""One chat turn: read the session's recent history, run the agent, store what was said."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from services import metrics
from store import chat
from tools.context import ChatContext


def to_messages(rows: list[dict[str, Any]]) -> list[BaseMessage]:
    """Stored rows as langchain messages; a window never starts inside a tool exchange."""
    messages: list[BaseMessage] = []
    for row in rows:
        if row["role"] == "human":
            messages.append(HumanMessage(row["content"]))
        elif row["role"] == "ai":
            messages.append(AIMessage(row["content"], tool_calls=row["tool_calls"] or []))
        elif row["role"] == "tool":
            messages.append(ToolMessage(row["content"], tool_call_id=row["tool_call_id"]))
    while messages and isinstance(messages[0], ToolMessage):
        messages.pop(0)
    return messages


def to_rows(messages: list[BaseMessage]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for message in messages:
        content = message.content if isinstance(message.content, str) else str(message.content)
        if isinstance(message, HumanMessage):
            rows.append({"role": "human", "content": content})
        elif isinstance(message, AIMessage):
            calls = [{"name": c["name"], "args": c["args"], "id": c["id"]}
                     for c in message.tool_calls]
            rows.append({"role": "ai", "content": content, "tool_calls": calls or None})
        elif isinstance(message, ToolMessage):
            rows.append({"role": "tool", "content": content,
                         "tool_call_id": message.tool_call_id})
    return rows


async def _prepare(ctx: ChatContext, text: str) -> list[BaseMessage]:
    window = ctx.services.settings.server.chat_history_window
    history = to_messages(await chat.recent_messages(ctx.services.pool, ctx.session_id, window))
    return [*history, HumanMessage(text)]


async def _finish(ctx: ChatContext, sent: list[BaseMessage], result: list[BaseMessage]) -> str:
    new = result[len(sent) - 1:]  # the human message and all that followed it
    for action in ctx.actions:
        metrics.TOOL_CALLS.labels(action["tool"]).inc()
    await chat.add_messages(ctx.services.pool, ctx.session_id, to_rows(new))
    for message in reversed(new):
        if isinstance(message, AIMessage) and not message.tool_calls:
            return message.content if isinstance(message.content, str) else str(message.content)
    return "Done."


async def run_turn(agent: Any, ctx: ChatContext, text: str) -> str:
    """The agent's reply to ``text``; actions and any new list are left on ``ctx``."""
    sent = await _prepare(ctx, text)
    state = await agent.ainvoke({"messages": sent}, context=ctx)
    return await _finish(ctx, sent, state["messages"])


async def stream_turn(agent: Any, ctx: ChatContext, text: str) -> AsyncIterator[dict[str, Any]]:
    """The same turn as events: each action as its tool finishes, then the reply."""
    sent = await _prepare(ctx, text)
    reported = 0
    final: list[BaseMessage] = sent
    async for state in agent.astream({"messages": sent}, context=ctx, stream_mode="values"):
        final = state["messages"]
        while reported < len(ctx.actions):
            yield {"type": "action", **ctx.actions[reported]}
            reported += 1
    reply = await _finish(ctx, sent, final)
    for chunk in _chunks(reply):
        yield {"type": "reply_chunk", "text": chunk}
    yield {"type": "done", "reply": reply}


def _chunks(text: str, size: int = 80) -> list[str]:
    """The reply in pieces of about ``size`` characters, split at spaces."""
    pieces, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > size:
            pieces.append(current + " ")
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        pieces.append(current)
    return pieces
