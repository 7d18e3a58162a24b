"""Property-based fuzzing of the gateway's own API (tokens, people, clients, admin units,
programmes, views) from its OpenAPI document: whatever the input, no 5xx, and every answer's
status code, content type and body are the documented ones. The programme services are not
running here, so the views answer with every service in `unavailable` (that too must match
the document)."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gateway.app import create_app
from mtqg_shared.migrations import upgrade
from tests import support
from tests.gateway.helpers import SIGNING_KEY, auth, make_settings

EXAMPLES = 12  # per operation and mode, derandomized: the same cases every run
ADMIN = auth(subject="fuzzer", roles=("admin",), areas=("15",), ttl=dt.timedelta(hours=1))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own: the app under fuzz runs its own lifespan on schemathesis's loop,
    outside the per-test rollback."""
    server = support.postgres_base_url()
    if server is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('gateway-fuzz') / 'gateway.db'}"
        upgrade("gateway", url)
        yield url
        return
    url, name = support.create_postgres_database(server)
    try:
        upgrade("gateway", url)
        yield url.replace("postgresql+asyncpg://", "postgresql://")
    finally:
        from schemathesis.python.asgi import shutdown_lifespans

        shutdown_lifespans()
        support.drop_postgres_database(server, name)


def test_no_server_errors_and_answers_match_the_schema(database_url: str, tmp_path: Path) -> None:
    nowhere = {f"{s}_url": f"http://127.0.0.1:{closed_port()}" for s in support.SERVICES[1:]}
    app = create_app(
        make_settings(tmp_path, database_url=database_url, **nowhere),
        signing_key=SIGNING_KEY,
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    labels: list[str] = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation: Any = result.ok()
        labels.append(operation.label)
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode, headers=ADMIN)

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def check(case: Any) -> None:
                case.validate_response(case.call(), checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                # Nothing can be made invalid in an operation without parameters.
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
    # The gateway's own operations were all fuzzed (the services' are fuzzed in their suites).
    assert "POST /api/v1/auth/token" in labels
    assert "GET /api/v1/overview" in labels
    assert "GET /api/v1/households/{household_code}" in labels
    assert "GET /api/v1/admin-units" in labels
    assert "GET /api/v1/programmes" in labels
