"""The agent's tools. Each is a small async function whose docstring is its manual."""

from tools.explain import explain
from tools.feedback import feedback
from tools.personality import personality
from tools.recommend import recommend
from tools.rerank import rerank

TOOLS = [recommend, rerank, explain, feedback, personality]

__all__ = ["TOOLS", "explain", "feedback", "personality", "recommend", "rerank"]
