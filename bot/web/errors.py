"""Domain errors and the one middleware that turns every error into JSON.

Every error response has the shape ``{"error": {"code", "message"}}``; a 400 names the
field in ``message`` (and in ``field``). A backend that is down or too slow gives 503 with
``Retry-After`` (``store.faults``); a value Postgres cannot store gives 400; anything else
gives a 500 whose body says nothing about the cause (the log has the traceback).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.web.respond import json_response
from store.faults import breaks_connections, is_bad_value, is_unavailable

log = logging.getLogger(__name__)


class ApiError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.headers = headers or {}


class BadRequest(ApiError):
    status, code = 400, "bad_request"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class RequestTimeout(ApiError):
    status, code = 408, "request_timeout"


class Conflict(ApiError):
    status, code = 409, "conflict"


class RateLimited(ApiError):
    status, code = 429, "rate_limited"


class Unavailable(ApiError):
    status, code = 503, "unavailable"


def error_response(status: int, code: str, message: str, *, field: str | None = None,
                   headers: dict[str, str] | None = None) -> web.Response:
    body: dict[str, object] = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    return json_response({"error": body}, status=status, headers=headers)


_HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 408: "request_timeout", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 429: "rate_limited", 503: "unavailable",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as err:
        return error_response(err.status, err.code, err.message, field=err.field,
                              headers=err.headers)
    except web.HTTPRequestEntityTooLarge:
        from bot.web.keys import settings_key

        limit = request.app[settings_key].server.max_body_bytes
        return error_response(413, "payload_too_large",
                              f"the request body is larger than {limit} bytes")
    except web.HTTPException as err:
        if err.status < 400:
            raise
        code = _HTTP_CODES.get(err.status, "http_error")
        kept = {k: v for k, v in err.headers.items() if k in ("Allow", "Retry-After")}
        return error_response(err.status, code, err.reason, headers=kept)
    except Exception as exc:
        return await backend_error_response(request, exc)


async def backend_error_response(request: web.Request, exc: Exception) -> web.Response:
    """The answer to an exception no handler turned into an ``ApiError``."""
    from bot.web.keys import settings_key

    if is_bad_value(exc):
        log.info("value refused by the database on %s %s: %s", request.method, request.path,
                 type(exc).__name__)
        return error_response(400, "bad_request", "the request holds a value that cannot be "
                              "stored (such as a NUL character)")
    if is_unavailable(exc):
        await forget_dead_connections(request.app, exc)
        wait = request.app[settings_key].server.retry_after_s
        log.warning("backend unavailable on %s %s: %s", request.method, request.path,
                    type(exc).__name__)
        return error_response(503, "unavailable", "a backend is unavailable; retry later",
                              headers={"Retry-After": str(wait)})
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "internal_error", "internal server error")


async def forget_dead_connections(app: web.Application, exc: BaseException) -> None:
    """After a connection failure, have the pool replace every connection it holds."""
    from bot.web.keys import pool_key

    if breaks_connections(exc) and pool_key in app:
        try:
            await app[pool_key].expire_connections()
        except Exception:  # the pool is closing: nothing to expire
            log.debug("could not expire pooled connections", exc_info=True)
