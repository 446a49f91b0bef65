"""Fixtures for the recommender's tests: the project's settings and small catalogues."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import yaml

from recommender.catalog import FEATURES, Catalog, build_catalog
from recommender.config import RecommenderSettings, RLSettings
from recommender.engine import Recommender
from recommender.synthetic import generate_catalog

ROOT = Path(__file__).resolve().parents[2]
# the dev playlists: $TUNEMATE_DEV_CSV, else ../shared/data/ beside the project
DEV_CSV = Path(
    os.environ.get("TUNEMATE_DEV_CSV")
    or ROOT.parent / "shared" / "data" / "spotify_songs_dev.csv"
)


@pytest.fixture(scope="session")
def config_tree() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text())


@pytest.fixture(scope="session")
def settings(config_tree: dict) -> RecommenderSettings:
    return RecommenderSettings(**config_tree["recommender"])


@pytest.fixture(scope="session")
def rl_settings(config_tree: dict) -> RLSettings:
    return RLSettings(**config_tree["rl"])


@pytest.fixture(scope="session")
def small_catalog() -> Catalog:
    return generate_catalog(1500, seed=3)


@pytest.fixture(scope="session")
def small_recommender(small_catalog, settings, rl_settings) -> Recommender:
    return Recommender(small_catalog, settings, rl_settings)


def tiny_catalog(
    features: np.ndarray, *, artists=None, genres=None, years=None, popularity=None
) -> Catalog:
    """A catalogue from explicit rows of (danceability, energy, valence, acousticness, tempo);
    the other features are set to fixed, ordinary values."""
    n = features.shape[0]
    full = np.zeros((n, len(FEATURES)), dtype=np.float32)
    col = {f: i for i, f in enumerate(FEATURES)}
    full[:, col["danceability"]] = features[:, 0]
    full[:, col["energy"]] = features[:, 1]
    full[:, col["valence"]] = features[:, 2]
    full[:, col["acousticness"]] = features[:, 3]
    full[:, col["tempo"]] = features[:, 4]
    full[:, col["loudness"]] = -8.0 + 6.0 * (features[:, 1] - 0.5)
    full[:, col["speechiness"]] = 0.05
    full[:, col["liveness"]] = 0.15
    full[:, col["duration_ms"]] = 200_000
    return build_catalog(
        track_ids=[f"t{i}" for i in range(n)],
        names=[f"Track {i}" for i in range(n)],
        artists=artists if artists is not None else [f"Artist {i}" for i in range(n)],
        albums=[f"Album {i}" for i in range(n)],
        release_year=years if years is not None else [2015] * n,
        popularity=popularity if popularity is not None else np.full(n, 50.0),
        features=full,
        genres=genres if genres is not None else [{"pop"}] * n,
    )
