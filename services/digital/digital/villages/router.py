"""/api/v1/digital/smart-villages and their status steps."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from digital.domain.vocabulary import VillageStatus
from digital.villages import repository as repo
from digital.villages import service
from digital.villages.repository import villages
from digital.villages.schemas import (
    TransitionCreate,
    TransitionRead,
    VillageCreate,
    VillageRead,
    VillageUpdate,
)
from digital.web import CHANGE, CREATE, READ, STEP
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

router = APIRouter(prefix=villages.collection, tags=["smart villages"])


@router.post(
    "",
    status_code=201,
    response_model=VillageRead,
    responses=CREATE,
    summary="Record a village building the smart-village model",
)
async def create_village(body: VillageCreate, ctx: Write) -> Response:
    village = await service.create(ctx, body)
    return await created(ctx, service.present(village), location=villages.location(village.id))


@router.get("", response_model=Page[VillageRead], responses=READ, summary="List smart villages")
async def list_villages(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    status: Annotated[VillageStatus | None, Query()] = None,
) -> Response:
    page = await service.page(
        session, principal, listing, area_code=area_code, geography=geography, status=status
    )
    return answer(page)


@router.get(
    "/{village_id}", response_model=VillageRead, responses=READ, summary="Read a smart village"
)
async def read_village(village_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await service.read(session, principal, village_id)
    return record(service.present_row(row), row.version)


@router.patch(
    "/{village_id}",
    response_model=VillageRead,
    responses=CHANGE,
    summary="Change or move a smart village",
)
async def update_village(village_id: uuid.UUID, body: VillageUpdate, ctx: Change) -> Response:
    village = await service.update(ctx, village_id, body)
    return await saved(ctx, service.present(village), version=village.version)


@router.post(
    "/{village_id}/transitions",
    status_code=201,
    response_model=TransitionRead,
    responses=STEP,
    summary="Move a smart village along its path (recognition: approvers)",
)
async def move_village(village_id: uuid.UUID, body: TransitionCreate, ctx: Write) -> Response:
    step = await service.move(ctx, village_id, body)
    location = f"{villages.location(village_id)}/transitions/{step.id}"
    return await created(ctx, service.present_step(step), location=location)


@router.get(
    "/{village_id}/transitions",
    response_model=Page[TransitionRead],
    responses=READ,
    summary="List a smart village's status steps",
)
async def list_transitions(
    village_id: uuid.UUID, principal: Reader, session: ReadSession, listing: Listing
) -> Response:
    village = await villages.read(session, principal, village_id)
    items, cursor = await repo.steps_page(session, village, listing)
    items_read = [service.present_step(s) for s in items]
    return answer(Page[TransitionRead](items=items_read, next_cursor=cursor))


@router.get(
    "/{village_id}/transitions/{transition_id}",
    response_model=TransitionRead,
    responses=READ,
    summary="Read one status step of a smart village",
)
async def read_transition(
    village_id: uuid.UUID, transition_id: uuid.UUID, principal: Reader, session: ReadSession
) -> Response:
    village = await villages.read(session, principal, village_id)
    step = await repo.step(session, village, transition_id)
    return record(service.present_step(step), step.version)
