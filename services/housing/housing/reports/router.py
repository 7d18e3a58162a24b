"""/api/v1/housing/reports/progress."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from fastapi.responses import Response

from housing.reports import service
from housing.reports.schemas import GroupBy, ProgressReport
from housing.web import PREFIX, READ
from mtqg_shared.admin_units import NEW_PROVINCE_CODE
from mtqg_shared.areas import filter_area, resolve_filter_area
from mtqg_shared.auth import Reader
from mtqg_shared.fields import AreaFilter, GeographyFilter
from mtqg_shared.kit import ReadSession, answer

router = APIRouter(prefix=f"{PREFIX}/reports", tags=["reports"])


@router.get(
    "/progress",
    response_model=ProgressReport,
    summary="Progress and money by commune or legacy unit, as of any date",
    responses=READ,
)
async def progress_report(
    principal: Reader,
    session: ReadSession,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    group_by: GroupBy = "commune",
    as_of: dt.date | None = None,
) -> Response:
    # Without area_code: the whole province, of which the caller sees what it may read.
    area = filter_area(principal, area_code, geography) or resolve_filter_area(
        principal, NEW_PROVINCE_CODE, None
    )
    return answer(await service.progress(session, principal, area, group_by, as_of))
