"""The overview's aggregates, each one SQL statement (GROUP BY, SUM, COUNT with CASE), the
same on PostgreSQL and SQLite. Nothing is summed row by row in Python."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gender.activities.repository import activities
from gender.community.repository import community_models
from gender.materials.repository import materials
from gender.models import (
    LANGUAGE_COLUMNS,
    TOPIC_COLUMNS,
    Activity,
    CommunityModel,
    Material,
    SpendingEntry,
)
from gender.spending.repository import spending
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit.window import Window


def _zero(value: Any) -> Any:
    return func.coalesce(value, 0)


def _count_true(column: Any) -> Any:
    return _zero(func.sum(case((column.is_(True), 1), else_=0)))


def _dated(column: Any, days: Window) -> list[ColumnElement[bool]]:
    conditions = [column <= days.end]
    if days.start is not None:
        conditions.append(column >= days.start)
    return conditions


async def models_by_kind(
    session: AsyncSession, principal: Principal, area: Area, days: Window
) -> dict[str, tuple[int, int, int]]:
    """kind -> (count, members, women members) of the models established by the window's end."""
    m = CommunityModel
    stmt = (
        select(
            m.kind, func.count(m.id), _zero(func.sum(m.members)), _zero(func.sum(m.members_female))
        )
        .where(m.established_on <= days.end, *community_models.where_visible(principal, area))
        .group_by(m.kind)
    )
    rows = (await session.execute(stmt)).all()
    return {str(kind): (int(n), int(members), int(women)) for kind, n, members, women in rows}


async def activity_totals(
    session: AsyncSession, principal: Principal, area: Area, days: Window
) -> tuple[int, int, int, dict[str, int], dict[str, int]]:
    """(count, participants, women, count by topic, count by language) of activities held."""
    a: Any = Activity
    stmt = select(
        func.count(a.id),
        _zero(func.sum(a.participants)),
        _zero(func.sum(a.participants_female)),
        *(_count_true(getattr(a, column)) for column in TOPIC_COLUMNS.values()),
        *(_count_true(getattr(a, column)) for column in LANGUAGE_COLUMNS.values()),
    ).where(*_dated(a.held_on, days), *activities.where_visible(principal, area))
    count, people, women, *flags = (await session.execute(stmt)).one()
    topics = dict(zip(TOPIC_COLUMNS, flags[: len(TOPIC_COLUMNS)], strict=True))
    languages = dict(zip(LANGUAGE_COLUMNS, flags[len(TOPIC_COLUMNS) :], strict=True))
    return int(count), int(people), int(women), topics, languages


async def material_totals(
    session: AsyncSession, principal: Principal, area: Area, days: Window
) -> tuple[int, dict[str, int]]:
    """(count, count with a version in each language) of materials published."""
    m: Any = Material
    stmt = select(
        func.count(m.id), *(_count_true(getattr(m, column)) for column in LANGUAGE_COLUMNS.values())
    ).where(*_dated(m.published_on, days), *materials.where_visible(principal, area))
    count, *flags = (await session.execute(stmt)).one()
    return int(count), dict(zip(LANGUAGE_COLUMNS, flags, strict=True))


async def spent(session: AsyncSession, principal: Principal, area: Area, days: Window) -> int:
    """The net of every entry (reversals count on their own date), every source."""
    s = SpendingEntry
    stmt = select(_zero(func.sum(s.amount_vnd))).where(
        *_dated(s.on, days), *spending.where_visible(principal, area)
    )
    return int((await session.execute(stmt)).scalar_one())
