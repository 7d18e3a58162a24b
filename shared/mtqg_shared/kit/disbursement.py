"""The disbursement report of a service (API.md section 11): for a year, as of a day, the capital
its plans allocate and the money its entries disbursed, by (project, capital type, source),
in SQL aggregations over the tables the service declares, and the same by commune.

- planned: that year's plans (kit.capital) in the area with `decision_on` on or before
  `as_of`, cuts and reversals included;
- disbursed: the net of that year's `central_budget` and `local_budget` entries dated on or
  before `as_of` (a reversal counts on its own date);
- rate: disbursed / planned, 0 when nothing (or less than nothing) is planned.

A service declares each table of its money entries as a `Counted` (its resource says where
the entries lie and who reads them), and one `Disbursement` computes the report; the gateway
sums the services' reports (`GET /api/v1/disbursement`) and a period report freezes it.

By commune: an entry counts in its commune (in a report for an old unit: its old commune).
An entry of a record spanning several communes (a production project) counts in each of
them, so such rows can add up to more than the totals, which count it once. A plan counts
in the commune it names (an old commune's in the commune it became); a plan of a larger unit
(the province's own, an old district's) is listed under that unit's code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mtqg_shared.admin_units import GEO_NEW, GEO_OLD, Area, admin_units
from mtqg_shared.areas import in_area, readable
from mtqg_shared.auth import Principal
from mtqg_shared.kit.areas import InCommune
from mtqg_shared.kit.capital import CapitalBook, PlanSource, area_of
from mtqg_shared.kit.money import CapitalType
from mtqg_shared.kit.periods import Part
from mtqg_shared.kit.resource import Resource
from mtqg_shared.programmes import PROGRAMMES
from mtqg_shared.schemas import AreaRef
from mtqg_shared.types import today_vn

COUNTED_SOURCES = tuple(s.value for s in PlanSource)


class DisbursementFigures(BaseModel):
    planned_vnd: int
    disbursed_vnd: int
    disbursement_rate: float = Field(description="disbursed / planned; 0 when none is planned.")


def _absent(value: object) -> bool:
    return value is None


class DisbursementRow(BaseModel):
    # Only with group_by=commune (absent otherwise).
    code: str | None = Field(
        default=None,
        exclude_if=_absent,
        description="With group_by=commune: the commune (for a plan of a larger unit, that "
        "unit's code).",
    )
    name: str | None = Field(default=None, exclude_if=_absent, description="Its name.")
    project_code: str
    capital_type: CapitalType
    source: PlanSource
    planned_vnd: int
    disbursed_vnd: int
    disbursement_rate: float = Field(description="disbursed / planned; 0 when none is planned.")


class DisbursementReport(BaseModel):
    area: AreaRef
    year: int
    as_of: dt.date
    rows: list[DisbursementRow]
    totals: DisbursementFigures


def rate(disbursed: int, planned: int) -> float:
    return disbursed / planned if planned > 0 else 0.0


def figures(planned: int, disbursed: int) -> DisbursementFigures:
    return DisbursementFigures(
        planned_vnd=planned, disbursed_vnd=disbursed, disbursement_rate=rate(disbursed, planned)
    )


@dataclass(frozen=True, slots=True)
class Places:
    """Where the entries of records spanning several communes lie, for the report by
    commune: a table (`model`) of rows naming the record (`owner`), a commune and its old
    commune, and the entry's column naming the same record."""

    model: Any
    entry_owner: Any
    owner: str
    commune: str = "commune_code"
    legacy_commune: str = "legacy_commune_code"


@dataclass(frozen=True, slots=True)
class Counted:
    """A table of money entries the report counts: its resource and the column that dates
    an entry (the rest by their contract names: amount_vnd, source, project_code,
    capital_type); `places` when its entries lie in several communes at once."""

    resource: Resource[Any]
    on: Any
    places: Places | None = None

    def column(self, name: str) -> Any:
        return getattr(self.resource.model, name)


def report_day(year: int | None, as_of: dt.date | None) -> tuple[int, dt.date]:
    """The year and day a report stands on: by default this year as of today; a past year
    as of its last day; a year given with no day, as of today or its last day, whichever
    comes first."""
    today = today_vn()
    if as_of is None:
        chosen = year if year is not None else today.year
        return chosen, min(today, dt.date(chosen, 12, 31))
    return (year if year is not None else as_of.year), as_of


_ORDER = {
    project.code: index
    for index, project in enumerate(p for programme in PROGRAMMES for p in programme.projects)
}

Key = tuple[str, str, str]  # project, capital type, source
Place = tuple[str, str]  # code, geography
Sums = dict[tuple[Key, Place | None], int]


def _add(found: Sums, row: Any, place: Place | None) -> None:
    """A grouped row (project, capital type, source, ..., sum) added to its key's sum."""
    key = ((row[0], row[1], row[2]), place)
    found[key] = found.get(key, 0) + int(row[-1])


def _commune_key(area: Area, code: str, geography: str) -> Place:
    """Where a plan of `code` shows in a report of `area` by commune: an old commune in a
    report of new units goes to the commune it became."""
    if area.geography == GEO_NEW and geography == GEO_OLD and len(code) == 5:
        placed = admin_units().place_commune(code, GEO_OLD)
        return placed.commune_code, GEO_NEW
    return code, geography


class Disbursement:
    """A service's disbursement report over its plans and its `counted` entry tables."""

    def __init__(self, plans: CapitalBook, counted: Sequence[Counted]) -> None:
        self.plans = plans
        self.counted = tuple(counted)

    # -- the SQL ----------------------------------------------------------------------

    async def _planned(
        self,
        session: AsyncSession,
        principal: Principal,
        area: Area,
        year: int,
        as_of: dt.date,
        by_place: bool,
    ) -> Sums:
        m: Any = self.plans.model
        keys = [m.project_code, m.capital_type, m.source]
        if by_place:
            keys += [m.area_code, m.geography]
        stmt = (
            select(*keys, func.sum(m.amount_vnd))
            .where(
                *self.plans.resource.where_visible(principal, area),
                m.year == year,
                m.decision_on <= as_of,
            )
            .group_by(*keys)
        )
        found: Sums = {}
        for row in (await session.execute(stmt)).all():
            _add(found, row, _commune_key(area, row[3], row[4]) if by_place else None)
        return found

    def _dated(self, counted: Counted, year: int, as_of: dt.date) -> list[ColumnElement[bool]]:
        start, end = dt.date(year, 1, 1), min(as_of, dt.date(year, 12, 31))
        return [
            counted.on >= start,
            counted.on <= end,
            counted.column("source").in_(COUNTED_SOURCES),
        ]

    async def _disbursed(
        self,
        session: AsyncSession,
        principal: Principal,
        area: Area,
        year: int,
        as_of: dt.date,
        by_place: bool,
    ) -> Sums:
        found: Sums = {}
        legacy = area.geography == GEO_OLD
        geography = GEO_OLD if legacy else GEO_NEW
        for counted in self.counted:
            keys = [counted.column(n) for n in ("project_code", "capital_type", "source")]
            stmt = select().where(
                *counted.resource.where_visible(principal, area),
                *self._dated(counted, year, as_of),
            )
            if by_place:
                if counted.places is not None:
                    places = counted.places
                    # Its own alias: the area rule's own subquery over the same table
                    # stays uncorrelated.
                    place: Any = aliased(places.model)
                    commune = getattr(place, places.commune)
                    old = getattr(place, places.legacy_commune)
                    stmt = stmt.join_from(
                        counted.resource.model,
                        place,
                        getattr(place, places.owner) == places.entry_owner,
                    ).where(in_area(area, commune, old), readable(principal, commune))
                else:
                    rule = counted.resource.area
                    assert isinstance(rule, InCommune), f"{counted.resource.entity}: places?"
                    commune, old = rule.commune, rule.legacy_commune
                keys.append(old if legacy else commune)
            stmt = stmt.add_columns(*keys, func.sum(counted.column("amount_vnd"))).group_by(*keys)
            for row in (await session.execute(stmt)).all():
                _add(found, row, (row[3], geography) if by_place else None)
        return found

    # -- the report -------------------------------------------------------------------

    def part(self) -> Part:
        """The report as a part of a period report's snapshot (kit.periods): the period's
        year as of its last day."""

        async def read(
            session: AsyncSession, principal: Principal, area: Area, last_day: dt.date
        ) -> DisbursementReport:
            return await self.report(session, principal, area, last_day.year, last_day)

        return Part(DisbursementReport, read)

    async def report(
        self,
        session: AsyncSession,
        principal: Principal,
        area: Area,
        year: int | None = None,
        as_of: dt.date | None = None,
        *,
        by_commune: bool = False,
    ) -> DisbursementReport:
        chosen, day = report_day(year, as_of)
        planned = await self._planned(session, principal, area, chosen, day, False)
        disbursed = await self._disbursed(session, principal, area, chosen, day, False)
        total_planned, total_disbursed = sum(planned.values()), sum(disbursed.values())
        if by_commune:
            planned = await self._planned(session, principal, area, chosen, day, True)
            disbursed = await self._disbursed(session, principal, area, chosen, day, True)
        rows: list[Any] = []
        for key, place in sorted({*planned, *disbursed}, key=_row_order):
            values = figures(planned.get((key, place), 0), disbursed.get((key, place), 0))
            row = {"project_code": key[0], "capital_type": key[1], "source": key[2]}
            if place is not None:
                row |= {"code": place[0], "name": area_of(place[0], place[1]).name}
            rows.append(DisbursementRow(**row, **values.model_dump()))
        return DisbursementReport(
            area=AreaRef(code=area.code, name=area.name),
            year=chosen,
            as_of=day,
            rows=rows,
            totals=figures(total_planned, total_disbursed),
        )


def _row_order(item: tuple[Key, Place | None]) -> tuple[Any, ...]:
    (project, capital, source), place = item
    return (*(place or ("", "")), _ORDER.get(project, len(_ORDER)), project, capital, source)
