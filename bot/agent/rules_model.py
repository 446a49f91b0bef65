"""The offline chat model behind `TUNEMATE_LLM=rules`.

A langchain `BaseChatModel` that needs no network and no weights. On a user's message it
reads the English (`bot.agent.intent`) into tool calls for the tools bound with `bind_tools`;
once the tools have answered it phrases their results, keeping their facts and numbers as
they are and never naming a track the tools did not name. It is deterministic: the same
messages give the same reply.

    model = RulesChatModel()
    agent = create_agent(model=model, tools=TOOLS)   # create_agent calls bind_tools
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import os
import re
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from cachetools import LRUCache
from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import LanguageModelInput
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolCall, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import ensure_config
from langchain_core.tools import BaseTool
from langchain_core.tracers import context as tracer_context
from langchain_core.utils.function_calling import convert_to_openai_tool
from langsmith.utils import tracing_is_enabled

from bot.agent.intent import Context, ToolRequest, normalise, remember
from bot.agent.nlu.reader import DECLINED, FAREWELL, GREETING, MessageReading, read_message

CAPABILITIES = (
    "I can find music for a mood or an occasion (\"something calm but not sleepy\", "
    "\"10 songs of 90s rock, no rap\"), re-order your list (\"more upbeat\", \"calmer\"), "
    "explain a pick (\"why number 4?\"), take your feedback (\"I love the third one\", "
    "\"skip that\") and learn your personality (\"I'm very outgoing and a bit anxious\")."
)
_TOOL_PURPOSES = {
    "recommend": "find new music",
    "rerank": "re-order your list",
    "explain": "explain a track",
    "feedback": "record your feedback",
    "personality": "work with your personality profile",
}
_LEADS = {"recommend": "Here you go! ", "rerank": "Done! "}  # feedback speaks for itself
# no closing after feedback: its result already says the next list will reflect it
_CLOSINGS = {
    "recommend": "Want them calmer, more upbeat or more obscure? Or ask me why any track is there.",
    "rerank": "Ask \"why number 1?\" to see what put a track on top.",
    "explain": "If you love it or want to skip it, just tell me.",
    "personality": "Your next recommendations will lean on this profile.",
}
_LISTS = {"recommend"}
# how the tools start a result that changed nothing: no closing line after those
_NOTHING_DONE = ("there is no", "no track called", "i can't", "to sort", "the list has",
                 "nothing in the catalogue", "the catalogue has no", "none of your")
# the reader's questions about one track (bot/agent/nlu/reader.py, _feedback)
_ASKED_ABOUT = re.compile(r"(?:Did you like|Do you want me to skip) (?P<track>#\d+|\"[^\"]+\")")
_ASKS_WHICH = re.compile(r"^\d+ tracks of your list are by .*\?$")
_LIST_SIZE = re.compile(r"\b(\d{1,3})\s+(?:[\w&'-]+\s+){0,3}?(?:tracks|songs)\b")

_THANKS = re.compile(r"\b(?:thanks|thank you|cheers|ty|appreciate it|perfect|awesome|great)\b")
_HELP = re.compile(
    r"\bhelp\b|\bwhat (?:can|do) you do\b|\bhow\b.*\bwork|\byourself\b|\bwho are you\b|"
    r"\bwhat are you\b"
)
_ACKNOWLEDGED = re.compile(r"^(?:ok|okay|cool|yes|yeah|yep|sure|alright|fine|no|nope|nah|why not|"
                           r"sure thing|sounds good|go ahead|go for it|yes please|ok sure|"
                           r"okay sure|yeah sure|yep sure)\W*$")
_BETTER = re.compile(r"\b(?:better|more like it|what i wanted|just right|spot on)\b")


class _TurnReadings:
    """The reading of each recent turn's human message, so that a turn reads it once.

    The model is asked again after every tool result, and each time it must know what the
    human message asked for (the requests not yet made). The reader's classifiers cost
    several milliseconds a message, so the first reading is kept, keyed by the message's id
    (the agent gives every message of a turn one), its text and the context it was read in.
    A message without an id is read afresh each time.
    """

    def __init__(self, size: int = 512) -> None:
        self._readings: LRUCache[Hashable, MessageReading] = LRUCache(maxsize=size)
        self._lock = threading.Lock()  # langchain may call a sync model from a thread

    def read(self, message: BaseMessage, earlier: Sequence[BaseMessage]) -> MessageReading:
        context = conversation_context(earlier)
        if message.id is None:
            return read_message(message.text, context)
        key = (message.id, message.text, dataclasses.astuple(context))
        with self._lock:
            reading = self._readings.get(key)
        if reading is None:
            reading = read_message(message.text, context)  # updates context: key made first
            with self._lock:
                self._readings[key] = reading
        return copy.deepcopy(reading)  # the caller's tool calls must not share its dicts


_READINGS = _TurnReadings()


def tool_name(tool: dict[str, Any] | type | Callable[..., Any] | BaseTool) -> str:
    """The name a tool is called by, whatever form it was bound in."""
    if isinstance(tool, BaseTool):
        return tool.name
    if isinstance(tool, dict) and isinstance(tool.get("name"), str):
        return tool["name"]
    return str(convert_to_openai_tool(tool)["function"]["name"])


def _list_size(tool_text: str) -> int | None:
    """How many tracks a recommend result says it shows ("Here are 50 calm tracks: …")."""
    shown = _LIST_SIZE.search(tool_text)
    return int(shown.group(1)) if shown else None


def conversation_context(messages: Sequence[BaseMessage]) -> Context:
    """Replay earlier tool calls: which track was talked about last, how long the list is."""
    context = Context()
    call_names: dict[str, str] = {}
    for message in messages:
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                remember(ToolRequest(call["name"], dict(call["args"])), context)
                call_names[call["id"] or ""] = call["name"]
            if not message.tool_calls and (asked := _ASKED_ABOUT.match(message.text)):
                # "Did you like #10 or not?" → "I like it" is about #10
                context.last_track = asked["track"].lstrip("#").strip('"')
        elif isinstance(message, ToolMessage) and call_names.get(message.tool_call_id) in _LISTS:
            context.list_length = _list_size(message.text) or context.list_length
    return context


def small_talk(text: str) -> str:
    """The reply to a message that asks for no tool: greetings, thanks, help, nonsense."""
    said = normalise(text)
    if not said:
        return "I didn't catch anything there. " + CAPABILITIES
    if GREETING.search(said):
        return "Hi! I'm tunemate, your music companion. " + CAPABILITIES
    if FAREWELL.search(said):
        return "Bye for now, enjoy the music!"
    if DECLINED.search(said):  # "no thanks", "nah i'm good thanks"
        return "No problem. Tell me what you'd like next: a mood, a genre, or \"why number 3?\"."
    if _THANKS.search(said):
        return "You're welcome! Anything else? Try \"more upbeat\" or \"why number 2?\"."
    if _HELP.search(said):
        return "Here's what I can do. " + CAPABILITIES
    if _BETTER.search(said):
        return "Glad that's better! Tell me what you'd like next: a mood, a genre, or \"why " \
               "number 3?\"."
    if _ACKNOWLEDGED.search(said):
        return "Okay! Tell me what you'd like next: a mood, a genre, or \"why number 3?\"."
    return "Sorry, I didn't understand that. " + CAPABILITIES


_THANKED = re.compile(r"(?<!\bno )\b(?:thanks|thank you|thank u|thx|ty|cheers|appreciate it)\b")


def with_courtesy(text: str, reply: str) -> str:
    """A reply to requests that also answers the greeting, thanks or goodbye said beside
    them: "Hi!" before it, "You're welcome!" or "Bye for now!" after it."""
    said = normalise(text)
    if GREETING.search(said):
        reply = "Hi! " + reply
    if _THANKED.search(said):
        reply += "\n\nYou're welcome!"
    if FAREWELL.search(said):
        reply += "\n\nBye for now, enjoy the music!"
    return reply


def didnt_understand(parts: Sequence[str]) -> str:
    """The line a reply ends with when some parts of the message were not understood."""
    quoted = " and ".join(f"\"{p.rstrip(' ,;')}\"" for p in parts)
    return (f"I didn't understand {quoted}, so I did nothing for it. Try \"why number 3?\", "
            "\"something calmer\" or \"I don't like #3\".")


def _turn_start(messages: Sequence[BaseMessage]) -> int:
    """The index of the last human message: where this turn began."""
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return index
    return -1


def _trailing_results(
    messages: Sequence[BaseMessage],
) -> tuple[list[ToolMessage], dict[str, ToolCall]]:
    """This turn's tool results, in the order they came, and the calls they answer."""
    results: list[ToolMessage] = []
    calls: dict[str, ToolCall] = {}
    for message in messages[_turn_start(messages) + 1:]:
        if isinstance(message, ToolMessage):
            results.append(message)
        elif isinstance(message, AIMessage):
            calls |= {c["id"] or "": c for c in message.tool_calls}
    return results, calls


def _phrase_result(name: str, result: ToolMessage) -> str:
    text = result.text.strip()
    if result.status == "error":
        purpose = _TOOL_PURPOSES.get(name, "do that")
        return f"Sorry, I couldn't {purpose}: {text or 'the tool failed without saying why.'}"
    if not text:
        return f"The {name or 'tool'} step finished, but it had nothing to report."
    made_a_list = text.startswith(("Here are", "Reordered"))
    return (_LEADS.get(name, "") if made_a_list else "") + text


def phrase_results(messages: Sequence[BaseMessage]) -> str:
    """A short, friendly reply built from the tools' own words."""
    results, calls = _trailing_results(messages)
    names = [calls[r.tool_call_id]["name"] if r.tool_call_id in calls else r.name or ""
             for r in results]
    parts = [_phrase_result(name, result) for name, result in zip(names, results, strict=True)]
    succeeded = [n for n, r in zip(names, results, strict=True) if r.status != "error"]
    nothing_done = results and (results[-1].text.lower().startswith(_NOTHING_DONE)
                                or bool(_ASKS_WHICH.match(results[-1].text)))
    if succeeded and succeeded[-1] in _CLOSINGS and not nothing_done:
        last_call = calls.get(results[-1].tool_call_id)
        action = last_call["args"].get("action") if last_call else None
        if not (succeeded[-1] == "personality" and action == "show"):
            parts.append(_CLOSINGS[succeeded[-1]])
    return "\n\n".join(parts)


def _call_id(messages: Sequence[BaseMessage], index: int, request: ToolRequest) -> str:
    """An id that is the same for the same conversation and differs between turns."""
    digest = hashlib.sha256()
    for message in messages:
        digest.update(f"{message.type}\x1f{message.text}\x1e".encode())
    args = json.dumps(request.args, sort_keys=True)
    digest.update(f"{index}\x1f{request.name}\x1f{args}".encode())
    return f"call_{digest.hexdigest()[:16]}"


class RulesChatModel(BaseChatModel):
    """Offline, deterministic tool-calling chat model for tunemate.

    Build it with no arguments; `bind_tools` (which `create_agent` calls) returns a copy that
    knows the bound tools' names. Only bound tools are ever called; if a message needs a tool
    that is not bound, the model says so in words.
    """

    tool_names: tuple[str, ...] = ()

    @property
    def _llm_type(self) -> str:
        return "tunemate-rules"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": "tunemate-rules", "tool_names": list(self.tool_names)}

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> RulesChatModel:
        # tool_choice is accepted for the agent's sake; the rules decide for themselves.
        return self.model_copy(update={"tool_names": tuple(tool_name(t) for t in tools)})

    def respond(self, messages: Sequence[BaseMessage]) -> AIMessage:
        """The model's next message for a conversation.

        The requests of one message are called one at a time, each after the previous one
        answered, so they are carried out in the order they were said ("love #2, now
        something calmer" records the like before the list is reordered).
        """
        last = messages[-1] if messages else None
        if isinstance(last, ToolMessage):
            start = _turn_start(messages)
            if start >= 0:
                made = sum(len(m.tool_calls) for m in messages[start + 1:]
                           if isinstance(m, AIMessage))
                pending = self._usable(messages[start], messages[:start])
                if made < len(pending):
                    return self._call(messages[: start + 1], made, pending[made])
                reading = _READINGS.read(messages[start], messages[:start])
                # "hi! can you play some jazz", "acoustic ones first, and thanks!"
                said = with_courtesy(messages[start].text, phrase_results(messages))
                if reading.unread:  # a part of the message nothing was done for says so
                    said += "\n\n" + didnt_understand(reading.unread)
                return AIMessage(content=said)
            return AIMessage(content=phrase_results(messages))
        if isinstance(last, HumanMessage):
            return self._answer(last, messages)
        return AIMessage(content=CAPABILITIES)

    def _usable(self, human: BaseMessage, earlier: Sequence[BaseMessage]) -> list[ToolRequest]:
        reading = _READINGS.read(human, earlier)
        return [r for r in reading.requests if r.name in self.tool_names]

    @staticmethod
    def _call(turn: Sequence[BaseMessage], index: int, request: ToolRequest) -> AIMessage:
        call = ToolCall(name=request.name, args=request.args,
                        id=_call_id(turn, index, request), type="tool_call")
        return AIMessage(content="", tool_calls=[call])

    def _answer(self, human: BaseMessage, messages: Sequence[BaseMessage]) -> AIMessage:
        reading = _READINGS.read(human, messages[:-1])
        text = human.text
        usable = [r for r in reading.requests if r.name in self.tool_names]
        if usable:
            return self._call(messages, 0, usable[0])
        if reading.requests:
            purpose = _TOOL_PURPOSES.get(reading.requests[0].name, "do that")
            return AIMessage(content=f"I'd like to {purpose}, but I can't do that in this chat.")
        return AIMessage(content=reading.clarification or small_talk(text))

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.respond(messages))])

    async def ainvoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AIMessage:
        """The agent's way in. When nobody listens to the model's run (no callback handler,
        no tracing: the service's turns), the answer is made directly: langchain's run
        bookkeeping around it (callback managers, run ids, an empty cache look-up) took more
        CPU than the rules themselves and, on a loaded server, nine extra passes of the
        event loop per call. With a listener, the standard path runs, events and all."""
        if self.cache is not None or self.rate_limiter is not None or _listened(config):
            return await super().ainvoke(input, config, stop=stop, **kwargs)
        return self.respond(self._convert_input(input).to_messages())

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        # Pure CPU work of well under a millisecond: no need for a thread.
        return self._generate(messages, stop=stop, **kwargs)


def _listened(config: RunnableConfig | None) -> bool:
    """Does anything observe a model run under ``config``: a callback handler, tracing, or
    a handler that langchain would add itself (its configure hooks: run collectors, env
    handlers)? When that cannot be told, the answer is yes."""
    callbacks = ensure_config(config).get("callbacks")
    if isinstance(callbacks, list):
        if callbacks:
            return True
    elif callbacks is not None and (callbacks.handlers or callbacks.inheritable_handlers):
        return True
    hooks = getattr(tracer_context, "_configure_hooks", None)
    if not isinstance(hooks, list):
        return True
    for var, _inheritable, handler_class, env_var in hooks:
        if var.get() is not None or (handler_class is not None and env_var
                                     and os.environ.get(env_var)):
            return True
    return bool(tracing_is_enabled())
