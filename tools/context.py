"""What every tool call gets through the agent's runtime: who asks, and where to report.

A ``ChatContext`` lives for one chat turn (or one session start). Tools append the
actions they took and set ``recommendations`` when the list on screen changes; the
handler turns those into the response. Nothing here outlives the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from services.core import RecommendResult, Services
from store.users import User


@dataclass
class ChatContext:
    services: Services
    user: User
    session_id: UUID
    actions: list[dict[str, Any]] = field(default_factory=list)
    recommendations: list[dict[str, Any]] | None = None  # set when the list changed
    result: RecommendResult | None = None  # the last new list, with how it was made

    def record(self, tool: str, args: dict[str, Any], summary: str) -> None:
        self.actions.append({"tool": tool, "args": args, "summary": summary})
