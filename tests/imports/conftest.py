"""Fixtures of the import tests: a client on the housing app, rolled back after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest


@pytest.fixture
async def client(service_client: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client("housing") as c:
        yield c


# The gateway's fixtures, for uploads through it (tests/imports/test_gateway.py).
from tests.batch.conftest import gateway_client, gateway_db, through_gateway  # noqa: E402

__all__ = ["client", "gateway_client", "gateway_db", "through_gateway"]
