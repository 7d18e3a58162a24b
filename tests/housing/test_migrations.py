"""The housing migrations: reversible, in step with the models, shipping the default norms."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from housing.domain.norms import DEFAULT_NORMS
from housing.models import Norm, metadata
from mtqg_shared.migrations import downgrade, upgrade
from mtqg_shared.settings import async_url
from tests import support


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own: these tests migrate up and down."""
    server = support.postgres_base_url()
    if server is None:
        yield f"sqlite+aiosqlite:///{tmp_path / 'housing.db'}"
        return
    url, name = support.create_postgres_database(server)
    try:
        yield async_url(url)
    finally:
        support.drop_postgres_database(server, name)


def _inspect(url: str) -> tuple[list[Any], list[tuple[str, str, int, str]]]:
    async def run() -> tuple[list[Any], list[tuple[str, str, int, str]]]:
        engine = (
            create_async_engine(url, connect_args={"server_settings": {"search_path": "housing"}})
            if url.startswith("postgresql")
            else create_async_engine(url)
        )
        try:
            async with engine.connect() as conn:

                def compare(sync: Connection) -> list[Any]:
                    context = MigrationContext.configure(sync, opts={"compare_type": True})
                    return list(compare_metadata(context, metadata))

                differences = await conn.run_sync(compare)
                rows = (
                    await conn.execute(
                        select(
                            Norm.beneficiary_group,
                            Norm.support_type,
                            Norm.amount_vnd,
                            Norm.valid_from,
                        )
                    )
                ).all()
        finally:
            await engine.dispose()
        return differences, [(r[0], r[1], r[2], r[3].isoformat()) for r in rows]

    return asyncio.run(run())


def test_upgrade_downgrade_upgrade_matches_the_models(fresh_url: str) -> None:
    upgrade("housing", fresh_url)
    downgrade("housing", fresh_url, "0001")
    downgrade("housing", fresh_url, "base")
    upgrade("housing", fresh_url)
    differences, norms = _inspect(fresh_url)
    assert differences == []
    assert sorted(norms) == sorted(
        (n.beneficiary_group, n.support_type, n.amount_vnd, n.valid_from.isoformat())
        for n in DEFAULT_NORMS
    )


def _execute(url: str, *statements: str) -> list[Any]:
    """Run raw statements in the housing schema; the rows of the last one."""

    async def run() -> list[Any]:
        engine = (
            create_async_engine(url, connect_args={"server_settings": {"search_path": "housing"}})
            if url.startswith("postgresql")
            else create_async_engine(url)
        )
        try:
            async with engine.begin() as conn:
                result = None
                for statement in statements:
                    result = await conn.execute(text(statement))
                return list(result.all()) if result is not None and result.returns_rows else []
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_funding_recorded_before_0005_is_housings_project_and_recurrent(fresh_url: str) -> None:
    upgrade("housing", fresh_url, "0004")
    case, entry = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
    stamp = "'2025-01-02 03:04:05+00:00'"
    _execute(
        fresh_url,
        "INSERT INTO cases (id, created_at, updated_at, created_by, version, commune_code, "
        "household_code, head_of_household, geography, beneficiary_group, support_type, "
        f"registered_on, status, status_on) VALUES ('{case}', {stamp}, {stamp}, 'admin', 1, "
        "'02809', 'SMC-1', 'Giàng Seo Páo', '2025-07', 'poor', 'new_build', '2025-01-02', "
        "'registered', '2025-01-02')",
        "INSERT INTO funding_entries (id, created_at, updated_at, created_by, version, "
        "commune_code, case_id, source, amount_vnd, on_date) VALUES "
        f"('{entry}', {stamp}, {stamp}, 'admin', 1, '02809', '{case}', 'central_budget', "
        "40000000, '2025-01-03')",
    )
    upgrade("housing", fresh_url)
    rows = _execute(fresh_url, "SELECT project_code, capital_type, amount_vnd FROM funding_entries")
    assert [tuple(row) for row in rows] == [("90.DA5", "recurrent", 40_000_000)]
    downgrade("housing", fresh_url, "0004")
    rows = _execute(fresh_url, "SELECT amount_vnd FROM funding_entries")
    assert [tuple(row) for row in rows] == [(40_000_000,)]
