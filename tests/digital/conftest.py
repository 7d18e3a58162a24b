"""Fixtures of the digital tests: a client on the digital app, rolled back after each."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest


@pytest.fixture
async def client(service_client: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client("digital") as c:
        yield c
