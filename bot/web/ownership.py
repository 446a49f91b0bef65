"""Whose chat session is it: the check every session-scoped handler makes first."""

from __future__ import annotations

from uuid import UUID

from bot.web.errors import Forbidden, NotFound
from services.core import Services
from store.users import User


async def owned_session(services: Services, user: User, session_id: UUID) -> UUID:
    """The session if it is the user's: 404 when it does not exist, 403 when it is not theirs."""
    owner = await services.session_owner(session_id)
    if owner is None:
        raise NotFound(f"no chat session {session_id}")
    if owner != user.id:
        raise Forbidden("that chat session belongs to another user")
    return session_id
