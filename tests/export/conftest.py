"""Fixtures of the export tests: clients on every service's app, rolled back after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest


@pytest.fixture
async def client(service_client: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client("housing") as c:
        yield c


# The gateway's fixtures (its app on the rolled-back gateway database).
from tests.gateway.conftest import gateway_client, gateway_db  # noqa: E402,F401
