"""Identity and rate limits at the edge: who is calling, and may they call again now.

Every ``/api/v1/`` route needs ``Authorization: Bearer <token>`` except the few listed in
``PUBLIC``. A token in a query string is refused outright, whatever the parameter's case
or separators (``Token``, ``access-token``, ``API_KEY``, …). After identity comes the
per-user sliding-window limit (shared by every worker through Redis), whose quota is
reported in ``X-RateLimit-*`` headers on every answer and in ``Retry-After`` on a 429.
"""

from __future__ import annotations

import re

from aiohttp import web

from bot.web.errors import BadRequest, Handler, RateLimited, Unauthorized
from bot.web.keys import services_key, user_key

PUBLIC: frozenset[tuple[str, str]] = frozenset({
    ("POST", "/api/v1/users"),
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/personality/questionnaire"),  # the same for everyone
    ("GET", "/api/v1/chat/ws"),  # authenticates in its first frame instead
    ("GET", "/api/v1/spotify/callback"),  # Spotify redirects here; `state` names the user
})
# query parameter names (lower case, letters and digits only) that carry a credential
_QUERY_SECRETS = frozenset({
    "token", "accesstoken", "apikey", "key", "auth", "authorization", "bearer", "secret",
    "password", "passwd", "jwt", "sessiontoken", "authtoken",
    "idtoken", "refreshtoken", "clientsecret", "apitoken", "xapikey",
})
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def carries_secret(name: str) -> bool:
    """Whether a query parameter's name says it holds a credential."""
    folded = _NOT_ALNUM.sub("", name.casefold())
    return folded in _QUERY_SECRETS or folded.endswith(("token", "apikey", "secret"))


def bearer_token(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send your API token as 'Authorization: Bearer <token>'")
    if not (token.isascii() and token.isprintable()):
        raise Unauthorized("unknown or revoked API token")
    return token


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if any(carries_secret(name) for name in request.query):
        raise BadRequest("tokens never travel in query strings; use the Authorization header",
                         field="query")
    unmatched = request.match_info.http_exception is not None  # 404/405 come first
    method = "GET" if request.method == "HEAD" else request.method  # HEAD is a GET's head
    if (unmatched or not request.path.startswith("/api/v1/")
            or (method, request.path) in PUBLIC):
        return await handler(request)
    services = request.app[services_key]
    user = await services.authenticate(bearer_token(request))
    if user is None:
        raise Unauthorized("unknown or revoked API token")
    request[user_key] = user
    verdict = await services.limiter.hit("user", str(user.id))
    quota = {
        "X-RateLimit-Limit": str(verdict.limit),
        "X-RateLimit-Remaining": str(verdict.remaining),
    }
    if not verdict.allowed:
        raise RateLimited(
            f"more than {verdict.limit} requests in a minute; retry in {verdict.retry_after_s} s",
            headers={**quota, "Retry-After": str(verdict.retry_after_s)},
        )
    response = await handler(request)
    response.headers.update(quota)
    return response
