"""tunemate's settings: ``config.yaml`` plus environment overrides, read and validated once.

``load_settings()`` is called at start-up (by the CLI) and nowhere at import time. A bad
value stops start-up with a ``ConfigError`` that names the key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import platformdirs
import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from recommender.config import RecommenderSettings, RLSettings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_PATH = PROJECT_ROOT / "config.yaml"

# environment variable -> dotted key in config.yaml
ENV_OVERRIDES: dict[str, str] = {
    "DATABASE_URL": "database.url",
    "REDIS_URL": "redis.url",
    "TUNEMATE_LLM": "llm",
    "TUNEMATE_DATA_DIR": "data_dir",
    "SPOTIFY_CLIENT_ID": "spotify.client_id",
    "SPOTIFY_CLIENT_SECRET": "spotify.client_secret",
    "SPOTIFY_REDIRECT_URI": "spotify.redirect_uri",
    "SPOTIFY_API_BASE": "spotify.api_base",
    "SPOTIFY_ACCOUNTS_BASE": "spotify.accounts_base",
    "SPOTIFY_TOKEN_KEY": "spotify.token_key",
}


class ConfigError(Exception):
    """A configuration value is missing or wrong; the message names the key."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ServerSettings(_Frozen):
    host: str
    port: int = Field(ge=0, le=65535)
    max_body_bytes: int = Field(ge=1024)
    body_timeout_s: float = Field(default=10.0, gt=0)
    chat_history_window: int = Field(ge=1, le=500)
    max_in_flight: int = Field(default=256, ge=1)
    retry_after_s: int = Field(default=2, ge=1)
    backlog: int = Field(default=1024, ge=1)
    shutdown_timeout_s: float = Field(default=10.0, gt=0)
    ws_auth_timeout_s: float = Field(default=5.0, gt=0)
    ws_heartbeat_s: float = Field(default=20.0, gt=0)
    worker_restarts_per_minute: int = Field(default=5, ge=0)
    event_loop: Literal["uvloop", "asyncio"] = "uvloop"


class DatabaseSettings(_Frozen):
    url: SecretStr | None = None
    pool_min_size: int = Field(ge=1)
    pool_max_size: int = Field(ge=1)
    connect_timeout_s: float = Field(default=3.0, gt=0)
    statement_timeout_s: float = Field(default=10.0, gt=0)
    acquire_timeout_s: float = Field(default=5.0, gt=0)


class RedisSettings(_Frozen):
    url: SecretStr | None = None
    key_prefix: str = Field(min_length=1)
    max_connections: int = Field(default=64, ge=1)
    pool_timeout_s: float = Field(default=2.0, gt=0)
    socket_timeout_s: float = Field(default=1.0, gt=0)
    health_check_interval_s: float = Field(default=1.0, ge=0)
    retry_down_after_s: float = Field(default=0.5, ge=0, le=1.0)


class CatalogSettings(_Frozen):
    demo_size: int = Field(ge=100, le=5_000_000)
    demo_seed: int
    new_release_years: int = Field(ge=0)


class CacheSettings(_Frozen):
    recommendations_ttl_s: int = Field(ge=1)
    audio_features_ttl_s: int = Field(ge=1)
    spotify_response_ttl_s: int = Field(ge=1)
    user_data_ttl_s: int = Field(ge=1)
    # how often a worker adds its look-up counts to the shared hit/miss figures
    stats_flush_s: float = Field(default=1.0, gt=0)


class RateLimitSettings(_Frozen):
    user_per_minute: int = Field(ge=1)
    spotify_app_per_minute: int = Field(ge=1)


class SpotifySettings(_Frozen):
    client_id: str | None = None
    client_secret: SecretStr | None = None
    redirect_uri: str
    api_base: str
    accounts_base: str
    history_refresh_s: int = Field(ge=60)
    max_retries: int = Field(ge=0, le=10)
    max_retry_after_s: float = Field(ge=0)
    # a Fernet key for tokens at rest; unset = a key file generated once in the data dir
    token_key: SecretStr | None = None
    state_ttl_s: int = Field(default=600, ge=30)  # how long a connect link stays usable
    request_timeout_s: float = Field(default=5.0, gt=0)
    scope: str = ("user-top-read user-read-recently-played "
                  "playlist-modify-private playlist-modify-public")


class Settings(_Frozen):
    server: ServerSettings
    database: DatabaseSettings
    redis: RedisSettings
    data_dir: Path
    llm: str = Field(min_length=1)
    catalog: CatalogSettings
    cache: CacheSettings
    rate_limits: RateLimitSettings
    spotify: SpotifySettings
    recommender: RecommenderSettings
    rl: RLSettings

    @property
    def embedded_database(self) -> bool:
        return self.database.url is None

    @property
    def embedded_redis(self) -> bool:
        return self.redis.url is None


def _set_dotted(tree: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    node = tree
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[leaf] = value


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        key = ".".join(str(p) for p in item["loc"]) or "(top level)"
        lines.append(f"config key '{key}': {item['msg']}")
    return "; ".join(lines)


def load_settings(
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Read ``config.yaml``, apply environment and explicit overrides, validate."""
    env = os.environ if environ is None else environ
    path = path or Path(env.get("TUNEMATE_CONFIG", DEFAULT_CONFIG_PATH))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"config file {path} must hold a mapping at the top level")
    for variable, dotted in ENV_OVERRIDES.items():
        value = env.get(variable)
        if value:
            _set_dotted(raw, dotted, value)
    for dotted, value in (overrides or {}).items():
        _set_dotted(raw, dotted, value)
    if not raw.get("data_dir"):
        raw["data_dir"] = platformdirs.user_data_dir("tunemate")
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None
