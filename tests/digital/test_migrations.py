"""The digital migrations go up, down and up again, and build exactly what the models say."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from digital.models import metadata
from mtqg_shared.migrations import downgrade, upgrade
from mtqg_shared.settings import async_url
from tests import support


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind the run uses (SQLite file or a new PostgreSQL one)."""
    server = support.postgres_base_url()
    if server is None:
        yield f"sqlite+aiosqlite:///{tmp_path}/digital.db"
        return
    url, name = support.create_postgres_database(server)
    try:
        yield async_url(url)
    finally:
        support.drop_postgres_database(server, name)


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _inspect(url: str) -> tuple[set[str], list[object]]:
    server_settings = {"search_path": "digital"} if url.startswith("postgresql") else None
    engine = create_async_engine(
        url, connect_args={"server_settings": server_settings} if server_settings else {}
    )
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_tables), await conn.run_sync(_differences)
    finally:
        await engine.dispose()


async def test_upgrade_downgrade_upgrade(fresh_url: str) -> None:
    import asyncio

    await asyncio.to_thread(upgrade, "digital", fresh_url)
    tables, differences = await _inspect(fresh_url)
    assert {
        "assets",
        "asset_statuses",
        "teams",
        "commune_profiles",
        "smart_villages",
        "smart_village_transitions",
        "sellers",
        "spending",
    } <= tables
    assert differences == []
    await asyncio.to_thread(downgrade, "digital", fresh_url, "0001")
    tables, _ = await _inspect(fresh_url)
    assert "assets" not in tables and "asset_statuses" not in tables
    assert "audit_log" in tables
    await asyncio.to_thread(downgrade, "digital", fresh_url, "base")
    await asyncio.to_thread(upgrade, "digital", fresh_url)
    tables, differences = await _inspect(fresh_url)
    assert "spending" in tables
    assert differences == []
