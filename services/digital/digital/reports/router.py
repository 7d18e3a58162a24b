"""/api/v1/digital/reports/overview"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from digital.reports import service
from digital.reports.schemas import Overview
from digital.web import PREFIX, READ
from mtqg_shared.admin_units import NEW_PROVINCE_CODE
from mtqg_shared.areas import resolve_filter_area
from mtqg_shared.auth import Reader
from mtqg_shared.fields import Day
from mtqg_shared.kit import ReadSession, answer
from mtqg_shared.schemas import AreaCode, Geography

router = APIRouter(prefix=f"{PREFIX}/reports", tags=["reports"])


@router.get(
    "/overview",
    response_model=Overview,
    responses=READ,
    summary="Digital infrastructure, government, society, economy and spending of an area",
)
async def read_overview(
    principal: Reader,
    session: ReadSession,
    area_code: Annotated[
        AreaCode,
        Query(description=f"{NEW_PROVINCE_CODE}, 10, a legacy district or a commune."),
    ] = NEW_PROVINCE_CODE,
    geography: Annotated[Geography | None, Query()] = None,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    as_of: Annotated[
        Day | None, Query(description="The day the figures stand on (default today).")
    ] = None,
) -> Response:
    area = resolve_filter_area(principal, area_code, geography)
    return answer(await service.overview(session, principal, area, year, as_of))
