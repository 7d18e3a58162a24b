"""The production migrations go up, down and up again, and build exactly what the models say."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from mtqg_shared.migrations import downgrade, upgrade
from mtqg_shared.settings import async_url
from production.models import metadata
from tests import support


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind the run uses (SQLite file or a new PostgreSQL one)."""
    server = support.postgres_base_url()
    if server is None:
        yield f"sqlite+aiosqlite:///{tmp_path}/production.db"
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
    server_settings = {"search_path": "production"} if url.startswith("postgresql") else None
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

    await asyncio.to_thread(upgrade, "production", fresh_url)
    tables, differences = await _inspect(fresh_url)
    assert {"zones", "zone_places", "projects", "disbursements", "ocop_products"} <= tables
    assert differences == []
    await asyncio.to_thread(downgrade, "production", fresh_url, "0001")
    tables, _ = await _inspect(fresh_url)
    assert "zones" not in tables
    assert "audit_log" in tables
    await asyncio.to_thread(downgrade, "production", fresh_url, "base")
    await asyncio.to_thread(upgrade, "production", fresh_url)
    tables, differences = await _inspect(fresh_url)
    assert "projects" in tables
    assert differences == []


async def test_existing_steps_are_numbered_in_the_order_they_were_made(fresh_url: str) -> None:
    """0003 numbers the steps a database already holds: per project, by creation time."""
    import asyncio
    import datetime as dt
    import uuid

    from sqlalchemy import insert, select

    await asyncio.to_thread(upgrade, "production", fresh_url, "0002")
    pg = fresh_url.startswith("postgresql")
    engine = create_async_engine(
        fresh_url,
        connect_args={"server_settings": {"search_path": "production"}} if pg else {},
    )
    at = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
    project_ids = [uuid.uuid4(), uuid.uuid4()]
    day = dt.date(2026, 1, 1)
    # Inserted out of order: the numbers follow created_at, not the order of the rows.
    made = [(0, 2), (0, 0), (1, 0), (0, 1), (1, 1)]
    try:
        async with engine.begin() as conn:
            for pid in project_ids:
                await conn.execute(
                    insert(metadata.tables["projects"]).values(
                        id=pid,
                        created_at=at,
                        updated_at=at,
                        created_by="t",
                        version=1,
                        name="p",
                        lead_entity="e",
                        lead_entity_type="cooperative",
                        product="q",
                        commune_codes=["02953"],
                        start_on=day,
                        total_cost_vnd=10,
                        state_support_vnd=5,
                        disbursed_vnd=0,
                        households=1,
                        poor_households=0,
                        near_poor_households=0,
                        proposed_on=day,
                        status="proposed",
                        status_on=day,
                    )
                )
            for owner, minute in made:
                stamp = at + dt.timedelta(minutes=minute)
                await conn.execute(
                    insert(metadata.tables["project_transitions"]).values(
                        id=uuid.uuid4(),
                        created_at=stamp,
                        updated_at=stamp,
                        created_by="t",
                        version=1,
                        project_id=project_ids[owner],
                        to_status=f"s{minute}",
                        on_date=day,
                    )
                )
        await asyncio.to_thread(upgrade, "production", fresh_url)
        t = metadata.tables["project_transitions"]
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(t.c.project_id, t.c.to_status, t.c.seq).order_by(t.c.project_id, t.c.seq)
                )
            ).all()
    finally:
        await engine.dispose()
    numbered = {(pid, status): seq for pid, status, seq in rows}
    assert numbered == {
        (project_ids[0], "s0"): 1,
        (project_ids[0], "s1"): 2,
        (project_ids[0], "s2"): 3,
        (project_ids[1], "s0"): 1,
        (project_ids[1], "s1"): 2,
    }
