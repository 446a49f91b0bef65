"""SQL for ``users``: creation with a one-time API token, and look-up by token."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg


@dataclass(frozen=True)
class User:
    id: UUID
    display_name: str
    created_at: datetime

    def account_age_days(self, now: datetime) -> float:
        return max(0.0, (now - self.created_at).total_seconds() / 86400.0)


def hash_token(token: str) -> bytes:
    # tokens are 256 random bits, so a plain digest is enough: there is nothing to brute-force
    return hashlib.sha256(token.encode("utf-8")).digest()


async def create_user(pool: asyncpg.Pool, display_name: str) -> tuple[User, str]:
    """A new user and their API token (returned once; only its hash is stored)."""
    token = "tm_" + secrets.token_urlsafe(32)
    row = await pool.fetchrow(
        """INSERT INTO users (display_name, token_hash) VALUES ($1, $2)
           RETURNING id, display_name, created_at""",
        display_name, hash_token(token),
    )
    return User(row["id"], row["display_name"], row["created_at"]), token


async def user_by_token(pool: asyncpg.Pool, token: str) -> User | None:
    row = await pool.fetchrow(
        "SELECT id, display_name, created_at FROM users WHERE token_hash = $1", hash_token(token)
    )
    return None if row is None else User(row["id"], row["display_name"], row["created_at"])


async def set_created_at(pool: asyncpg.Pool, user_id: UUID, created_at: datetime) -> None:
    """Back-date an account (tests and demos of the cold-start stages)."""
    await pool.execute("UPDATE users SET created_at = $2 WHERE id = $1", user_id, created_at)
