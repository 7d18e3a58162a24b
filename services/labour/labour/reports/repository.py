"""The report queries: every figure is a GROUP BY or a conditional sum in the database; only
the few grouped rows come back to Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from labour.domain.overview import CountryRow, year_bounds
from labour.domain.profiles import ProfileFigures
from labour.domain.remittances import year_months
from labour.domain.status import ABROAD, IN_PREPARATION, PlacementStatus
from labour.models import CommuneProfile, OutreachEvent, Placement, Remittance, Worker
from mtqg_shared.admin_units import GEO_NEW, Area
from mtqg_shared.areas import in_area, readable
from mtqg_shared.auth import Principal

POOR_OR_NEAR_POOR = ("poor", "near_poor")


@dataclass(frozen=True, slots=True)
class Scope:
    """What a report counts: the caller's readable records inside the area."""

    principal: Principal
    area: Area

    @property
    def everything(self) -> bool:
        """The whole new province for a caller who reads all of it: no filter at all."""
        return (
            self.principal.communes is None
            and self.area.geography == GEO_NEW
            and self.area.level == "province"
        )

    def of(self, commune_col: Any, legacy_col: Any) -> ColumnElement[bool]:
        return and_(
            readable(self.principal, commune_col), in_area(self.area, commune_col, legacy_col)
        )


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _values(statuses: frozenset[PlacementStatus]) -> list[str]:
    return sorted(s.value for s in statuses)


def placements_stmt(scope: Scope, year: int | None, as_of: dt.date | None = None) -> Select[Any]:
    p = Placement
    departed: ColumnElement[bool]
    in_preparation: ColumnElement[bool]
    abroad: ColumnElement[bool]
    returned: ColumnElement[bool]
    if year is None:
        departed = p.departed_on.is_not(None)
        in_preparation = p.status.in_(_values(IN_PREPARATION))
        abroad = p.status.in_(_values(ABROAD))
        returned = p.status == PlacementStatus.RETURNED.value
    else:
        # Flows count what happened in the year; stocks are read from the dates as they
        # stood on its last day.
        first, last = year_bounds(year, as_of)
        departed = p.departed_on.between(first, last)
        in_preparation = and_(
            p.registered_on <= last,
            (p.departed_on.is_(None)) | (p.departed_on > last),
            (p.withdrawn_on.is_(None)) | (p.withdrawn_on > last),
        )
        abroad = and_(p.departed_on <= last, (p.returned_on.is_(None)) | (p.returned_on > last))
        returned = p.returned_on.between(first, last)
    has_salary = and_(departed, p.monthly_salary_vnd.is_not(None))
    stmt = (
        select(
            p.destination_country,
            _count_if(departed),
            _count_if(and_(departed, Worker.household_poverty.in_(POOR_OR_NEAR_POOR))),
            func.coalesce(func.sum(case((has_salary, p.monthly_salary_vnd), else_=0)), 0),
            _count_if(has_salary),
            _count_if(in_preparation),
            _count_if(abroad),
            _count_if(returned),
        )
        .join(Worker, Worker.id == p.worker_id)
        .group_by(p.destination_country)
    )
    if not scope.everything:
        stmt = stmt.where(scope.of(Worker.commune_code, Worker.legacy_commune_code))
    if year is not None:
        stmt = stmt.where(p.registered_on <= year_bounds(year, as_of)[1])
    return stmt


async def placement_rows(
    session: AsyncSession, scope: Scope, year: int | None, as_of: dt.date | None = None
) -> list[CountryRow]:
    rows = (await session.execute(placements_stmt(scope, year, as_of))).all()
    return [CountryRow(str(r[0]), *(int(v) for v in r[1:])) for r in rows]


def remittances_stmt(
    scope: Scope, year: int | None, key: Any, as_of: dt.date | None = None
) -> Select[Any]:
    """Sums by `key`; the placements and workers are joined only to place the money (for an
    area, a bound caller or a grouping by commune)."""
    stmt = select(key, func.sum(Remittance.amount_vnd)).select_from(Remittance).group_by(key)
    if not scope.everything or key is Worker.commune_code:
        stmt = stmt.join(Placement, Placement.id == Remittance.placement_id).join(
            Worker, Worker.id == Placement.worker_id
        )
    if not scope.everything:
        stmt = stmt.where(scope.of(Worker.commune_code, Worker.legacy_commune_code))
    if year is not None:
        first, last = year_months(year, as_of)
        stmt = stmt.where(Remittance.month.between(first, last))
    return stmt


def grouping_key(group_by: str) -> Any:
    """What remittance totals are grouped by: commune, country, year or month."""
    return {
        "commune": Worker.commune_code,
        "country": Remittance.destination_country,
        "year": func.substr(Remittance.month, 1, 4),
        "month": Remittance.month,
    }[group_by]


async def remittances_by(
    session: AsyncSession, scope: Scope, year: int | None, key: Any, as_of: dt.date | None = None
) -> dict[str, int]:
    rows = (await session.execute(remittances_stmt(scope, year, key, as_of))).all()
    return {str(r[0]): int(r[1]) for r in rows}


async def outreach_totals(
    session: AsyncSession, scope: Scope, year: int | None, as_of: dt.date | None = None
) -> tuple[int, int]:
    e = OutreachEvent
    stmt = select(func.count(), func.coalesce(func.sum(e.participants), 0)).where(
        scope.of(e.commune_code, e.legacy_commune_code)
    )
    if year is not None:
        stmt = stmt.where(e.held_on.between(*year_bounds(year, as_of)))
    events, participants = (await session.execute(stmt)).one()
    return int(events), int(participants)


async def profile_totals(
    session: AsyncSession, scope: Scope, year: int | None
) -> ProfileFigures | None:
    """The area's summed figures for `year`, or for the latest year that has any."""
    c = CommuneProfile
    inside = scope.of(c.commune_code, c.legacy_commune_code)
    which: Any = year
    if year is None:
        which = select(func.max(c.year)).where(inside).scalar_subquery()
    figures = [
        func.coalesce(func.sum(col), 0)
        for col in (
            c.population,
            c.households,
            c.working_age,
            c.employed_elsewhere,
            c.poor_households,
            c.near_poor_households,
        )
    ]
    row = (
        await session.execute(select(func.count(), *figures).where(inside, c.year == which))
    ).one()
    if not row[0]:
        return None
    return ProfileFigures(*(int(v) for v in row[1:]))
