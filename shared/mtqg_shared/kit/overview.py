"""`GET <prefix>/reports/overview?area_code=&geography=&year=&as_of=`, the same query for
every service whose overview takes an area, a year and a day (gender, digital): the area
resolved against the caller's (404 wholly outside them), the report the service computes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import NEW_PROVINCE_CODE, Area
from mtqg_shared.areas import resolve_filter_area
from mtqg_shared.auth import Principal, Reader
from mtqg_shared.db import ReadSession
from mtqg_shared.fields import Day
from mtqg_shared.kit.http import READ, answer
from mtqg_shared.schemas import AreaCode, Geography

Compute = Callable[
    [AsyncSession, Principal, Area, int | None, dt.date | None], Awaitable[BaseModel]
]


def overview_router(
    prefix: str, model: type[BaseModel], summary: str, compute: Compute
) -> APIRouter:
    router = APIRouter(prefix=f"{prefix}/reports", tags=["reports"])

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
        return answer(await compute(session, principal, area, year, as_of))

    router.add_api_route(
        "/overview",
        read_overview,
        methods=["GET"],
        response_model=model,
        responses=READ,
        summary=summary,
    )
    return router
