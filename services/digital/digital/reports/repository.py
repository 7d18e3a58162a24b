"""The overview's aggregates, each one SQL statement (GROUP BY, SUM, COUNT with CASE), the
same on PostgreSQL and SQLite. Nothing is summed row by row in Python."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from digital.assets.repository import assets
from digital.domain.vocabulary import AssetStatus, VillageStatus
from digital.models import (
    Asset,
    AssetPeriod,
    CommuneProfile,
    Seller,
    SmartVillage,
    SpendingEntry,
    Team,
)
from digital.profiles.repository import profiles
from digital.sellers.repository import sellers
from digital.spending.repository import spending
from digital.teams.repository import teams
from digital.villages.repository import villages
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit.window import Window


def _zero(value: Any) -> Any:
    return func.coalesce(value, 0)


async def active_assets(
    session: AsyncSession, principal: Principal, area: Area, day: dt.date
) -> tuple[dict[str, int], int]:
    """(items by kind, cameras connected to the IOC) of the assets installed by `day` whose
    status in force that day is active."""
    a, p = Asset, AssetPeriod
    in_force = and_(
        p.asset_id == a.id,
        p.status == AssetStatus.active.value,
        p.from_on <= day,
        or_(p.until_on.is_(None), p.until_on > day),
    )
    stmt = (
        select(
            a.kind,
            _zero(func.sum(a.count)),
            _zero(func.sum(case((a.connected_to_ioc.is_(True), a.count), else_=0))),
        )
        .join(p, in_force)
        .where(a.installed_on <= day, *assets.where_visible(principal, area))
        .group_by(a.kind)
    )
    rows = (await session.execute(stmt)).all()
    return {str(kind): int(n) for kind, n, _ in rows}, sum(int(ioc) for _, _, ioc in rows)


async def government(
    session: AsyncSession, principal: Principal, area: Area, year: int
) -> tuple[int, int]:
    """(officials, certified officials) of the year's profiles."""
    c = CommuneProfile
    stmt = select(_zero(func.sum(c.officials)), _zero(func.sum(c.officials_it_certified))).where(
        c.year == year, *profiles.where_visible(principal, area)
    )
    officials, certified = (await session.execute(stmt)).one()
    return int(officials), int(certified)


async def society(
    session: AsyncSession, principal: Principal, area: Area, day: dt.date
) -> tuple[int, int, int, int]:
    """(teams, their members) established by `day`; smart villages started by then, building
    and recognised (by then) that day."""
    t = Team
    team_stmt = select(func.count(t.id), _zero(func.sum(t.members))).where(
        t.established_on <= day, *teams.where_visible(principal, area)
    )
    count, members = (await session.execute(team_stmt)).one()
    v = SmartVillage
    recognised = and_(
        v.status == VillageStatus.RECOGNISED.value,
        v.recognised_on.is_not(None),
        v.recognised_on <= day,
    )
    village_stmt = select(
        _zero(func.sum(case((recognised, 0), else_=1))),
        _zero(func.sum(case((recognised, 1), else_=0))),
    ).where(v.started_on <= day, *villages.where_visible(principal, area))
    building, done = (await session.execute(village_stmt)).one()
    return int(count), int(members), int(building), int(done)


async def economy(
    session: AsyncSession, principal: Principal, area: Area, day: dt.date
) -> tuple[int, int]:
    """(sellers, their OCOP products online) selling online since `day` or before."""
    s = Seller
    stmt = select(func.count(s.id), _zero(func.sum(s.ocop_products_online))).where(
        s.since <= day, *sellers.where_visible(principal, area)
    )
    count, products = (await session.execute(stmt)).one()
    return int(count), int(products)


async def spent(session: AsyncSession, principal: Principal, area: Area, days: Window) -> int:
    """The net of every entry dated in the window (reversals count on their own date)."""
    s = SpendingEntry
    conditions = [s.on <= days.end]
    if days.start is not None:
        conditions.append(s.on >= days.start)
    stmt = select(_zero(func.sum(s.amount_vnd))).where(
        *conditions, *spending.where_visible(principal, area)
    )
    return int((await session.execute(stmt)).scalar_one())
