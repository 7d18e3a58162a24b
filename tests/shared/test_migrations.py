"""Every service's migrations go up, down and up again, and leave exactly its models' tables."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from mtqg_shared.migrations import downgrade, upgrade
from tests import support
from tests.conftest import migrated_services


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    server = support.postgres_base_url()
    if server is None:
        yield f"sqlite+aiosqlite:///{tmp_path}"
        return
    url, name = support.create_postgres_database(server)
    try:
        yield url
    finally:
        support.drop_postgres_database(server, name)


def _inspect(url: str, service: str) -> tuple[set[str], list[Any]]:
    async def run() -> tuple[set[str], list[Any]]:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        metadata = importlib.import_module(f"{service}.models").metadata
        schema = service if url.startswith("postgresql") else None

        def look(conn: Connection) -> tuple[set[str], list[Any]]:
            tables = set(inspect(conn).get_table_names(schema=schema))
            if not tables - {"alembic_version"}:
                return tables, []
            if schema:
                conn.exec_driver_sql(f'SET search_path TO "{schema}"')
            context = MigrationContext.configure(conn, opts={"compare_type": False})
            return tables, compare_metadata(context, metadata)

        try:
            async with engine.connect() as conn:
                return await conn.run_sync(look)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@pytest.mark.parametrize("service", migrated_services())
def test_up_down_up(service: str, empty_database: str) -> None:
    url = support.service_url(empty_database, service)
    metadata = importlib.import_module(f"{service}.models").metadata
    expected = {t.name for t in metadata.sorted_tables}

    upgrade(service, url)
    tables, differences = _inspect(url, service)
    assert expected <= tables
    assert differences == [], f"models and migrations disagree: {differences}"

    downgrade(service, url, "base")
    tables, _ = _inspect(url, service)
    assert tables <= {"alembic_version"}

    upgrade(service, url)
    tables, differences = _inspect(url, service)
    assert expected <= tables
    assert differences == []
