"""Property-based fuzzing of a programme service from its own OpenAPI document, the same way
for each service that uses it: whatever schemathesis sends (valid and invalid), no answer is a
5xx, and every answer has a documented status code, content type and body shape.

The app runs against its own freshly migrated database (SQLite file or a new PostgreSQL
database), driven by the fuzzer in its own event loop; the database is dropped afterwards.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mtqg_shared.migrations import upgrade
from mtqg_shared.registry import process
from tests import support

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = {schemathesis.GenerationMode.POSITIVE: 12, schemathesis.GenerationMode.NEGATIVE: 8}


def fuzz_database(service: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of the service's own, migrated, for the app under fuzz."""
    server = support.postgres_base_url()
    if server is None:
        path: Path = tmp_path_factory.mktemp("fuzz") / f"{service}.db"
        url = f"sqlite:///{path}"
        upgrade(service, url)
        yield url
        return
    url, name = support.create_postgres_database(server)
    try:
        upgrade(service, url)
        yield url
    finally:
        shutdown_lifespans()
        support.drop_postgres_database(server, name)


def api_schema(service: str, database_url: str) -> Iterator[Any]:
    """The service's own document, its API paths only, driving the app in process."""
    app_module = importlib.import_module(f"{service}.app")
    config = importlib.import_module(f"{service}.config")
    app = app_module.create_app(
        config.Settings(database_url=database_url), verifier=support.verifier()
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    yield schema.include(path_regex=f"^{process(service).prefix}/")
    shutdown_lifespans()


def documented_answers_only(schema: Any, *, at_least: int) -> None:
    """Every operation (at least `at_least` of them), valid and invalid input, as an admin."""
    headers = support.auth(subject="fuzzer", roles=["admin"], areas=["15"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= at_least
    for operation in operations:
        for mode, examples in EXAMPLES.items():

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                # Nothing can be made invalid in an operation with no parameter to break.
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
