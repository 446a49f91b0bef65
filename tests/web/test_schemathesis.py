"""Schemathesis against the live service: every operation of /api/v1/openapi.json, data
that fits the schema and data that does not, authenticated; no server error and no answer
the document does not describe (status, headers, body)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import Backends
from tests.live import Service

EXAMPLES = 12  # per operation and mode: the suite stays quick, CI runs it on every push


@pytest.fixture(scope="module")
def service(backends: Backends, prepared_database: str,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    workdir: Path = tmp_path_factory.mktemp("schemathesis")
    live = Service(workdir, prepared_database, backends.redis_url,
                   config={"redis.key_prefix": backends.key_prefix + "st:"})
    live.start()
    yield live
    code = live.stop()
    assert code == 0, live.output()[-4000:]


def test_every_operation_holds_to_its_schema(service: Service) -> None:
    http = requests.Session()
    user = http.post(service.base + "/api/v1/users", json={"display_name": "fuzz"}).json()
    auth = {"Authorization": f"Bearer {user['token']}"}
    document = http.get(service.base + "/api/v1/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    failures: list[str] = []
    calls = 0
    current = [""]  # the generation mode being run, for the report
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/api/v1/chat/ws":
            continue  # a WebSocket: tests/web/test_websocket_faults.py
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            current[0] = f"({mode})"

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def run(case: Any) -> None:
                nonlocal calls
                calls += 1
                response = case.call(base_url=service.base, session=http,
                                     headers={**auth, **(case.headers or {})}, timeout=30)
                # Spotify's redirect: a made-up state is refused (400) by design
                excluded = ([positive_data_acceptance]
                            if case.path == "/api/v1/spotify/callback" else [])
                try:
                    case.validate_response(response, excluded_checks=excluded)
                except (Exception, BaseExceptionGroup) as failure:  # one report for all
                    failures.append(f"{case.method} {case.path} {current[0]}: "
                                    f"{response.status_code} {str(failure)[:600]}")

            try:
                run()
            except Unsatisfiable:  # nothing to get wrong (no parameters, no body)
                assert mode is GenerationMode.NEGATIVE
    assert calls > 100
    assert failures == [], "\n\n".join(failures[:40])
    assert "unhandled error" not in service.output()
