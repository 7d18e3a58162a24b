"""Fixtures of the concurrency tests: a database of their own, an app with a real pool.

These tests commit: N requests race, each on its own pooled connection and transaction, so
the rolled-back connection the other tests share would serialise them and hide every race.
Each test module names its service (a module-scoped `service` fixture) and gets a freshly
made and migrated database of its own (a new PostgreSQL database, or a temporary folder of
SQLite files), so nothing it commits reaches another test's figures.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mtqg_shared.db import Database
from mtqg_shared.migrations import upgrade
from mtqg_shared.settings import async_url
from tests import support
from tests.concurrency.helpers import N


@pytest.fixture(scope="module")
def service_url(service: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The service's own freshly made database, migrated to head; dropped afterwards."""
    server = support.postgres_base_url()
    if server is None:
        base = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp(f'concurrency-{service}')}"
        url = support.service_url(base, service)
        upgrade(service, url)
        yield url
        return
    made, name = support.create_postgres_database(server)
    try:
        url = support.service_url(async_url(made), service)
        upgrade(service, url)
        yield url
    finally:
        support.drop_postgres_database(server, name)


def _app(service: str, db: Database, folder: Path) -> Any:
    """The service's app on `db`, verifying the test tokens (the gateway signs with the test
    key, as in its own tests)."""
    if service == "gateway":
        from gateway.app import create_app
        from tests.gateway.helpers import SIGNING_KEY, make_settings

        return create_app(make_settings(folder), db=db, signing_key=SIGNING_KEY)
    module = importlib.import_module(f"{service}.app")
    config = importlib.import_module(f"{service}.config")
    return module.create_app(config.Settings(), db=db, verifier=support.verifier())


@pytest.fixture(scope="module")
async def client(
    service: str, service_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[httpx.AsyncClient]:
    """The service's app on that database, whose pool holds a connection for each of the N
    racing requests, so each runs in its own transaction."""
    db = Database(service_url, service, pool_size=N)
    app = _app(service, db, tmp_path_factory.mktemp(f"{service}-data"))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", headers=support.ENGLISH
        ) as c:
            c.app = app  # type: ignore[attr-defined]
            yield c
    finally:
        forwarder = getattr(app, "forwarder", None)
        if forwarder is not None:
            await forwarder.close()
        await db.dispose()
