"""The digital API fuzzed from its own OpenAPI document (tests/fuzzing.py): no 5xx, and only
documented answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import fuzzing

SERVICE = "digital"


@pytest.fixture(scope="module")
def fuzz_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from fuzzing.fuzz_database(SERVICE, tmp_path_factory)


@pytest.fixture(scope="module")
def api_schema(fuzz_database: str) -> Iterator[Any]:
    yield from fuzzing.api_schema(SERVICE, fuzz_database)


def test_documented_answers_only_and_never_5xx(api_schema: Any) -> None:
    fuzzing.documented_answers_only(api_schema, at_least=16)
