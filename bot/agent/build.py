"""The chat agent: langchain's ``create_agent`` over tunemate's tools and a chat model.

``TUNEMATE_LLM=rules`` (the default) is the offline model of ``bot.agent.rules_model``; any other
value (``openai:gpt-4o-mini``, ``anthropic:…``, ``ollama:llama3.1``) goes to
``init_chat_model``. The agent is built once per worker; each turn gets its own
``ChatContext`` through the runtime, so nothing about a user lives in the agent.
"""

from __future__ import annotations

from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models.chat_models import BaseChatModel

from bot.agent.nlu.model import trained
from bot.agent.rules_model import RulesChatModel
from tools import TOOLS
from tools.context import ChatContext

SYSTEM_PROMPT = (
    "You are tunemate, a friendly music recommender. The user sees a numbered list of "
    "tracks; 'number 4' or 'the third one' means that position in the current list. "
    "Use the tools for everything about music: recommend for new lists (put hard limits "
    "such as excluded genres or a decade in the arguments), rerank to reorder the current "
    "list, explain for 'why', feedback for likes, dislikes, skips and saves, personality "
    "for the user's traits. Only mention tracks that a tool returned. Keep replies short."
)


def build_model(llm: str, **options: Any) -> BaseChatModel:
    if llm == "rules":
        trained()  # train the reader now, at start-up, not during someone's first message
        return RulesChatModel()
    from langchain.chat_models import init_chat_model

    return init_chat_model(llm, **options)


def build_agent(model: BaseChatModel) -> Any:
    return create_agent(model, tools=TOOLS, system_prompt=SYSTEM_PROMPT,
                        context_schema=ChatContext)
