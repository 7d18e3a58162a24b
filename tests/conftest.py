"""Fixtures shared by every test: one migrated database per run (SQLite files by default,
a fresh PostgreSQL database when MTQG_TEST_POSTGRES_URL is set), rolled back per test."""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from mtqg_shared.db import Database
from mtqg_shared.migrations import upgrade
from mtqg_shared.settings import async_url
from tests import support


def migrated_services() -> list[str]:
    """The registry's processes whose migrations exist (every one once it is built)."""
    found = []
    for service in support.SERVICES:
        spec = importlib.util.find_spec(service)
        if spec is None or not spec.submodule_search_locations:
            continue
        root = Path(next(iter(spec.submodule_search_locations)))
        if (root / "migrations" / "env.py").is_file():
            found.append(service)
    return found


@pytest.fixture(scope="session")
def database_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = support.postgres_base_url()
    if server is None:
        folder = tmp_path_factory.mktemp("db")
        yield f"sqlite+aiosqlite:///{folder}"
        return
    url, name = support.create_postgres_database(server)
    try:
        yield async_url(url)
    finally:
        support.drop_postgres_database(server, name)


@pytest.fixture(scope="session")
def database_urls(database_base_url: str) -> dict[str, str]:
    urls = {}
    for service in migrated_services():
        urls[service] = support.service_url(database_base_url, service)
        upgrade(service, urls[service])
    return urls


@pytest.fixture(scope="session")
async def databases(database_urls: dict[str, str]) -> AsyncIterator[dict[str, Database]]:
    dbs = {service: Database(url, service) for service, url in database_urls.items()}
    yield dbs
    for db in dbs.values():
        await db.dispose()


@pytest.fixture
def is_postgres(database_base_url: str) -> bool:
    return database_base_url.startswith("postgresql")


@pytest.fixture
def service_client(databases: dict[str, Database]):  # type: ignore[no-untyped-def]
    """`async with service_client("housing") as client:` an app on the rolled-back database."""
    import importlib
    from contextlib import asynccontextmanager

    import httpx

    @asynccontextmanager
    async def make(
        service: str, *, trusted_kids: tuple[str, ...] = (), **settings: object
    ) -> AsyncIterator[httpx.AsyncClient]:
        module = importlib.import_module(f"{service}.app")
        config = importlib.import_module(f"{service}.config")
        db = databases[service]
        verifier = support.verifier(*trusted_kids)
        app = module.create_app(config.Settings(**settings), db=db, verifier=verifier)
        async with support.rolled_back(db):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://test", headers=support.ENGLISH
            ) as client:
                client.app = app  # type: ignore[attr-defined]
                yield client

    return make
