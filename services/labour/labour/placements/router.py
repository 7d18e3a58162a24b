"""`/api/v1/labour/placements` and their status steps."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select

from labour.common import CHANGE, CREATE, PREFIX, READ, STEP, area_filter
from labour.domain.status import PlacementStatus
from labour.models import Placement, PlacementStep, Worker
from labour.placements import repository as repo
from labour.placements import service
from labour.placements.schemas import (
    Country,
    PlacementCreate,
    PlacementPage,
    PlacementRead,
    PlacementUpdate,
    Scheme,
    TransitionCreate,
    TransitionPage,
    TransitionRead,
)
from mtqg_shared.auth import Reader, Writer
from mtqg_shared.fields import AreaFilter, GeographyFilter, HouseholdCode, IdempotencyKey, IfMatch
from mtqg_shared.openapi import problems
from mtqg_shared.pagination import Listing, keyset, page_of
from mtqg_shared.writes import Write, etag

router = APIRouter(prefix=f"{PREFIX}/placements", tags=["placements"])


@router.post(
    "",
    status_code=201,
    response_model=PlacementRead,
    responses=CREATE,
    summary="Register a worker's placement abroad",
)
async def create(
    _: Writer, body: PlacementCreate, ctx: Write, _key: IdempotencyKey = None
) -> Response:
    placement, worker = await service.create(ctx, body)
    read = service.to_read(service.row_of(placement, worker, 0))
    headers = etag(placement.version) | {"Location": f"{PREFIX}/placements/{placement.id}"}
    return await ctx.commit(read, status=201, headers=headers)


@router.get("", response_model=PlacementPage, responses=problems(404), summary="List placements")
async def list_placements(
    request: Request,
    principal: Reader,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    status: Annotated[PlacementStatus | None, Query()] = None,
    destination_country: Annotated[Country | None, Query()] = None,
    scheme: Annotated[Scheme | None, Query()] = None,
    worker_id: Annotated[uuid.UUID | None, Query()] = None,
    partner_id: Annotated[uuid.UUID | None, Query()] = None,
    household_code: Annotated[HouseholdCode | None, Query()] = None,
) -> PlacementPage:
    condition, _area = area_filter(
        principal, area_code, geography, Worker.commune_code, Worker.legacy_commune_code
    )
    stmt = repo.rows_stmt().where(condition)
    if status is not None:
        stmt = stmt.where(Placement.status == status.value)
    if destination_country is not None:
        stmt = stmt.where(Placement.destination_country == destination_country.upper())
    if scheme is not None:
        stmt = stmt.where(Placement.scheme == scheme)
    if worker_id is not None:
        stmt = stmt.where(Placement.worker_id == worker_id)
    if partner_id is not None:
        stmt = stmt.where(Placement.partner_id == partner_id)
    if household_code is not None:
        stmt = stmt.where(Worker.household_code == household_code)
    stmt = keyset(stmt, listing, Placement.created_at, Placement.updated_at, Placement.id)
    async with request.app.state.db.session(write=False) as session:
        rows = [repo.to_row(r) for r in (await session.execute(stmt)).all()]
    items, cursor = page_of(rows, listing)
    return PlacementPage(items=[service.to_read(r) for r in items], next_cursor=cursor)


@router.get(
    "/{placement_id}", response_model=PlacementRead, responses=READ, summary="Read a placement"
)
async def read(
    request: Request, response: Response, placement_id: uuid.UUID, principal: Reader
) -> PlacementRead:
    async with request.app.state.db.session(write=False) as session:
        row = await repo.readable_row(session, principal, placement_id)
    response.headers.update(etag(row.placement.version))
    return service.to_read(row)


@router.patch(
    "/{placement_id}",
    response_model=PlacementRead,
    responses=CHANGE,
    summary="Change a placement (If-Match required)",
)
async def update(
    request: Request,
    _: Writer,
    placement_id: uuid.UUID,
    body: PlacementUpdate,
    ctx: Write,
    _if_match: IfMatch = None,
) -> Response:
    placement, worker = await repo.placement_and_worker(ctx.session, ctx.principal, placement_id)
    await service.update(ctx, request, placement, worker, body)
    row = await repo.readable_row(ctx.session, ctx.principal, placement_id)
    return await ctx.commit(service.to_read(row), headers=etag(row.placement.version))


@router.post(
    "/{placement_id}/transitions",
    status_code=201,
    response_model=TransitionRead,
    responses=STEP,
    summary="Move a placement along its status path",
)
async def move(
    _: Writer,
    placement_id: uuid.UUID,
    body: TransitionCreate,
    ctx: Write,
    _key: IdempotencyKey = None,
) -> Response:
    placement, worker = await repo.placement_and_worker(ctx.session, ctx.principal, placement_id)
    step = await service.move(ctx, placement, worker, body)
    return await ctx.commit(service.transition_read(step), status=201)


@router.get(
    "/{placement_id}/transitions",
    response_model=TransitionPage,
    responses=READ,
    summary="List a placement's status steps",
)
async def list_transitions(
    request: Request, placement_id: uuid.UUID, principal: Reader, listing: Listing
) -> TransitionPage:
    stmt = select(PlacementStep).where(PlacementStep.placement_id == placement_id)
    stmt = keyset(
        stmt, listing, PlacementStep.created_at, PlacementStep.updated_at, PlacementStep.id
    )
    async with request.app.state.db.session(write=False) as session:
        await repo.readable_row(session, principal, placement_id)
        steps = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(steps, listing)
    return TransitionPage(items=[service.transition_read(s) for s in items], next_cursor=cursor)
