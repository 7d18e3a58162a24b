"""`/api/v1/labour/workers`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from labour.common import CHANGE, CREATE, PREFIX, READ, SearchText, area_filter
from labour.models import Worker
from labour.workers.repository import name_contains, read_with_total, readable_worker, with_total
from labour.workers.schemas import (
    HouseholdPoverty,
    NationalId,
    WorkerCreate,
    WorkerRead,
    WorkerUpdate,
)
from labour.workers.service import create_worker, present, update_worker
from mtqg_shared.auth import Reader, Writer
from mtqg_shared.fields import AreaFilter, GeographyFilter, HouseholdCode, IdempotencyKey, IfMatch
from mtqg_shared.openapi import problems
from mtqg_shared.pagination import Listing, Page, keyset, page_of
from mtqg_shared.writes import Write, etag

router = APIRouter(prefix=f"{PREFIX}/workers", tags=["workers"])


@router.post(
    "",
    status_code=201,
    response_model=WorkerRead,
    responses=CREATE,
    summary="Register a worker",
)
async def create(
    _: Writer, body: WorkerCreate, ctx: Write, _key: IdempotencyKey = None
) -> Response:
    worker = await create_worker(ctx, body)
    read = present(worker, 0, ctx.principal)
    return await ctx.commit(
        read,
        status=201,
        headers=etag(worker.version) | {"Location": f"{PREFIX}/workers/{worker.id}"},
    )


@router.get("", response_model=Page[WorkerRead], responses=problems(404), summary="List workers")
async def list_workers(
    request: Request,
    principal: Reader,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    household_code: Annotated[HouseholdCode | None, Query()] = None,
    national_id: Annotated[NationalId | None, Query(description="Exact, 12 digits.")] = None,
    household_poverty: Annotated[HouseholdPoverty | None, Query()] = None,
    q: Annotated[SearchText | None, Query(description="Part of the full name, any case.")] = None,
) -> Page[WorkerRead]:
    condition, _area = area_filter(
        principal, area_code, geography, Worker.commune_code, Worker.legacy_commune_code
    )
    stmt = with_total().where(condition)
    if household_code is not None:
        stmt = stmt.where(Worker.household_code == household_code)
    if national_id is not None:
        stmt = stmt.where(Worker.national_id == national_id)
    if household_poverty is not None:
        stmt = stmt.where(Worker.household_poverty == household_poverty)
    if q is not None:
        stmt = stmt.where(name_contains(q))
    stmt = keyset(stmt, listing, Worker.created_at, Worker.updated_at, Worker.id)
    db = request.app.state.db
    async with db.session(write=False) as session:
        rows = (await session.execute(stmt)).all()
    totals: dict[uuid.UUID, int] = {row[0].id: int(row[1]) for row in rows}
    workers, cursor = page_of([row[0] for row in rows], listing)
    return Page[WorkerRead](
        items=[present(w, totals[w.id], principal) for w in workers], next_cursor=cursor
    )


@router.get("/{worker_id}", response_model=WorkerRead, responses=READ, summary="Read a worker")
async def read(
    request: Request, response: Response, worker_id: uuid.UUID, principal: Reader
) -> WorkerRead:
    async with request.app.state.db.session(write=False) as session:
        worker, total = await read_with_total(session, principal, worker_id)
    response.headers.update(etag(worker.version))
    return present(worker, total, principal)


@router.patch(
    "/{worker_id}", response_model=WorkerRead, responses=CHANGE, summary="Change a worker"
)
async def update(
    request: Request,
    _writer: Writer,
    worker_id: uuid.UUID,
    body: WorkerUpdate,
    ctx: Write,
    _if_match: IfMatch = None,
) -> Response:
    worker = await readable_worker(ctx.session, ctx.principal, worker_id)
    worker = await update_worker(ctx, request, worker, body)
    await ctx.session.flush()
    _worker, total = await read_with_total(ctx.session, ctx.principal, worker.id)
    read = present(worker, total, ctx.principal)
    return await ctx.commit(read, headers=etag(worker.version))
