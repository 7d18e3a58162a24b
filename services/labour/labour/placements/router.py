"""`/api/v1/labour/placements` and their status steps."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from labour.common import CHANGE, CREATE, READ, STEP, answer_from, page_from
from labour.domain.status import PlacementStatus
from labour.placements import repository as repo
from labour.placements import service
from labour.placements.repository import placements, steps
from labour.placements.schemas import (
    Country,
    PlacementCreate,
    PlacementRead,
    PlacementUpdate,
    Scheme,
    TransitionCreate,
    TransitionRead,
)
from mtqg_shared.areas import filter_area
from mtqg_shared.auth import Reader
from mtqg_shared.fields import AreaFilter, GeographyFilter, HouseholdCode
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

PlacementPage = Page[PlacementRead]
StepPage = Page[TransitionRead]

router = APIRouter(prefix=placements.collection, tags=["placements"])


def step_location(placement_id: uuid.UUID, step_id: uuid.UUID) -> str:
    return f"{placements.location(placement_id)}/transitions/{step_id}"


@router.post(
    "",
    status_code=201,
    response_model=PlacementRead,
    responses=CREATE,
    summary="Register a worker's placement abroad",
)
async def create(body: PlacementCreate, ctx: Write) -> Response:
    placement = await service.create(ctx, body)
    read = service.present(placement, 0)
    return await created(ctx, read, location=placements.location(placement.id))


@router.get("", response_model=Page[PlacementRead], responses=READ, summary="List placements")
async def list_placements(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    status: Annotated[PlacementStatus | None, Query()] = None,
    destination_country: Annotated[Country | None, Query()] = None,
    scheme: Annotated[Scheme | None, Query()] = None,
    worker_id: Annotated[uuid.UUID | None, Query()] = None,
    partner_id: Annotated[uuid.UUID | None, Query()] = None,
    household_code: Annotated[HouseholdCode | None, Query()] = None,
) -> Response:
    items, cursor = await repo.page(
        session,
        principal,
        listing,
        area=filter_area(principal, area_code, geography),
        status=None if status is None else status.value,
        destination_country=None if destination_country is None else destination_country.upper(),
        scheme=scheme,
        worker_id=worker_id,
        partner_id=partner_id,
        household_code=household_code,
    )
    return answer(page_from(PlacementPage, items, cursor))


@router.get(
    "/{placement_id}", response_model=PlacementRead, responses=READ, summary="Read a placement"
)
async def read(placement_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await repo.read(session, principal, placement_id)
    return record(answer_from(PlacementRead, row), row.version)


@router.patch(
    "/{placement_id}",
    response_model=PlacementRead,
    responses=CHANGE,
    summary="Change a placement (If-Match required)",
)
async def update(placement_id: uuid.UUID, body: PlacementUpdate, ctx: Change) -> Response:
    placement = await service.update(ctx, placement_id, body)
    total = await repo.total_of(ctx.session, placement.id)
    return await saved(ctx, service.present(placement, total), version=placement.version)


@router.post(
    "/{placement_id}/transitions",
    status_code=201,
    response_model=TransitionRead,
    responses=STEP,
    summary="Move a placement along its status path",
)
async def move(placement_id: uuid.UUID, body: TransitionCreate, ctx: Write) -> Response:
    step = await service.move(ctx, placement_id, body)
    return await created(
        ctx, service.present_step(step), location=step_location(placement_id, step.id)
    )


@router.get(
    "/{placement_id}/transitions",
    response_model=Page[TransitionRead],
    responses=READ,
    summary="List a placement's status steps",
)
async def list_transitions(
    placement_id: uuid.UUID, principal: Reader, session: ReadSession, listing: Listing
) -> Response:
    await repo.require_readable(session, principal, placement_id)
    items, cursor = await repo.steps_page(session, placement_id, listing)
    return answer(page_from(StepPage, items, cursor))


@router.get(
    "/{placement_id}/transitions/{transition_id}",
    response_model=TransitionRead,
    responses=READ,
    summary="Read one status step of a placement",
)
async def read_transition(
    placement_id: uuid.UUID, transition_id: uuid.UUID, principal: Reader, session: ReadSession
) -> Response:
    await repo.require_readable(session, principal, placement_id)
    row = await repo.step(session, placement_id, transition_id)
    if row is None:
        raise steps.not_found()
    return record(answer_from(TransitionRead, row), row.version)
