"""The rules model inside a real langchain `create_agent` loop.

The tools here are stand-ins with the real tools' names and signatures: they record how
they were called and answer in plain text, so the test can check both directions — the
model's calls reach the tools with the right arguments, and the tools' answers reach the
user in the final reply.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool, tool

from bot.agent.rules_model import RulesChatModel

Calls = list[tuple[str, dict[str, Any]]]


def recording_tools(calls: Calls) -> list[BaseTool]:
    @tool
    async def recommend(
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
        """Recommend tracks for a mood or free-text request, with hard constraints."""
        calls.append(("recommend", {"request": request, "count": count,
                                    "include_genres": include_genres or [],
                                    "exclude_genres": exclude_genres or [], "decade": decade,
                                    "similar_to": similar_to}))
        return f"{count} tracks for '{request}': 1. Weightless (Marconi Union), 2. Holocene"

    @tool
    async def rerank(criterion: str, genre: str | None = None, decade: int | None = None) -> str:
        """Re-order the current list by a criterion such as calmer or more_energetic."""
        calls.append(("rerank", {"criterion": criterion, "genre": genre, "decade": decade}))
        return f"Re-ordered 50 tracks ({criterion}); mean energy now 0.31."

    @tool
    async def explain(track: str) -> str:
        """Explain why a track (position, name or id) is in the list."""
        calls.append(("explain", {"track": track}))
        return f"Track {track} scored 0.74: history 0.81, personality 0.66, novelty 0.40."

    @tool
    async def feedback(track: str, signal: str) -> str:
        """Record feedback (like, dislike, skip, save ...) on a track."""
        calls.append(("feedback", {"track": track, "signal": signal}))
        return f"Recorded {signal} for track {track} (reward recorded)."

    @tool
    async def personality(
        action: str,
        openness: float | None = None,
        conscientiousness: float | None = None,
        extraversion: float | None = None,
        agreeableness: float | None = None,
        neuroticism: float | None = None,
    ) -> str:
        """Show or set the user's Big Five personality profile."""
        traits = {"openness": openness, "conscientiousness": conscientiousness,
                  "extraversion": extraversion, "agreeableness": agreeableness,
                  "neuroticism": neuroticism}
        calls.append(("personality", {"action": action, **traits}))
        return f"Personality {action}: extraversion {extraversion}, neuroticism {neuroticism}."

    return [recommend, rerank, explain, feedback, personality]


async def run_turn(messages: list[BaseMessage]) -> tuple[Calls, list[BaseMessage]]:
    calls: Calls = []
    agent = create_agent(model=RulesChatModel(), tools=recording_tools(calls))
    state = await agent.ainvoke({"messages": messages})
    return calls, state["messages"]


def final_reply(messages: list[BaseMessage]) -> AIMessage:
    last = messages[-1]
    assert isinstance(last, AIMessage) and not last.tool_calls
    return last


TURNS = [
    ("something calm but not sleepy, no rap",
     [("recommend", {"request": "calm but not sleepy", "exclude_genres": ["rap"], "count": 50})],
     "50 tracks for 'calm but not sleepy': 1. Weightless (Marconi Union)"),
    ("20 songs of 90s rock",
     [("recommend", {"count": 20, "decade": 1990, "include_genres": ["rock"]})],
     "20 tracks for"),
    ("more upbeat please", [("rerank", {"criterion": "more_energetic"})],
     "Re-ordered 50 tracks (more_energetic); mean energy now 0.31."),
    ("sort by 80s", [("rerank", {"criterion": "decade", "decade": 1980})], "(decade)"),
    ("why is number 4 here?", [("explain", {"track": "4"})],
     "Track 4 scored 0.74: history 0.81, personality 0.66, novelty 0.40."),
    ("I hate the second track", [("feedback", {"track": "2", "signal": "dislike"})],
     "Recorded dislike for track 2"),
    ("I'm very outgoing and a bit anxious",
     [("personality", {"action": "set", "extraversion": 4.5, "neuroticism": 3.75})],
     "extraversion 4.5, neuroticism 3.75"),
    ("more like the first one", [("recommend", {"similar_to": "1"})], "1. Weightless"),
    ("I love the second one, now play something calmer",
     [("feedback", {"track": "2", "signal": "like"}), ("rerank", {"criterion": "calmer"})],
     "Recorded like for track 2"),
]


@pytest.mark.parametrize(("text", "expected_calls", "in_reply"), TURNS)
async def test_a_turn_calls_the_tools_and_phrases_their_answer(
    text: str, expected_calls: list[tuple[str, dict[str, Any]]], in_reply: str
) -> None:
    calls, messages = await run_turn([HumanMessage(text)])
    assert [name for name, _ in calls] == [name for name, _ in expected_calls]
    for (_, args), (_, expected) in zip(calls, expected_calls, strict=True):
        assert {k: args[k] for k in expected} == expected
    reply = final_reply(messages)
    assert in_reply in reply.content
    assert sum(isinstance(m, ToolMessage) for m in messages) == len(expected_calls)


async def test_small_talk_calls_no_tool() -> None:
    calls, messages = await run_turn([HumanMessage("hello there")])
    assert calls == []
    assert "tunemate" in final_reply(messages).content


async def test_a_conversation_carries_what_was_discussed() -> None:
    calls, messages = await run_turn([HumanMessage("why number 7?")])
    assert calls == [("explain", {"track": "7"})]
    more_calls, messages = await run_turn([*messages, HumanMessage("skip that")])
    assert more_calls == [("feedback", {"track": "7", "signal": "skip"})]
    assert "Recorded skip for track 7" in final_reply(messages).content


async def test_a_turn_reads_its_message_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model is asked again after each tool result; the reader (several ms of
    classifiers) still runs once a turn, and a new turn with the same words reads again."""
    import bot.agent.rules_model as rules_model

    read: list[str] = []

    def counting_read(text: str, context: Any) -> Any:
        read.append(text)
        return real_read(text, context)

    real_read = rules_model.read_message
    monkeypatch.setattr(rules_model, "read_message", counting_read)
    text = "I love the second one, now play something calmer"
    calls, messages = await run_turn([HumanMessage(text)])
    assert [name for name, _ in calls] == ["feedback", "rerank"]  # three model calls
    assert read == [text]
    calls, _ = await run_turn([*messages, HumanMessage(text)])
    assert [name for name, _ in calls] == ["feedback", "rerank"]
    assert read == [text, text]


class _ModelRuns(AsyncCallbackHandler):
    """Counts the chat-model runs langchain reports to its callback handlers."""

    def __init__(self) -> None:
        self.started = 0

    async def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.started += 1


@pytest.mark.parametrize("text", [
    "something calm for studying",
    "love #2, now something calmer",
    "why is number 4 here?",
    "hello",
])
async def test_a_turn_says_the_same_whether_or_not_anyone_listens(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model answers the agent directly when no handler listens, and through langchain's
    run bookkeeping when one does: the same calls, the same reply, and the listener hears
    every model run."""
    generated: list[int] = []
    standard = RulesChatModel._generate

    def counted(self: RulesChatModel, *args: Any, **kwargs: Any) -> Any:
        generated.append(1)
        return standard(self, *args, **kwargs)

    monkeypatch.setattr(RulesChatModel, "_generate", counted)
    quiet_calls: Calls = []
    agent = create_agent(model=RulesChatModel(), tools=recording_tools(quiet_calls))
    quiet = (await agent.ainvoke({"messages": [HumanMessage(text)]}))["messages"]
    assert not generated  # nobody listened: no run bookkeeping

    heard_calls: Calls = []
    runs = _ModelRuns()
    agent = create_agent(model=RulesChatModel(), tools=recording_tools(heard_calls))
    heard = (await agent.ainvoke({"messages": [HumanMessage(text)]},
                                 config={"callbacks": [runs]}))["messages"]

    assert quiet_calls == heard_calls
    assert [(type(m), m.content) for m in quiet] == [(type(m), m.content) for m in heard]
    assert [m.tool_calls for m in quiet if isinstance(m, AIMessage)] == \
        [m.tool_calls for m in heard if isinstance(m, AIMessage)]
    assert runs.started == len(generated) == sum(isinstance(m, AIMessage) for m in heard) >= 1


async def test_a_part_read_as_nothing_is_named_in_the_reply() -> None:
    """A message whose one part is carried out and another read as nothing says so, rather
    than answer as if all of it was done."""
    calls, messages = await run_turn([HumanMessage("qwzx vbnm. put the happy ones first")])
    assert calls == [("rerank", {"criterion": "happier", "genre": None, "decade": None})]
    reply = final_reply(messages).content
    assert "Re-ordered 50 tracks (happier)" in reply
    assert "I didn't understand \"qwzx vbnm.\"" in reply


async def test_how_one_feels_beside_a_request_is_its_reason() -> None:
    calls, messages = await run_turn(
        [HumanMessage("i'm in the mood for some sad songs, had a rough day")])
    assert [name for name, _ in calls] == ["recommend"]
    assert "I didn't understand" not in final_reply(messages).content


async def test_a_greeting_or_thanks_beside_a_request_is_answered_too() -> None:
    calls, messages = await run_turn([HumanMessage("hi! can you play some jazz")])
    assert [name for name, _ in calls] == ["recommend"]
    reply = final_reply(messages).content
    assert reply.startswith("Hi! ") and "tracks for" in reply
    calls, messages = await run_turn([HumanMessage("acoustic ones first, and thanks!")])
    assert calls == [("rerank", {"criterion": "more_acoustic", "genre": None, "decade": None})]
    assert final_reply(messages).content.endswith("You're welcome!")
    calls, messages = await run_turn([HumanMessage("put the happy ones first")])
    assert "welcome" not in final_reply(messages).content
    assert not final_reply(messages).content.startswith("Hi!")


async def test_no_thanks_is_not_thanked() -> None:
    calls, messages = await run_turn([HumanMessage("no thanks, put the happy ones first")])
    assert ("rerank", {"criterion": "happier", "genre": None, "decade": None}) in calls
    assert "welcome" not in final_reply(messages).content


async def test_a_polite_no_is_answered_as_one() -> None:
    calls, messages = await run_turn([HumanMessage("no thanks")])
    assert calls == []
    reply = final_reply(messages).content
    assert reply.startswith("No problem.") and "welcome" not in reply


async def test_a_yes_to_the_assistant_is_answered_as_one() -> None:
    """"why not" had been answered "Sorry, I didn't understand that"."""
    calls, messages = await run_turn([HumanMessage("why not")])
    assert calls == []
    assert final_reply(messages).content.startswith("Okay!")
