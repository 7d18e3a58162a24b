"""`/api/v1/labour/workers`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from labour.common import CHANGE, CREATE, READ, SearchText
from labour.workers import repository as repo
from labour.workers.repository import workers
from labour.workers.schemas import (
    HouseholdPoverty,
    NationalId,
    WorkerCreate,
    WorkerRead,
    WorkerUpdate,
)
from labour.workers.service import (
    create_worker,
    present,
    present_page,
    present_row,
    update_worker,
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

router = APIRouter(prefix=workers.collection, tags=["workers"])


@router.post(
    "", status_code=201, response_model=WorkerRead, responses=CREATE, summary="Register a worker"
)
async def create(body: WorkerCreate, ctx: Write) -> Response:
    worker = await create_worker(ctx, body)
    read = present(worker, ctx.principal, 0)
    return await created(ctx, read, location=workers.location(worker.id))


@router.get("", response_model=Page[WorkerRead], responses=READ, summary="List workers")
async def list_workers(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    household_code: Annotated[HouseholdCode | None, Query()] = None,
    national_id: Annotated[NationalId | None, Query(description="Exact, 12 digits.")] = None,
    household_poverty: Annotated[HouseholdPoverty | None, Query()] = None,
    q: Annotated[SearchText | None, Query(description="Part of the full name, any case.")] = None,
) -> Response:
    items, cursor = await repo.page(
        session,
        principal,
        listing,
        area=filter_area(principal, area_code, geography),
        household_code=household_code,
        national_id=national_id,
        household_poverty=household_poverty,
        q=q,
    )
    return answer(present_page(items, cursor, principal))


@router.get("/{worker_id}", response_model=WorkerRead, responses=READ, summary="Read a worker")
async def read(worker_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await repo.read(session, principal, worker_id)
    return record(present_row(row, principal), row.version)


@router.patch(
    "/{worker_id}", response_model=WorkerRead, responses=CHANGE, summary="Change a worker"
)
async def update(worker_id: uuid.UUID, body: WorkerUpdate, ctx: Change) -> Response:
    worker = await update_worker(ctx, worker_id, body)
    total = await repo.total_of(ctx.session, worker.id)
    return await saved(ctx, present(worker, ctx.principal, total), version=worker.version)
