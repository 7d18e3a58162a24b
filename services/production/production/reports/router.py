"""/api/v1/production/reports/overview"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from mtqg_shared.admin_units import NEW_PROVINCE_CODE
from mtqg_shared.areas import resolve_filter_area
from mtqg_shared.auth import Reader
from mtqg_shared.kit import ReadSession, answer
from mtqg_shared.schemas import AreaCode, Geography
from production.reports import service
from production.reports.schemas import Overview
from production.web import PREFIX, READ

router = APIRouter(prefix=f"{PREFIX}/reports", tags=["reports"])


@router.get(
    "/overview",
    response_model=Overview,
    responses=READ,
    summary="Zones, projects, facilities and OCOP of an area",
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
) -> Response:
    area = resolve_filter_area(principal, area_code, geography)
    return answer(await service.overview(session, principal, area, year))
