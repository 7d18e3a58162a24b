"""The labour migrations run up, down and up again on a database of their own, and leave
exactly the tables the models describe."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from labour.models import metadata
from mtqg_shared.migrations import downgrade, upgrade
from mtqg_shared.settings import async_url
from tests import support

TABLES = {
    "workers",
    "partners",
    "outreach_events",
    "placements",
    "placement_steps",
    "remittances",
    "commune_profiles",
    "audit_log",
    "idempotency_keys",
}


@pytest.fixture
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = support.postgres_base_url()
    if server is None:
        yield f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('migrations') / 'labour.db'}"
        return
    made, name = support.create_postgres_database(server)
    try:
        yield async_url(made)
    finally:
        support.drop_postgres_database(server, name)


def inspect_database(url: str) -> tuple[set[str], list[Any]]:
    async def run() -> tuple[set[str], list[Any]]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                if conn.dialect.name == "postgresql":
                    await conn.execute(text("SET search_path TO labour"))

                def look(sync: Any) -> tuple[set[str], list[Any]]:
                    tables = set(inspect(sync).get_table_names())
                    context = MigrationContext.configure(sync, opts={"compare_type": True})
                    return tables, list(compare_metadata(context, metadata))

                return await conn.run_sync(look)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_upgrade_downgrade_upgrade(url: str) -> None:
    upgrade("labour", url)
    tables, drift = inspect_database(url)
    assert tables >= TABLES
    assert drift == []
    downgrade("labour", url, "0001")
    tables, _ = inspect_database(url)
    assert tables & TABLES == {"audit_log", "idempotency_keys"}
    downgrade("labour", url)
    tables, _ = inspect_database(url)
    assert not tables & TABLES
    upgrade("labour", url)
    tables, drift = inspect_database(url)
    assert tables >= TABLES
    assert drift == []
