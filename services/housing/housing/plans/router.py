"""/api/v1/housing/plans."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from housing.plans import repository as repo
from housing.plans import service
from housing.plans.repository import plans
from housing.plans.schemas import PlanCreate, PlanProgressRead, PlanRead, PlanUpdate
from housing.web import CHANGE, CREATE, READ
from mtqg_shared.areas import filter_area
from mtqg_shared.auth import Reader
from mtqg_shared.fields import AreaFilter, GeographyFilter
from mtqg_shared.kit import (
    Change,
    Listing,
    Page,
    ReadSession,
    Write,
    answer,
    created,
    record,
    saved,
)

router = APIRouter(prefix=plans.collection, tags=["plans"])


@router.post(
    "",
    status_code=201,
    response_model=PlanRead,
    summary="Make a plan with dated milestones",
    responses=CREATE,
)
async def create_plan(body: PlanCreate, ctx: Write) -> Response:
    plan, milestones = await service.create(ctx, body)
    read = service.present(plan, milestones)
    return await created(ctx, read, location=plans.location(plan.id))


@router.get("", response_model=Page[PlanRead], summary="List plans", responses=READ)
async def list_plans(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
) -> Response:
    area = filter_area(principal, area_code, geography)
    items, cursor = await repo.page(session, principal, area, listing)
    milestones = await repo.milestones_of(session, [p.id for p in items])
    reads = [service.present(p, milestones[p.id]) for p in items]
    return answer(Page[PlanRead](items=reads, next_cursor=cursor))


@router.get("/{plan_id}", response_model=PlanRead, summary="Read a plan", responses=READ)
async def read_plan(plan_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    plan = await plans.read(session, principal, plan_id)
    milestones = await repo.milestones_of(session, [plan.id])
    return record(service.present(plan, milestones[plan.id]), plan.version)


@router.patch(
    "/{plan_id}",
    response_model=PlanRead,
    summary="Edit a plan (If-Match required)",
    responses=CHANGE,
)
async def update_plan(plan_id: uuid.UUID, body: PlanUpdate, ctx: Change) -> Response:
    plan, milestones = await service.update(ctx, plan_id, body)
    return await saved(ctx, service.present(plan, milestones), version=plan.version)


@router.get(
    "/{plan_id}/progress",
    response_model=PlanProgressRead,
    summary="A plan's progress against its milestones",
    responses=READ,
)
async def plan_progress(plan_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    return answer(await service.progress(session, principal, plan_id))
