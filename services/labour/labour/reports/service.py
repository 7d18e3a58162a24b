"""The labour overview and remittance totals, for any area in either geography."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from labour.domain.overview import placement_figures, profile_summary
from labour.reports.repository import (
    Scope,
    grouping_key,
    outreach_totals,
    placement_rows,
    profile_totals,
    remittances_by,
)
from labour.reports.schemas import (
    Departures,
    OutreachTotals,
    Overview,
    ProfileTotals,
    RemittanceGrouping,
    RemittanceRow,
    RemittanceTotals,
)
from mtqg_shared.admin_units import GEO_NEW, admin_units
from mtqg_shared.rules import check_not_future
from mtqg_shared.schemas import AreaRef
from mtqg_shared.types import today_vn


async def overview(
    session: AsyncSession, scope: Scope, year: int | None, as_of: dt.date | None = None
) -> Overview:
    """With `as_of`: the figures of `year` (default the year of `as_of`) up to that day, as a
    period report freezes them; the commune profiles are the year's as they stand."""
    if as_of is not None:
        check_not_future(as_of, today_vn(), "query.as_of")
        if year is None:
            year = as_of.year
    placements = placement_figures(await placement_rows(session, scope, year, as_of))
    by_country = await remittances_by(session, scope, year, grouping_key("country"), as_of)
    events, participants = await outreach_totals(session, scope, year, as_of)
    profile = await profile_totals(session, scope, year)
    summary = None if profile is None else profile_summary(profile)
    return Overview(
        area=AreaRef(code=scope.area.code, name=scope.area.name),
        year=year,
        departures=Departures(total=placements.departures, by_country=placements.by_country),
        in_preparation=placements.in_preparation,
        abroad=placements.abroad,
        returned=placements.returned,
        remittances_vnd=sum(by_country.values()),
        remittances_by_country=dict(sorted(by_country.items())),
        avg_monthly_salary_vnd=placements.avg_monthly_salary_vnd,
        departures_from_poor_or_near_poor=placements.departures_from_poor_or_near_poor,
        outreach=OutreachTotals(events=events, participants=participants),
        profile=None
        if summary is None
        else ProfileTotals(
            working_age=summary.working_age,
            employed_elsewhere_rate=summary.employed_elsewhere_rate,
            poor_rate=summary.poor_rate,
            near_poor_rate=summary.near_poor_rate,
        ),
    )


def _name(group_by: RemittanceGrouping, key: str) -> str | None:
    if group_by != "commune":
        return None
    unit = admin_units().get(key, GEO_NEW)
    return None if unit is None else unit.name


async def remittance_totals(
    session: AsyncSession, scope: Scope, year: int | None, group_by: RemittanceGrouping
) -> RemittanceTotals:
    sums = await remittances_by(session, scope, year, grouping_key(group_by))
    rows = [
        RemittanceRow(key=key, name=_name(group_by, key), amount_vnd=amount)
        for key, amount in sorted(sums.items())
    ]
    return RemittanceTotals(
        area=AreaRef(code=scope.area.code, name=scope.area.name),
        year=year,
        group_by=group_by,
        total_vnd=sum(sums.values()),
        rows=rows,
    )
