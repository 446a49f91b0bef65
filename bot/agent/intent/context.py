"""What a reading gives back (a tool request or a question) and the context it reads in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ToolRequest:
    """One tool call the message asks for."""

    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Clarify:
    """The message wants a tool but leaves out what it needs: ask, in words."""

    question: str


@dataclass
class Context:
    """What earlier turns tell us: the track last talked about and the list's length."""

    last_track: str | None = None
    list_length: int | None = None

    def current_track(self) -> str:
        # Nothing discussed yet: the top of the list is the track the user saw first.
        return self.last_track or "1"

    def last_position(self) -> int:
        return self.list_length or 50


Reading = ToolRequest | Clarify

MAX_COUNT = 50  # the product's list length; larger asks are capped
