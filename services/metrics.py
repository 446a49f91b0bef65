"""Prometheus metrics of the service, served at ``GET /metrics`` in the text format.

With several workers each process counts on its own; prometheus-client's multiprocess mode
keeps every process's values in files under ``PROMETHEUS_MULTIPROC_DIR`` and the worker
that answers a scrape adds them up. ``tunemate serve`` sets that variable (to
``<data dir>/metrics``, emptied at start) before this module is first imported — the
client decides at import whether values go to files — and before the workers fork. Without
it (tests, an app built in-process) the values live in this process's default registry.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

# request latency: from 2 ms (a cached answer) to 10 s (a timeout)
_LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)
_STAGE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)

REQUEST_SECONDS = Histogram(
    "tunemate_http_request_duration_seconds",
    "Time from a request's arrival to its response, by route template and status",
    ["method", "route", "status"], buckets=_LATENCY_BUCKETS)
CACHE_LOOKUPS = Counter(
    "tunemate_cache_lookups_total",
    "Cache look-ups by what is cached (recommendations, user) and the result (hit, miss)",
    ["cache", "result"])
RATE_LIMITED = Counter(
    "tunemate_rate_limit_rejections_total",
    "Requests refused with 429 by a rate limit, by route template", ["route"])
RECOMMEND_STAGE_SECONDS = Histogram(
    "tunemate_recommendation_stage_seconds",
    "Time spent making a list, by stage: cache (look-up), profile (Postgres reads), "
    "score (the recommender), format (tracks as JSON), save (cache and Postgres writes)",
    ["stage"], buckets=_STAGE_BUCKETS)
TOOL_CALLS = Counter(
    "tunemate_agent_tool_calls_total", "Tool calls the chat agent made, by tool", ["tool"])
FEEDBACK_EVENTS = Counter(
    "tunemate_feedback_events_total",
    "Feedback events recorded (repeats of one event id count once), by signal", ["signal"])
POOL_IN_USE = Gauge(
    "tunemate_postgres_pool_in_use",
    "Postgres connections checked out of the pools, summed over live workers",
    multiprocess_mode="livesum")
POOL_SIZE = Gauge(
    "tunemate_postgres_pool_size",
    "Postgres connections open in the pools, summed over live workers",
    multiprocess_mode="livesum")


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time a stage of making a list."""
    started = time.perf_counter()
    try:
        yield
    finally:
        RECOMMEND_STAGE_SECONDS.labels(name).observe(time.perf_counter() - started)


def cache_lookup(cache: str, hit: bool) -> None:
    CACHE_LOOKUPS.labels(cache, "hit" if hit else "miss").inc()


def exposition() -> bytes:
    """Every metric in the text format: all workers' values in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
