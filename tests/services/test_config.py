"""Configuration: read and validated once; a bad value names its key; secrets stay out of repr."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.config import ConfigError, load_settings


def test_config_error_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config key 'recommender.weights.history'"):
        load_settings(environ={}, overrides={"recommender.weights.history": "lots"})
    with pytest.raises(ConfigError, match="config key 'cache.recommendations_ttl_s'"):
        load_settings(environ={}, overrides={"cache.recommendations_ttl_s": -5})
    settings = load_settings(environ={"REDIS_URL": "redis://127.0.0.1:6379/3",
                                      "TUNEMATE_LLM": "openai:gpt-4o-mini"})
    assert settings.llm == "openai:gpt-4o-mini"
    assert settings.redis.url is not None
    assert "6379" not in repr(settings.redis)  # secrets stay out of repr
