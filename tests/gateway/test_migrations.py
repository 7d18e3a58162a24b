"""The gateway's migrations go up, step down and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from mtqg_shared.migrations import downgrade, upgrade
from tests import support

IDENTITY_TABLES = {
    "users",
    "user_areas",
    "clients",
    "client_areas",
    "refresh_tokens",
    "signin_failures",
    "rate_limits",
}
COMMON_TABLES = {"audit_log", "idempotency_keys"}
WEBHOOK_TABLES = {"webhooks", "webhook_positions", "webhook_deliveries"}


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    server = support.postgres_base_url()
    if server is None:
        yield f"sqlite+aiosqlite:///{tmp_path}"
        return
    url, name = support.create_postgres_database(server)
    try:
        yield url
    finally:
        support.drop_postgres_database(server, name)


def tables(url: str) -> set[str]:
    async def run() -> set[str]:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        schema = "gateway" if url.startswith("postgresql") else None

        def look(conn: Connection) -> set[str]:
            return set(inspect(conn).get_table_names(schema=schema))

        try:
            async with engine.connect() as conn:
                return await conn.run_sync(look)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_up_down_up(empty_url: str) -> None:
    url = support.service_url(empty_url, "gateway")
    upgrade("gateway", url)
    assert tables(url) == IDENTITY_TABLES | WEBHOOK_TABLES | COMMON_TABLES | {"alembic_version"}
    downgrade("gateway", url, "0003")
    assert tables(url) == IDENTITY_TABLES | COMMON_TABLES | {"alembic_version"}
    downgrade("gateway", url, "0001")
    assert tables(url) == COMMON_TABLES | {"alembic_version"}
    downgrade("gateway", url, "base")
    assert tables(url) <= {"alembic_version"}
    upgrade("gateway", url)
    assert tables(url) == IDENTITY_TABLES | WEBHOOK_TABLES | COMMON_TABLES | {"alembic_version"}
