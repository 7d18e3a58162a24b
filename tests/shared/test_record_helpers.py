"""The shared write helpers on a real table (housing's norms), rolled back after each test:
one clock read for a new record, client-made ids, uniqueness races as 409, versions, PATCH
nulls; engines that never quote parameters; the optional area filter."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.ext.asyncio import AsyncSession

from housing.models import Norm
from mtqg_shared.admin_units import admin_units
from mtqg_shared.areas import filter_area
from mtqg_shared.auth import Principal
from mtqg_shared.db import Database
from mtqg_shared.errors import Problem
from mtqg_shared.messages import msg
from mtqg_shared.schemas import StrictInput
from mtqg_shared.writes import bump, ensure_new_id, flush_or_conflict, refuse_nulls
from tests import support


@pytest.fixture
async def session(databases: dict[str, Database]) -> AsyncIterator[AsyncSession]:
    db = databases["housing"]
    async with support.rolled_back(db), db.session() as session:
        yield session


def norm(**given: Any) -> Norm:
    values: dict[str, Any] = {
        "created_by": "person:tester",
        "beneficiary_group": "poor",
        "support_type": "repair",
        "valid_from": dt.date(2024, 1, 1),
        "amount_vnd": 30_000_000,
    }
    return Norm(**(values | given))


async def test_a_new_record_is_stamped_by_one_clock_read(session: AsyncSession) -> None:
    rows = [norm(valid_from=dt.date(2024, 1, day)) for day in range(1, 6)]
    session.add_all(rows)
    await session.flush()
    for row in rows:
        assert row.created_at is not None and row.created_at == row.updated_at
        assert row.version == 1
    stored = (await session.execute(select(Norm.created_at, Norm.updated_at))).all()
    assert stored and all(created == updated for created, updated in stored)


async def test_a_given_timestamp_is_kept_for_both(session: AsyncSession) -> None:
    at = dt.datetime(2020, 5, 17, 8, 30, tzinfo=dt.UTC)
    row = norm(created_at=at)
    session.add(row)
    await session.flush()
    assert (row.created_at, row.updated_at) == (at, at)


async def test_bump_moves_version_and_sync_time(session: AsyncSession) -> None:
    row = norm()
    session.add(row)
    await session.flush()
    created = row.created_at
    await asyncio.sleep(0.001)
    bump(row)
    await session.flush()
    assert row.version == 2
    assert row.updated_at > created == row.created_at


async def test_client_made_ids(session: AsyncSession) -> None:
    assert isinstance(await ensure_new_id(session, Norm, None, "norm"), uuid.UUID)
    fresh = uuid.uuid4()
    assert await ensure_new_id(session, Norm, fresh, "norm") == fresh
    row = norm(id=fresh)
    session.add(row)
    await session.flush()
    with pytest.raises(Problem) as caught:
        await ensure_new_id(session, Norm, fresh, "obstacle")
    assert (caught.value.status, caught.value.type) == (409, "duplicate")
    assert str(caught.value) == "An obstacle with this id already exists."
    assert caught.value.body("/", None, "vi")["detail"] == "Đã có vướng mắc với mã (id) này."
    assert str(fresh) not in str(caught.value)


async def test_a_lost_uniqueness_race_is_409_without_the_database_message(
    session: AsyncSession,
) -> None:
    session.add(norm())
    await session.flush()
    session.add(norm(amount_vnd=40_000_000))  # same group, type and valid_from
    with pytest.raises(Problem) as caught:
        await flush_or_conflict(session, msg("norm_set_meanwhile"))
    problem = caught.value
    assert (problem.status, problem.type, str(problem)) == (
        409,
        "duplicate",
        "This norm was set meanwhile; send it again.",
    )
    assert problem.__cause__ is None and problem.__suppress_context__
    with pytest.raises(Problem) as again:
        session.add(norm(valid_from=dt.date(2023, 1, 1)))
        await session.flush()
        session.add(norm(valid_from=dt.date(2023, 1, 1)))
        await flush_or_conflict(session, msg("case_moved_meanwhile"), type="invalid-state")
    assert again.value.type == "invalid-state"


class Patch(StrictInput):
    name: str | None = None
    note: str | None = None
    count: int | None = None


def test_refuse_nulls_names_every_field_sent_as_null() -> None:
    refuse_nulls(Patch(), ("name", "count"))
    refuse_nulls(Patch(note=None), ("name", "count"))  # may be emptied: not listed
    with pytest.raises(Problem) as caught:
        refuse_nulls(Patch(name=None, count=None, note="x"), ("name", "count"))
    assert caught.value.status == 422
    assert caught.value.body("/", None, "en")["errors"] == [
        {"field": "body.name", "code": "not_null", "message": "may not be null"},
        {"field": "body.count", "code": "not_null", "message": "may not be null"},
    ]


async def test_engines_never_quote_parameters(databases: dict[str, Database]) -> None:
    db = databases["housing"]
    for engine in (db.engine, db.read_engine):
        assert engine.sync_engine.hide_parameters
    secret = "079204001234"  # an identity number
    with pytest.raises((DBAPIError, StatementError)) as caught:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT * FROM no_such_table WHERE x = :x"), {"x": secret})
    assert secret not in str(caught.value)


def test_optional_area_filter() -> None:
    everywhere = Principal.build("p", "person", roles=["viewer"], areas=["15"])
    assert filter_area(everywhere, None, None) is None
    area = filter_area(everywhere, "15", None)
    assert area is not None and area.code == "15"
    with pytest.raises(Problem) as alone:
        filter_area(everywhere, None, "2025-01")
    assert alone.value.status == 422
    assert alone.value.body("/", None, "en")["errors"] == [
        {
            "field": "query.geography",
            "code": "required",
            "message": "geography qualifies area_code; give both",
        }
    ]
    with pytest.raises(Problem) as unknown:
        filter_area(everywhere, "99999", None)
    assert unknown.value.status == 422
    communes = sorted(admin_units().all_current_communes)
    one = Principal.build("q", "person", roles=["viewer"], areas=[communes[0]])
    with pytest.raises(Problem) as outside:
        filter_area(one, communes[-1], None)
    assert outside.value.status == 404
