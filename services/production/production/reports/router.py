"""/api/v1/production/reports/overview"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from mtqg_shared.admin_units import NEW_PROVINCE_CODE
from mtqg_shared.areas import resolve_filter_area
from mtqg_shared.auth import Reader
from mtqg_shared.schemas import AreaCode, Geography
from production.reports import service
from production.reports.schemas import Overview
from production.web import LIST

router = APIRouter(prefix="/api/v1/production/reports", tags=["reports"])


@router.get(
    "/overview",
    response_model=Overview,
    responses=LIST,
    summary="Zones, projects, facilities and OCOP of an area",
)
async def read_overview(
    request: Request,
    principal: Reader,
    area_code: Annotated[
        AreaCode, Query(description="15, 10, a legacy district or a commune.")
    ] = NEW_PROVINCE_CODE,
    geography: Annotated[Geography | None, Query()] = None,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
) -> Overview:
    area = resolve_filter_area(principal, area_code, geography)
    async with request.app.state.db.session(write=False) as session:
        return await service.overview(session, principal, area, year)
