"""Property-based fuzzing of the gender API from its own OpenAPI document: whatever
schemathesis sends (valid and invalid), no answer is a 5xx, and every answer has a documented
status code, content type and body shape.

It runs against its own freshly migrated database (SQLite file or a new PostgreSQL database)
whose app the fuzzer drives in its own event loop; the database is dropped afterwards.
"""

from __future__ import annotations

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

from gender.app import create_app
from gender.config import Settings
from mtqg_shared.migrations import upgrade
from tests import support

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = {schemathesis.GenerationMode.POSITIVE: 12, schemathesis.GenerationMode.NEGATIVE: 8}


@pytest.fixture(scope="module")
def fuzz_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = support.postgres_base_url()
    if server is None:
        path: Path = tmp_path_factory.mktemp("fuzz") / "gender.db"
        url = f"sqlite:///{path}"
        upgrade("gender", url)
        yield url
        return
    url, name = support.create_postgres_database(server)
    try:
        upgrade("gender", url)
        yield url
    finally:
        shutdown_lifespans()
        support.drop_postgres_database(server, name)


@pytest.fixture(scope="module")
def api_schema(fuzz_database: str) -> Iterator[Any]:
    app = create_app(Settings(database_url=fuzz_database), verifier=support.verifier())
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    yield schema.include(path_regex=r"^/api/v1/gender/")
    shutdown_lifespans()


def test_documented_answers_only_and_never_5xx(api_schema: Any) -> None:
    headers = support.auth(subject="fuzzer", roles=["admin"], areas=["15"])
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12
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
                # Nothing can be made invalid in an operation whose only parameter is an
                # optional header (the vocabulary's If-None-Match): any text is valid there.
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
