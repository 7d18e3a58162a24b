"""What every service's migrations test checks alike: on an empty database of the kind the
run uses, its migrations go up, down to 0001 and to nothing, and up again, and what they
build is exactly what its models say (alembic's compare finds no difference)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from mtqg_shared.migrations import downgrade, upgrade
from mtqg_shared.settings import async_url
from tests import support


def fresh_url(service: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind the run uses (SQLite file or a new PostgreSQL one)."""
    server = support.postgres_base_url()
    if server is None:
        yield f"sqlite+aiosqlite:///{tmp_path}/{service}.db"
        return
    url, name = support.create_postgres_database(server)
    try:
        yield async_url(url)
    finally:
        support.drop_postgres_database(server, name)


async def _inspect(service: str, metadata: MetaData, url: str) -> tuple[set[str], list[object]]:
    def tables(connection: Connection) -> set[str]:
        return set(inspect(connection).get_table_names())

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    server_settings = {"search_path": service} if url.startswith("postgresql") else None
    engine = create_async_engine(
        url, connect_args={"server_settings": server_settings} if server_settings else {}
    )
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(tables), await conn.run_sync(differences)
    finally:
        await engine.dispose()


async def up_down_up(service: str, metadata: MetaData, url: str, own: Iterable[str]) -> None:
    """Up: the service's `own` tables and exactly the models; down to 0001: none of them and
    the common tables kept; down to nothing and up again: the models once more."""
    own = set(own)
    await asyncio.to_thread(upgrade, service, url)
    tables, differences = await _inspect(service, metadata, url)
    assert own <= tables
    assert differences == []
    await asyncio.to_thread(downgrade, service, url, "0001")
    tables, _ = await _inspect(service, metadata, url)
    assert not own & tables
    assert "audit_log" in tables
    await asyncio.to_thread(downgrade, service, url, "base")
    await asyncio.to_thread(upgrade, service, url)
    tables, differences = await _inspect(service, metadata, url)
    assert own <= tables
    assert differences == []
