"""The OpenAPI 3.1 document, built from the route table and the pydantic schemas."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from bot.web.schemas import ErrorOut


@dataclass(frozen=True)
class Route:
    """One entry of the route table: what aiohttp serves and what OpenAPI documents."""

    method: str
    path: str
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    summary: str
    request: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    public: bool = False
    # statuses this route may answer besides ``status`` and the common errors below
    also: tuple[int, ...] = ()
    body_required: bool | None = None  # None: required when the model has a required field
    query: tuple[tuple[str, bool, str], ...] = ()  # (name, required, description)


_ERRORS = {
    "400": "Bad input; the message names the field",
    "401": "Missing or unknown API token",
    "403": "Another user's data",
    "404": "Not found",
    "408": "The request body did not arrive within server.body_timeout_s",
    "413": "Request body too large",
    "429": "Rate limited; see Retry-After",
    "500": "Internal error (the body says nothing more; the log has the cause)",
    "503": "A backend is down or the worker is busy; see Retry-After",
}
_OTHER = {
    101: "Switching protocols (WebSocket)",
    200: "OK",
    201: "Created",
    409: "Conflict with the current state; the message says which",
    502: "The upstream service (Spotify) failed",
}
_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before retrying",
                                "schema": {"type": "string"}}}


def _schema(model: type[BaseModel], components: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def build_openapi(routes: list[Route]) -> dict[str, Any]:
    components: dict[str, Any] = {}
    error_ref = _schema(ErrorOut, components)
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        operation: dict[str, Any] = {"summary": route.summary, "responses": {}}
        ok: dict[str, Any] = {"description": "OK"}
        if route.response is not None:
            ok["content"] = {"application/json": {"schema": _schema(route.response, components)}}
        operation["responses"][str(route.status)] = ok
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in re.findall(r"{(\w+)}", route.path)]
        parameters += [
            {"name": name, "in": "query", "required": required, "description": text,
             "schema": {"type": "string"}}
            for name, required, text in route.query]
        if parameters:
            operation["parameters"] = parameters
        if route.request is not None:
            required = route.body_required
            if required is None:
                required = any(f.is_required() for f in route.request.model_fields.values())
            operation["requestBody"] = {
                "required": required,
                "content": {"application/json": {"schema": _schema(route.request, components)}},
            }
        for code in route.also:
            if code < 400:
                operation["responses"][str(code)] = {**ok, "description": _OTHER[code]}
            else:
                operation["responses"][str(code)] = {
                    "description": _OTHER[code],
                    "content": {"application/json": {"schema": error_ref}}}
        for status, text in _ERRORS.items():
            if route.public and status in ("401", "403", "429"):
                continue
            operation["responses"][status] = {
                "description": text, "content": {"application/json": {"schema": error_ref}}}
            if status in ("429", "503"):
                operation["responses"][status]["headers"] = _RETRY_AFTER
        if not route.public:
            operation["security"] = [{"bearer": []}]
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "tunemate", "version": "1.0.0",
                 "description": "A conversational music recommender."},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
