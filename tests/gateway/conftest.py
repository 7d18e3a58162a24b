"""Fixtures for the gateway: the app on the rolled-back `gateway` database, signing with the
test key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from mtqg_shared.db import Database
from tests import support
from tests.gateway.helpers import SIGNING_KEY, GatewayClient, make_settings
from tests.gateway.stores import STORES, store_settings
from tests.gateway.upstreams import Stub, echo_service, free_port, raw_service


@pytest.fixture
def gateway_db(databases: dict[str, Database]) -> Database:
    return databases["gateway"]


@pytest.fixture
def gateway_client(gateway_db: Database, tmp_path: Path) -> GatewayClient:
    """`async with gateway_client(**settings) as client:` the gateway on a rolled-back database;
    `gateway_of(client)` is the app."""

    @asynccontextmanager
    async def make(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        settings = make_settings(tmp_path, **overrides)
        app = create_app(settings, db=gateway_db, signing_key=SIGNING_KEY)
        async with support.rolled_back(gateway_db):
            transport = httpx.ASGITransport(app=app)
            try:
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://gw", headers=support.ENGLISH
                ) as client:
                    client.gateway = app  # type: ignore[attr-defined]
                    yield client
            finally:
                await app.forwarder.close()
                await app.counters.stop()

    return make


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The settings of each counter store in turn (database, Redis with a prefix of its own):
    `gateway_client(**store)`."""
    return store_settings(request.param)


@pytest.fixture
async def client(gateway_client: GatewayClient) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_client() as c:
        yield c


@pytest.fixture(scope="module")
async def housing() -> AsyncIterator[Stub]:
    async with echo_service() as stub:
        yield stub


@pytest.fixture(scope="module")
async def labour() -> AsyncIterator[Stub]:
    async with raw_service() as stub:
        yield stub


@pytest.fixture
def through(gateway_client: GatewayClient, housing: Stub, labour: Stub) -> Any:
    """`async with through(**settings) as client`: the gateway in front of the stubs;
    production points at a port where nothing listens."""

    @asynccontextmanager
    async def make(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
        housing.seen.clear()
        labour.seen.clear()
        values = {
            "housing_url": housing.url,
            "labour_url": labour.url,
            "production_url": f"http://127.0.0.1:{free_port()}",
        }
        values.update(settings)
        async with gateway_client(**values) as client:
            yield client

    return make
