"""Property-based fuzzing of the labour API from its own OpenAPI document: whatever the input,
no 5xx, and every answer's status code, content type and body are the documented ones."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
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

from labour.app import create_app
from labour.config import Settings
from mtqg_shared.migrations import upgrade
from tests import support

# Set LABOUR_FUZZ_EXAMPLES for a longer, random run.
EXAMPLES = int(
    os.environ.get("LABOUR_FUZZ_EXAMPLES", "12")
)  # per operation and mode: about 700 requests, well under a minute
ADMIN = support.auth(subject="fuzzer", roles=["admin"], areas=["15"], ttl=dt.timedelta(hours=1))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own: the app under fuzz runs on schemathesis's event loop, outside the
    per-test rollback."""
    server = support.postgres_base_url()
    if server is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'labour.db'}"
        upgrade("labour", url)
        yield url
        return
    url, name = support.create_postgres_database(server)
    try:
        upgrade("labour", url)
        yield url.replace("postgresql+asyncpg://", "postgresql://")
    finally:
        from schemathesis.python.asgi import shutdown_lifespans

        shutdown_lifespans()
        support.drop_postgres_database(server, name)


def test_no_server_errors_and_answers_match_the_schema(database_url: str) -> None:
    app = create_app(
        Settings(database_url=database_url, access_log=False), verifier=support.verifier()
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        operations += 1
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode, headers=ADMIN)

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize="LABOUR_FUZZ_EXAMPLES" not in os.environ,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def check(case: Any) -> None:
                response = case.call()
                case.validate_response(response, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                # Nothing can be made invalid in an operation without parameters.
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
    assert operations >= 20
