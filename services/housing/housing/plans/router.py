"""/api/v1/housing/plans."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from housing.plans import service
from housing.plans.schemas import PlanCreate, PlanPage, PlanProgressRead, PlanRead, PlanUpdate
from housing.web import PREFIX
from mtqg_shared.areas import filter_area
from mtqg_shared.auth import Reader, Writer
from mtqg_shared.db import ReadSession
from mtqg_shared.fields import AreaFilter, GeographyFilter, IdempotencyKey, IfMatch
from mtqg_shared.openapi import problems
from mtqg_shared.pagination import Listing
from mtqg_shared.writes import Write

router = APIRouter(prefix=f"{PREFIX}/plans", tags=["plans"])


@router.post(
    "",
    status_code=201,
    response_model=PlanRead,
    summary="Make a plan with dated milestones",
    responses=problems(403, 409),
)
async def create_plan(
    body: PlanCreate, principal: Writer, ctx: Write, _key: IdempotencyKey = None
) -> Response:
    return await service.create(ctx, principal, body)


@router.get("", response_model=PlanPage, summary="List plans", responses=problems(403, 404))
async def list_plans(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
) -> PlanPage:
    area = filter_area(principal, area_code, geography)
    items, cursor = await service.page(session, principal, area, listing)
    return PlanPage(items=items, next_cursor=cursor)


@router.get(
    "/{plan_id}", response_model=PlanRead, summary="Read a plan", responses=problems(403, 404)
)
async def read_plan(
    plan_id: uuid.UUID, principal: Reader, session: ReadSession, response: Response
) -> PlanRead:
    plan, _ = await service.readable_plan(session, principal, plan_id)
    milestones = await service.milestones_of(session, [plan.id])
    response.headers["ETag"] = f'"{plan.version}"'
    return service.to_read(plan, milestones[plan.id])


@router.patch(
    "/{plan_id}",
    response_model=PlanRead,
    summary="Edit a plan (If-Match required)",
    responses=problems(403, 404, 412, 428),
)
async def update_plan(
    plan_id: uuid.UUID,
    body: PlanUpdate,
    request: Request,
    principal: Writer,
    ctx: Write,
    _if_match: IfMatch = None,
) -> Response:
    return await service.update(ctx, principal, request, plan_id, body)


@router.get(
    "/{plan_id}/progress",
    response_model=PlanProgressRead,
    summary="A plan's progress against its milestones",
    responses=problems(403, 404),
)
async def plan_progress(
    plan_id: uuid.UUID, principal: Reader, session: ReadSession
) -> PlanProgressRead:
    return await service.progress(session, principal, plan_id)
