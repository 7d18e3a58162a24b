"""The routes of a service's programme money (API.md section 11): its capital plans (record or
reverse, list, read) and its disbursement report."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from mtqg_shared.admin_units import NEW_PROVINCE_CODE
from mtqg_shared.areas import filter_area, resolve_filter_area
from mtqg_shared.auth import Reader
from mtqg_shared.db import ReadSession
from mtqg_shared.fields import AreaFilter, Day, GeographyFilter
from mtqg_shared.kit.capital import (
    FIRST_YEAR,
    LAST_YEAR,
    PLAN_SOURCE_WORDS,
    CapitalPlanCreate,
    CapitalPlanRead,
    PlanFilters,
    PlanSource,
)
from mtqg_shared.kit.disbursement import Disbursement, DisbursementReport
from mtqg_shared.kit.http import CREATE, READ, answer, created, record
from mtqg_shared.kit.money import ProjectCode
from mtqg_shared.kit.vocabulary import terms
from mtqg_shared.pagination import Listing, Page
from mtqg_shared.schemas import AreaCode, Geography
from mtqg_shared.writes import Write


class DisbursementGrouping(StrEnum):
    commune = "commune"


# What create_service_app adds to the service's tags and vocabulary.
MONEY_TAGS = {
    "capital plans": (
        "Capital allocated by decision to the service's projects, by area, year, capital type "
        "and budget; cuts are negative, mistakes reversed."
    ),
}
MONEY_TERMS = (
    terms(PlanSource, PLAN_SOURCE_WORDS),
    terms(DisbursementGrouping, {"commune": ("Theo xã, phường", "By commune")}),
)

PlanPage = Page[CapitalPlanRead]
YearQuery = Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)]


def money_router(report: Disbursement) -> APIRouter:
    """`/capital-plans` and `/reports/disbursement` of the service whose plans and money
    `report` counts."""
    book = report.plans
    prefix = book.resource.collection.removesuffix("/capital-plans")
    router = APIRouter(prefix=prefix)

    async def record_plan(body: CapitalPlanCreate, ctx: Write) -> Response:
        plan = await book.record(ctx, body)
        location = book.resource.location(plan.id)
        return await created(ctx, book.present(plan, None), location=location)

    async def list_plans(
        principal: Reader,
        session: ReadSession,
        listing: Listing,
        year: YearQuery = None,
        project_code: Annotated[ProjectCode | None, Query()] = None,
        source: Annotated[PlanSource | None, Query()] = None,
        area_code: AreaFilter = None,
        geography: GeographyFilter = None,
    ) -> Response:
        area = filter_area(principal, area_code, geography)
        filters = PlanFilters(
            year=year,
            project_code=project_code,
            source=source.value if source is not None else None,
            area=area,
        )
        items, cursor = await book.page(session, principal, listing, filters)
        return answer(PlanPage(items=items, next_cursor=cursor))

    async def read_plan(plan_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
        plan, version = await book.read(session, principal, plan_id)
        return record(plan, version)

    async def read_disbursement(
        principal: Reader,
        session: ReadSession,
        area_code: Annotated[
            AreaCode,
            Query(description=f"{NEW_PROVINCE_CODE}, 10, a legacy district or a commune."),
        ] = NEW_PROVINCE_CODE,
        geography: Annotated[Geography | None, Query()] = None,
        year: YearQuery = None,
        as_of: Annotated[
            Day | None,
            Query(description="The day the figures stand on (default today, or the year's end)."),
        ] = None,
        group_by: Annotated[
            DisbursementGrouping | None,
            Query(description="`commune`: the rows of each commune."),
        ] = None,
    ) -> Response:
        area = resolve_filter_area(principal, area_code, geography)
        body = await report.report(
            session,
            principal,
            area,
            year,
            as_of,
            by_commune=group_by is DisbursementGrouping.commune,
        )
        return answer(body)

    plans = "/capital-plans"
    router.add_api_route(
        plans,
        record_plan,
        methods=["POST"],
        status_code=201,
        response_model=CapitalPlanRead,
        responses=CREATE,
        tags=["capital plans"],
        summary="Record a capital plan (a cut is negative), or reverse one",
    )
    router.add_api_route(
        plans,
        list_plans,
        methods=["GET"],
        response_model=PlanPage,
        responses=READ,
        tags=["capital plans"],
        summary="List capital plans",
    )
    router.add_api_route(
        plans + "/{plan_id}",
        read_plan,
        methods=["GET"],
        response_model=CapitalPlanRead,
        responses=READ,
        tags=["capital plans"],
        summary="Read a capital plan",
    )
    router.add_api_route(
        "/reports/disbursement",
        read_disbursement,
        methods=["GET"],
        response_model=DisbursementReport,
        responses=READ,
        tags=["reports"],
        summary="Capital planned and disbursed by project, capital type and source",
    )
    return router
