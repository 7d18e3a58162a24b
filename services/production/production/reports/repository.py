"""The overview's aggregates, each one SQL statement (GROUP BY, SUM, COUNT with CASE), the
same on PostgreSQL and SQLite. Nothing is summed row by row in Python."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from production.domain.ocop import STARS, expiry_window
from production.domain.status import COUNTED
from production.facilities.repository import facilities
from production.models import Disbursement, Facility, OcopProduct, Project, Zone
from production.ocop.repository import ocop_products
from production.projects.repository import disbursements, projects
from production.zones.repository import zones


def _zero(value: Any) -> Any:
    return func.coalesce(value, 0)


async def zone_year(session: AsyncSession, principal: Principal, area: Area | None) -> int | None:
    """The latest year with zones in the area (that the caller may read)."""
    conditions = zones.where_visible(principal, area)
    year = (await session.execute(select(func.max(Zone.year)).where(*conditions))).scalar()
    return int(year) if year is not None else None


async def zones_by_crop(
    session: AsyncSession, principal: Principal, area: Area | None, year: int
) -> list[tuple[str, int, int, int]]:
    """(crop, area, certified, linked) in square metres, for one year."""
    stmt = (
        select(
            Zone.crop,
            _zero(func.sum(Zone.area_m2)),
            _zero(func.sum(Zone.certified_m2)),
            _zero(func.sum(Zone.linked_m2)),
        )
        .where(Zone.year == year, *zones.where_visible(principal, area))
        .group_by(Zone.crop)
    )
    rows = (await session.execute(stmt)).all()
    return [(str(crop), int(a), int(c), int(link)) for crop, a, c, link in rows]


async def project_totals(
    session: AsyncSession, principal: Principal, area: Area | None, as_of: dt.date | None = None
) -> tuple[int, int, int]:
    """(count, total cost, state support) of the projects from approval on (approved by
    `as_of` when given: a project never leaves the counted statuses once approved)."""
    stmt = select(
        func.count(Project.id),
        _zero(func.sum(Project.total_cost_vnd)),
        _zero(func.sum(Project.state_support_vnd)),
    ).where(Project.status.in_(sorted(COUNTED)), *projects.where_visible(principal, area))
    if as_of is not None:
        stmt = stmt.where(Project.approved_on <= as_of)
    count, cost, support = (await session.execute(stmt)).one()
    return int(count), int(cost), int(support)


async def disbursed_by_year(
    session: AsyncSession, principal: Principal, area: Area | None, as_of: dt.date | None = None
) -> list[tuple[int, int]]:
    """(year, net disbursed) for every year with entries.

    No join to projects for their status: disbursements are recorded only from approval on,
    and the status path never leads back before it, so every entry's project is counted."""
    year = extract("year", Disbursement.on)
    stmt = (
        select(year, func.sum(Disbursement.amount_vnd))
        .where(*disbursements.where_visible(principal, area))
        .group_by(year)
    )
    if as_of is not None:
        stmt = stmt.where(Disbursement.on <= as_of)
    return [(int(y), int(total)) for y, total in (await session.execute(stmt)).all()]


async def facility_totals(
    session: AsyncSession, principal: Principal, area: Area | None, as_of: dt.date | None = None
) -> tuple[int, int]:
    """(count, jobs); with `as_of`, of the facilities established by then (or undated)."""
    stmt = select(func.count(Facility.id), _zero(func.sum(Facility.jobs))).where(
        *facilities.where_visible(principal, area)
    )
    if as_of is not None:
        stmt = stmt.where(or_(Facility.established_on.is_(None), Facility.established_on <= as_of))
    count, jobs = (await session.execute(stmt)).one()
    return int(count), int(jobs)


async def ocop_totals(
    session: AsyncSession, principal: Principal, area: Area | None, today: dt.date
) -> tuple[int, dict[int, int], int]:
    """(count, count by stars, expiring within the warning window) of the products certified
    by `today` (a period report's last day, or today)."""
    start, end = expiry_window(today)

    def count_when(condition: ColumnElement[bool]) -> Any:
        return _zero(func.sum(case((condition, 1), else_=0)))

    stmt = select(
        func.count(OcopProduct.id),
        *(count_when(OcopProduct.stars == stars) for stars in STARS),
        count_when(and_(OcopProduct.expires_on >= start, OcopProduct.expires_on <= end)),
    ).where(*ocop_products.where_visible(principal, area), OcopProduct.certified_on <= today)
    count, *stars_counts, expiring = (await session.execute(stmt)).one()
    return (
        int(count),
        {stars: int(n) for stars, n in zip(STARS, stars_counts, strict=True)},
        int(expiring),
    )
