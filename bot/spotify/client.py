"""The Spotify client side: token encryption, the PKCE handshake, and guarded Web API calls.

spotipy does the HTTP, with its own retries off (``retries=0``) because ours replace them:
a bounded number of attempts that honours ``Retry-After`` on a 429 but refuses to sleep
longer than ``spotify.max_retry_after_s``. spotipy blocks, so every call runs in a thread.
Each attempt spends one unit of the app-wide budget (``rate_limits.spotify_app_per_minute``,
counted in Redis and shared by every worker); GET answers may be cached in Redis as JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import hashlib
import json
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin

import requests
import spotipy
from cryptography.fernet import Fernet, InvalidToken
from spotipy.cache_handler import MemoryCacheHandler
from spotipy.oauth2 import SpotifyOauthError, SpotifyPKCE

from services.config import ConfigError, Settings
from store.cache import SPOTIFY, JsonCache
from store.ratelimit import RateLimiter

log = logging.getLogger(__name__)
T = TypeVar("T")

APP_SCOPE = "spotify_app"  # the RateLimiter scope of the app-wide Spotify budget
KEY_FILE = "spotify.key"
# transient failures (5xx, network) are retried after this many seconds, doubling each time
_BACKOFF_S = 0.5


class SpotifyError(Exception):
    """Something went wrong talking to Spotify; ``message`` says what, for the user."""

    def __init__(self, message: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_s = retry_after_s


class SpotifyAuthError(SpotifyError):
    """Spotify's accounts service refused a code or a refresh token."""


class SpotifyTokenRejected(SpotifyError):
    """The Web API answered 401: the access token expired or was revoked."""


class SpotifyRateLimited(SpotifyError):
    """Spotify said 429 for longer than we are willing to wait, or too many times."""


class SpotifyBudgetExhausted(SpotifyError):
    """The app spent its calls to Spotify for this minute."""


class SpotifyUnavailable(SpotifyError):
    """Spotify could not be reached, or answered with an error we cannot act on."""


# ------------------------------------------------------------------ tokens at rest


def load_token_cipher(settings: Settings) -> Fernet:
    """The Fernet key from ``spotify.token_key``, else from (a new) ``<data_dir>/spotify.key``."""
    configured = settings.spotify.token_key
    raw = (configured.get_secret_value().encode() if configured is not None
           else _key_file(settings.data_dir / KEY_FILE))
    try:
        return Fernet(raw)
    except ValueError:
        where = "config key 'spotify.token_key'" if configured is not None else str(
            settings.data_dir / KEY_FILE)
        raise ConfigError(f"{where}: not a Fernet key (32 url-safe base64-encoded bytes); "
                          "make one with `python -c 'from cryptography.fernet import Fernet; "
                          "print(Fernet.generate_key().decode())'`") from None


def _key_file(path: Path) -> bytes:
    """Read the key file, creating it (mode 0600) on first use; safe with racing workers."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(Fernet.generate_key())
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(draft, path)  # atomic: the first worker's key wins, never a half file
        finally:
            draft.unlink(missing_ok=True)
        log.info("generated the Spotify token key at %s", path)
    if path.stat().st_mode & 0o077:
        log.warning("%s is readable by other users; chmod 600 it", path)
    return path.read_bytes().strip()


def decrypt(cipher: Fernet, sealed: bytes) -> str:
    try:
        return cipher.decrypt(sealed).decode()
    except InvalidToken:
        # the key changed since these were stored: the account has to be connected again
        raise SpotifyAuthError("the stored Spotify tokens cannot be decrypted with the current "
                               "key; connect Spotify again") from None


# ------------------------------------------------------------------ the PKCE handshake


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str
    expires_at: datetime
    scope: str

    @classmethod
    def from_token_info(cls, info: dict[str, Any], previous_refresh: str = "") -> TokenSet:
        return cls(
            access_token=info["access_token"],
            # a refresh answer may omit the refresh token: the old one stays valid then
            refresh_token=info.get("refresh_token") or previous_refresh,
            expires_at=datetime.fromtimestamp(int(info["expires_at"]), UTC),
            scope=info.get("scope") or "",
        )


def _pkce(settings: Settings) -> SpotifyPKCE:
    spotify = settings.spotify
    auth = SpotifyPKCE(
        client_id=spotify.client_id, redirect_uri=spotify.redirect_uri, scope=spotify.scope,
        cache_handler=MemoryCacheHandler(), requests_timeout=spotify.request_timeout_s,
        requests_session=False, open_browser=False,
    )
    base = spotify.accounts_base.rstrip("/") + "/"
    auth.OAUTH_AUTHORIZE_URL = urljoin(base, "authorize")
    auth.OAUTH_TOKEN_URL = urljoin(base, "api/token")
    return auth


def authorize_url(settings: Settings, state: str) -> tuple[str, str]:
    """The URL to send the user to, and the PKCE code verifier to keep for the callback."""
    auth = _pkce(settings)
    auth.get_pkce_handshake_parameters()
    return auth.get_authorize_url(state), str(auth.code_verifier)


def exchange_code(settings: Settings, code: str, code_verifier: str) -> TokenSet:
    """Blocking: trade the authorization code (and our verifier) for tokens."""
    auth = _pkce(settings)
    auth.code_verifier = code_verifier
    auth.code_challenge = "-"  # only the verifier travels in this request
    try:
        auth.get_access_token(code=code, check_cache=False)
    except SpotifyOauthError as exc:
        raise SpotifyAuthError(f"Spotify refused the authorization code: "
                               f"{exc.error_description or exc.error or exc}") from None
    info = auth.cache_handler.get_cached_token()
    return TokenSet.from_token_info(info)


def refresh_tokens(settings: Settings, refresh_token: str) -> TokenSet:
    """Blocking: a new access token for a refresh token."""
    try:
        info = _pkce(settings).refresh_access_token(refresh_token)
    except SpotifyOauthError as exc:
        raise SpotifyAuthError(f"Spotify refused to refresh access ({exc.error or exc}); "
                               "connect Spotify again") from None
    return TokenSet.from_token_info(info, refresh_token)


# ------------------------------------------------------------------ guarded calls


def retry_after_s(headers: Any) -> float:
    """Seconds from a ``Retry-After`` header (delta or HTTP date); 1 when absent or odd."""
    value = (headers or {}).get("Retry-After")
    if value is None:
        return 1.0
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 1.0
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class SpotifyApi:
    """Web API and accounts calls with our retry, the app-wide budget and the response cache."""

    def __init__(self, settings: Settings, limiter: RateLimiter, cache: JsonCache,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.settings = settings
        self._limiter = limiter
        self._cache = cache
        self._sleep = sleep
        self._api_base = settings.spotify.api_base.rstrip("/") + "/"

    def _client(self, access_token: str) -> spotipy.Spotify:
        client = spotipy.Spotify(
            auth=access_token, requests_session=False, retries=0, status_retries=0,
            requests_timeout=self.settings.spotify.request_timeout_s,
        )
        client.prefix = self._api_base
        return client

    async def call(self, access_token: str, method: str, *args: Any,
                   cache_owner: str | None = None, fresh: bool = False, **kwargs: Any) -> Any:
        """``spotipy.Spotify.<method>(*args, **kwargs)``, guarded.

        With ``cache_owner`` (a read, the Spotify user it belongs to) the answer is cached
        under that owner for ``cache.spotify_response_ttl_s``; ``fresh`` skips the cached
        answer (and replaces it).
        """
        key = None
        if cache_owner is not None:
            digest = hashlib.sha256(
                json.dumps([method, args, kwargs], sort_keys=True, default=str).encode()
            ).hexdigest()[:24]
            key = f"{cache_owner}:{method}:{digest}"
            cached = None if fresh else await self._cache.get(SPOTIFY, key)
            if cached is not None:
                return cached

        def request() -> Any:
            return getattr(self._client(access_token), method)(*args, **kwargs)

        result = await self.guarded(request, idempotent=cache_owner is not None)
        if key is not None and result is not None:
            await self._cache.set(SPOTIFY, key, result, owner=cache_owner)
        return result

    async def guarded(self, request: Callable[[], T], *, idempotent: bool) -> T:
        """Run a blocking Spotify request in a thread, within the budget, retrying boundedly.

        A 429 is retried after its ``Retry-After``; a 5xx or a network failure only when the
        request is idempotent (a repeated POST could create a second playlist).
        """
        spotify = self.settings.spotify
        attempts = spotify.max_retries + 1
        for attempt in range(1, attempts + 1):
            await self._spend_budget()
            try:
                return await asyncio.to_thread(request)
            except spotipy.SpotifyException as exc:
                if exc.http_status == 401:
                    raise SpotifyTokenRejected("Spotify rejected the access token") from None
                if exc.http_status == 429:
                    wait = retry_after_s(exc.headers)
                    if wait > spotify.max_retry_after_s:
                        raise SpotifyRateLimited(
                            f"Spotify asked us to wait {wait:.0f} s before the next call, "
                            f"longer than spotify.max_retry_after_s ({spotify.max_retry_after_s:g}"
                            " s); try again later", retry_after_s=wait) from None
                    if attempt == attempts:
                        raise SpotifyRateLimited(
                            f"Spotify is still rate limiting after {attempts} attempts; "
                            "try again later", retry_after_s=wait) from None
                    log.info("Spotify said 429; retrying in %.1f s", wait)
                    await self._sleep(wait)
                    continue
                if exc.http_status >= 500 and idempotent and attempt < attempts:
                    await self._sleep(_BACKOFF_S * 2 ** (attempt - 1))
                    continue
                raise SpotifyUnavailable(
                    f"Spotify answered {exc.http_status}: {exc.msg}".strip()) from None
            except requests.RequestException as exc:
                if idempotent and attempt < attempts:
                    await self._sleep(_BACKOFF_S * 2 ** (attempt - 1))
                    continue
                raise SpotifyUnavailable(f"Spotify could not be reached: {exc}") from None
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _spend_budget(self) -> None:
        verdict = await self._limiter.hit(APP_SCOPE, "app")
        if not verdict.allowed:
            raise SpotifyBudgetExhausted(
                f"tunemate made its {verdict.limit} calls to Spotify for this minute; "
                f"try again in {verdict.retry_after_s} s", retry_after_s=verdict.retry_after_s)

    async def forget(self, cache_owner: str) -> None:
        """Drop every cached answer that belongs to a Spotify user (on disconnect)."""
        await self._cache.invalidate_user(cache_owner)


def token_expiring(expires_at: datetime, now: datetime | None = None) -> bool:
    """Refresh a minute early: a token that expires in flight fails the call."""
    return expires_at <= (now or datetime.now(UTC)) + timedelta(seconds=60)
