"""`/api/v1/labour/reports`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from labour.common import PREFIX, Year
from labour.reports import service
from labour.reports.repository import Scope
from labour.reports.schemas import Overview, RemittanceGrouping, RemittanceTotals
from mtqg_shared.admin_units import NEW_PROVINCE_CODE
from mtqg_shared.areas import filter_area, resolve_filter_area
from mtqg_shared.auth import Principal, Reader
from mtqg_shared.fields import AreaFilter, Day, GeographyFilter
from mtqg_shared.kit import ReadSession, answer
from mtqg_shared.openapi import problems

router = APIRouter(prefix=f"{PREFIX}/reports", tags=["reports"])

YearFilter = Annotated[
    Year | None,
    Query(
        description="Departures, returns, remittances and events of that year; "
        "in_preparation and abroad as of its last day."
    ),
]


def scope_of(principal: Principal, area_code: str | None, geography: str | None) -> Scope:
    """The whole province by default; an area wholly outside the caller's areas is 404."""
    area = filter_area(principal, area_code, geography) or resolve_filter_area(
        principal, NEW_PROVINCE_CODE, None
    )
    return Scope(principal, area)


@router.get(
    "/overview",
    response_model=Overview,
    responses=problems(404),
    summary="Labour overview of an area, optionally for one year",
)
async def overview(
    principal: Reader,
    session: ReadSession,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    year: YearFilter = None,
    as_of: Annotated[
        Day | None, Query(description="The day the figures stand on (default today).")
    ] = None,
) -> Response:
    scope = scope_of(principal, area_code, geography)
    return answer(await service.overview(session, scope, year, as_of))


@router.get(
    "/remittances",
    response_model=RemittanceTotals,
    responses=problems(404),
    summary="Remittance totals of an area by commune, country, year or month",
)
async def remittances(
    principal: Reader,
    session: ReadSession,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    year: YearFilter = None,
    group_by: Annotated[RemittanceGrouping, Query()] = "commune",
) -> Response:
    scope = scope_of(principal, area_code, geography)
    return answer(await service.remittance_totals(session, scope, year, group_by))
