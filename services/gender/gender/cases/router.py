"""/api/v1/gender/cases and their status steps: only `protection` holders, every read
logged."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from gender.cases import repository as repo
from gender.cases import service
from gender.cases.repository import cases, protected
from gender.cases.schemas import CaseCreate, CaseRead, CaseUpdate, TransitionCreate, TransitionRead
from gender.cases.status import CaseKind, CaseStatus
from gender.web import CHANGE, CREATE, READ, STEP
from mtqg_shared.areas import filter_area
from mtqg_shared.fields import AreaFilter, GeographyFilter
from mtqg_shared.kit import Change, Listing, LoggedRead, Page, Write, created, saved

router = APIRouter(prefix=cases.collection, tags=["cases"])
HOLDERS = [Depends(protected.holders())]


def step_location(case_id: uuid.UUID, step_id: uuid.UUID) -> str:
    return f"{cases.location(case_id)}/transitions/{step_id}"


@router.post(
    "",
    status_code=201,
    response_model=CaseRead,
    responses=CREATE,
    dependencies=HOLDERS,
    summary="Record a protection case",
)
async def create_case(body: CaseCreate, ctx: Write) -> Response:
    case = await service.create(ctx, body)
    return await created(ctx, service.present(case), location=cases.location(case.id))


@router.get(
    "",
    response_model=Page[CaseRead],
    responses=READ,
    dependencies=HOLDERS,
    summary="List protection cases",
)
async def list_cases(
    ctx: LoggedRead,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    kind: Annotated[CaseKind | None, Query()] = None,
    status: Annotated[CaseStatus | None, Query()] = None,
) -> Response:
    area = filter_area(ctx.principal, area_code, geography)
    items, cursor = await repo.page(
        ctx.session,
        ctx.principal,
        listing,
        area=area,
        kind=None if kind is None else kind.value,
        status=None if status is None else status.value,
    )
    page = Page[CaseRead](items=[service.present(c) for c in items], next_cursor=cursor)
    return await ctx.page(cases, page, items)


@router.get("/{case_id}", response_model=CaseRead, responses=READ, summary="Read a protection case")
async def read_case(case_id: uuid.UUID, ctx: LoggedRead) -> Response:
    case = await cases.read(ctx.session, ctx.principal, case_id)
    return await ctx.record(cases, service.present(case), case, version=case.version)


@router.patch(
    "/{case_id}",
    response_model=CaseRead,
    responses=CHANGE,
    summary="Change or move a protection case (If-Match required)",
)
async def update_case(case_id: uuid.UUID, body: CaseUpdate, ctx: Change) -> Response:
    case = await service.update(ctx, case_id, body)
    return await saved(ctx, service.present(case), version=case.version)


@router.post(
    "/{case_id}/transitions",
    status_code=201,
    response_model=TransitionRead,
    responses=STEP,
    summary="Move a protection case along its status path",
)
async def move_case(case_id: uuid.UUID, body: TransitionCreate, ctx: Write) -> Response:
    step = await service.move(ctx, case_id, body)
    return await created(ctx, service.present_step(step), location=step_location(case_id, step.id))


@router.get(
    "/{case_id}/transitions",
    response_model=Page[TransitionRead],
    responses=READ,
    summary="List a protection case's status steps",
)
async def list_transitions(case_id: uuid.UUID, ctx: LoggedRead, listing: Listing) -> Response:
    case = await cases.read(ctx.session, ctx.principal, case_id)
    items, cursor = await repo.steps_page(ctx.session, case, listing)
    page = Page[TransitionRead](items=[service.present_step(s) for s in items], next_cursor=cursor)
    return await ctx.page(cases, page, [case], action="transitions")


@router.get(
    "/{case_id}/transitions/{transition_id}",
    response_model=TransitionRead,
    responses=READ,
    summary="Read one status step of a protection case",
)
async def read_transition(
    case_id: uuid.UUID, transition_id: uuid.UUID, ctx: LoggedRead
) -> Response:
    step = await repo.step(ctx.session, ctx.principal, case_id, transition_id)
    body = service.present_step(step)
    return await ctx.record(cases, body, step.case, version=step.version, action="transition")
