"""The overview: zones by crop, projects and their money, facilities, OCOP."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.rules import check_not_future
from mtqg_shared.schemas import AreaRef
from mtqg_shared.types import today_vn
from production.domain import overview as arithmetic
from production.reports import repository as sql
from production.reports.schemas import (
    CropLand,
    FacilityFigures,
    OcopFigures,
    Overview,
    ProjectFigures,
)


async def overview(
    session: AsyncSession,
    principal: Principal,
    area: Area,
    year: int | None,
    as_of: dt.date | None = None,
) -> Overview:
    """With `year`: that year's zones and disbursements. Without: the latest year with zones
    in the area, and every disbursement. `disbursed_by_year` always has every year. With
    `as_of` (a period report's last day; its year is the year): what stood on that day, the
    projects approved, the money disbursed, the facilities and products made by then."""
    if as_of is not None:
        check_not_future(as_of, today_vn(), "query.as_of")
        if year is None:
            year = as_of.year
        # A year that ended before `as_of` is read as of its end.
        as_of = min(as_of, dt.date(year, 12, 31))
    zones_year = year if year is not None else await sql.zone_year(session, principal, area)
    crops = (
        await sql.zones_by_crop(session, principal, area, zones_year)
        if zones_year is not None
        else []
    )
    count, cost, support = await sql.project_totals(session, principal, area, as_of)
    by_year = arithmetic.disbursed_by_year(
        await sql.disbursed_by_year(session, principal, area, as_of)
    )
    facilities, jobs = await sql.facility_totals(session, principal, area, as_of)
    ocop_count, by_stars, expiring = await sql.ocop_totals(
        session, principal, area, as_of or today_vn()
    )
    return Overview(
        area=AreaRef(code=area.code, name=area.name),
        year=year,
        zones_year=zones_year,
        zones_by_crop={
            crop: CropLand(**land) for crop, land in arithmetic.zones_by_crop(crops).items()
        },
        projects=ProjectFigures(
            count=count,
            total_cost_vnd=cost,
            state_support_vnd=support,
            disbursed_vnd=arithmetic.disbursed_in(by_year, year),
            disbursed_by_year=by_year,
        ),
        facilities=FacilityFigures(count=facilities, jobs=jobs),
        ocop=OcopFigures(
            count=ocop_count,
            by_stars=arithmetic.by_stars(by_stars),
            expiring_within_90_days=expiring,
        ),
    )
