"""Request and response bodies of the JSON API (pydantic), also the OpenAPI schemas."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, Literal, TypeVar
from uuid import UUID

import orjson
from aiohttp import web
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.web.errors import BadRequest, RequestTimeout
from bot.web.keys import settings_key

M = TypeVar("M", bound=BaseModel)
Signal = Literal["like", "dislike", "skip", "save", "add_to_playlist", "played_through", "repeat"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CreateUserIn(_In):
    display_name: str = Field(default="", max_length=100)


class SessionInitIn(_In):
    session_id: UUID | None = Field(
        default=None, description="an earlier session of yours to clear and reuse")


class ChatMessageIn(_In):
    session_id: UUID
    message: str = Field(min_length=1, max_length=2000)


class PersonalityIn(_In):
    answers: dict[int, int] | None = Field(
        default=None, description="the 44 BFI answers (1–5) by item number 1–44")
    traits: dict[str, float] | None = Field(
        default=None,
        description="the five traits directly, each on the scale given by 'scale' "
        "(1–5 unless the request says '0-100'); a value outside it is a 400",
    )
    scale: Literal["1-5", "0-100"] = Field(
        default="1-5",
        description="the scale of 'traits': '1-5' (default) or '0-100'; never guessed "
        "from the values",
    )

    @field_validator("answers", mode="before")
    @classmethod
    def _plain_item_numbers(cls, value: Any) -> Any:
        # "01", " 1", "+1" and "1.0" would all be read as item 1, so one answer could
        # silently replace another: an item number is written as digits only (JSON keys
        # are strings; after this validator the strict check wants the ints themselves)
        if not isinstance(value, dict):
            return value
        numbered: dict[Any, Any] = {}
        for key, answer in value.items():
            if isinstance(key, str):
                if not (key.isascii() and key.isdigit() and key == str(int(key))):
                    raise ValueError(f"item number {key!r} is not written as a plain "
                                     "number 1–44")
                key = int(key)
            numbered[key] = answer
        return numbered

    @model_validator(mode="after")
    def _one_of(self) -> PersonalityIn:
        if (self.answers is None) == (self.traits is None):
            raise ValueError("give exactly one of 'answers' or 'traits'")
        if self.answers is not None and "scale" in self.model_fields_set:
            raise ValueError("'scale' applies to 'traits' only (BFI answers are 1–5)")
        return self


class Play(_In):
    track_id: str = Field(min_length=1, max_length=64)
    play_count: int = Field(default=1, ge=1, le=1_000_000)
    last_played: datetime | None = None


class HistoryIn(_In):
    tracks: list[Play] = Field(min_length=1, max_length=5000)


class FeedbackIn(_In):
    event_id: str = Field(min_length=1, max_length=128,
                          description="the client's idempotency key")
    track_id: str = Field(min_length=1, max_length=64)
    signal: Signal
    session_id: UUID | None = None


# ------------------------------------------------------------------ responses (documentation)


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorOut(BaseModel):
    error: ErrorBody


class CreateUserOut(BaseModel):
    user_id: UUID
    token: str = Field(description="shown once; send it as 'Authorization: Bearer <token>'")
    created_at: datetime
    display_name: str


class Breakdown(BaseModel):
    components: dict[str, float]
    history_parts: dict[str, float] = {}
    weights: dict[str, float]
    rl_adjustment: float = Field(ge=-0.05, le=0.05)
    stage: str
    stage_reason: str = Field(default="", description="which rule chose the stage")
    ranker: str = Field(default="hand-weighted",
                        description="'learned' or 'hand-weighted' history similarity")


class TrackOut(BaseModel):
    position: int
    track_id: str
    name: str
    artists: str
    album: str
    genres: list[str]
    release_year: int | None
    popularity: float | None
    score: float
    breakdown: Breakdown
    cluster: int | None = None


class SessionMetadata(BaseModel):
    total_candidates: int
    candidate_sources: dict[str, int]
    final_count: int
    cold_start_stage: str
    cold_start_reason: str = Field(
        default="", description="the rule that chose the stage: account age or evidence "
        "(history tracks, feedback events)")
    account_age_days: float
    listening_history_size: int
    feedback_events: int = 0
    ranker: str = "hand-weighted"
    response_time_ms: float
    performance_target_met: bool
    cache_status: Literal["hit", "miss"]


class SessionData(BaseModel):
    session_id: UUID
    recommendations: list[TrackOut]
    metadata: SessionMetadata
    personality_profile: dict[str, Any] | None
    cold_start_info: dict[str, Any]


class SessionInitOut(BaseModel):
    success: bool
    message: str
    data: SessionData


class Action(BaseModel):
    tool: str
    args: dict[str, Any]
    summary: str


class ChatReplyOut(BaseModel):
    reply: str
    actions: list[Action]
    recommendations: list[TrackOut] | None = None


class PersonalityOut(BaseModel):
    traits: dict[str, float]
    source: str
    created_at: datetime


class QuestionnaireItem(BaseModel):
    number: int = Field(ge=1, le=44)
    text: str
    trait: str
    reverse: bool = Field(description="reverse-keyed: scored 6 − answer")


class QuestionnaireOut(BaseModel):
    items: list[QuestionnaireItem]
    scale: dict[str, Any] = Field(description="min 1, max 5, and a label for each answer")


class HistoryImportOut(BaseModel):
    imported: int
    unknown_track_ids: list[str]


class HistoryOut(BaseModel):
    tracks: list[dict[str, Any]]
    total: int


class FeedbackOut(BaseModel):
    applied: bool
    event: dict[str, Any]
    q_values: dict[str, float]


class FeedbackListOut(BaseModel):
    events: list[dict[str, Any]]


class HealthOut(BaseModel):
    status: Literal["ok", "degraded", "down"]
    checks: dict[str, Any]


# ------------------------------------------------------------------ parsing


def unstorable_at(text: str) -> int:
    """The index of the first character Postgres cannot store in text, or -1."""
    nul = text.find("\x00")
    if nul >= 0 or text.isascii():
        return nul
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate
        return exc.start
    return -1


def loads_json(data: bytes | str) -> Any:
    """Parse JSON; a 400 for anything the parser cannot take (bad UTF-8, a lone surrogate,
    nesting deeper than orjson's limit of 1024, …)."""
    try:
        return orjson.loads(data)
    except (ValueError, RecursionError, MemoryError):
        raise BadRequest("the request body must be valid JSON (UTF-8, nested at most "
                         "1024 deep)", field="body") from None


def check_storable(value: Any, where: str = "") -> None:
    """A 400 naming the first string (key or value) that Postgres could not store."""
    stack: list[tuple[str, Any]] = [(where, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            bad = [item]
        elif isinstance(item, dict):
            bad = []
            for key, child in item.items():
                child_path = f"{path}.{key}" if path else str(key)
                if unstorable_at(str(key)) >= 0:
                    raise BadRequest(f"field '{path or 'body'}': a key holds a character that "
                                     "cannot be stored (NUL or a lone surrogate)",
                                     field=path or "body")
                stack.append((child_path, child))
        elif isinstance(item, list):
            bad = []
            stack.extend((f"{path}.{i}" if path else str(i), child)
                         for i, child in enumerate(item))
        else:
            bad = []
        if bad and unstorable_at(bad[0]) >= 0:
            field = path or "body"
            raise BadRequest(f"field '{field}': holds a character that cannot be stored "
                             "(NUL or a lone surrogate)", field=field)


async def read_body(request: web.Request) -> bytes:
    """The raw body, which must arrive whole within ``server.body_timeout_s``.

    A client that stalls mid-body would otherwise hold one of the worker's
    ``server.max_in_flight`` slots for as long as it likes (a few hundred such sockets
    and every request is shed). A body that cannot be decoded (a corrupt deflate stream,
    broken chunked framing) and one cut short by the client hanging up are the client's
    doing: 400, never a 500 nor a "backend unavailable" that would reset the Postgres pool.
    """
    deadline = request.app[settings_key].server.body_timeout_s
    try:
        async with asyncio.timeout(deadline):
            return await request.read()
    except TimeoutError:
        raise RequestTimeout(f"the request body did not arrive within {deadline:g} s",
                             field="body", headers={"Connection": "close"}) from None
    except web.RequestPayloadError:
        raise BadRequest("the request body could not be decoded (its Content-Encoding or "
                         "chunked framing is broken)", field="body") from None
    except ConnectionResetError:
        raise BadRequest("the request body did not arrive whole: the connection was lost",
                         field="body") from None


async def parse_body(request: web.Request, model: type[M]) -> M:
    """The request's JSON body as ``model``; a 400 that names the bad field otherwise.

    Validation is strict (JSON types as the OpenAPI schema states them: no "5" for 5, no
    0 for a date), so the server accepts exactly what its document describes.
    """
    data = await read_body(request) if request.body_exists else b"{}"
    raw = loads_json(data)
    if not isinstance(raw, dict):
        raise BadRequest("the request body must be a JSON object", field="body")
    check_storable(raw)
    try:
        return model.model_validate_json(data, strict=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise BadRequest(f"field '{where}': {first['msg']}", field=where) from None


# ------------------------------------------------------------------ Spotify


class SpotifySyncIn(_In):
    force: bool = Field(default=False, description="import new recent plays even within the "
                                                   "refresh interval")


class SpotifyExportIn(_In):
    session_id: UUID
    name: str | None = Field(default=None, min_length=1, max_length=100,
                             description="the playlist's name; a dated default otherwise")


class SpotifyConnectOut(BaseModel):
    authorize_url: str = Field(description="send the user here; Spotify redirects back to "
                                           "the callback with a single-use state")


class SpotifyStatusOut(BaseModel):
    configured: bool = Field(description="false when this server has no Spotify client id: "
                                         "connecting is impossible")
    connected: bool
    spotify_user_id: str | None = None
    scope: str | None = None
    connected_at: datetime | None = None
    last_synced_at: datetime | None = None


class SpotifyUnknownTrack(BaseModel):
    spotify_id: str
    name: str
    artists: str


class SpotifySyncOut(BaseModel):
    synced: bool = Field(description="false when the history was fresh and not forced")
    last_synced_at: datetime | None
    imported: int = Field(description="catalogue tracks whose play counts were added")
    top_tracks: dict[str, Any]
    recently_played: dict[str, Any]
    matched_by: dict[str, int] = Field(description="matches by 'id', 'isrc', 'name_artist'")
    unknown: list[SpotifyUnknownTrack] = Field(description="tracks not in the catalogue; "
                                                           "not added")
    note: str


class SpotifyCallbackOut(BaseModel):
    connected: bool
    spotify_user_id: str
    sync: SpotifySyncOut | None
    sync_error: str | None = Field(description="why the first sync failed, if it did; the "
                                               "account stays connected")


class SpotifyExportOut(BaseModel):
    playlist_id: str
    url: str
    tracks: int


class SpotifyDisconnectOut(BaseModel):
    disconnected: bool = Field(description="false when no account was connected")
