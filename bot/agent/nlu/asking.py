"""Words that ask for reasons: the mark of an explain question in words the corpus lacks.

Explain questions are asked with many verbs ("defend #4", "what's the rationale for #2",
"make the case for #5") that no template can all hold, and some of them read as opinions
to a sentiment lexicon ("argue" is a quarrel). A clause asking for reasons gets the mark
ASKWHY, so the intent model sees an unseen one as the explain questions it was trained on.
The feedback models do not see the mark. Phrases the test split holds out were left out.
"""

from __future__ import annotations

import re
from functools import lru_cache

ASK_MARKS = ("ASKWHY",)

_PHRASES = (
    "why", "whys", "how come", "what for", "reason", "reasons", "reasoning", "explain",
    "explanation", "rationale", "the thinking", "thinking behind", "motivation",
    "motive", "defend", "argue for", "argue the case", "make the case", "make a case",
    "sell me on", "convince me", "break down", "break it down", "elaborate", "clarify",
    "on what grounds", "what grounds", "on what basis", "the basis", "what made you",
    "what's the deal", "whats the deal", "what's the story", "whats the story",
    "story behind", "backstory", "tell me about", "tell me more", "insight", "the point of",
    "purpose", "what qualifies", "the idea behind", "idea behind", "the case for",
    "what's it doing", "whats it doing", "doing here", "doing on", "in here", "on here",
    "in there", "made the cut", "make the cut", "chose", "choose", "chosen", "picked",
    "selected", "included", "recommended", "suggested", "what's so special",
)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    words = sorted(_PHRASES, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+")
                                                 for w in words) + r")(?![\w'])")


def mark_asks(text: str) -> str:
    """A normalised clause with ASKWHY appended when it asks for reasons."""
    return f"{text} ASKWHY" if _pattern().search(text) else text
