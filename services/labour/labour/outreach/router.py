"""`/api/v1/labour/outreach-events`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select

from labour.common import CHANGE, CREATE, PREFIX, READ, Year, area_filter
from labour.domain.overview import year_bounds
from labour.models import OutreachEvent
from labour.outreach.schemas import OutreachEventCreate, OutreachEventRead, OutreachEventUpdate
from labour.outreach.service import create_event, present, readable_event, update_event
from mtqg_shared.auth import Reader, Writer
from mtqg_shared.fields import AreaFilter, GeographyFilter, IdempotencyKey, IfMatch
from mtqg_shared.openapi import problems
from mtqg_shared.pagination import Listing, Page, keyset, page_of
from mtqg_shared.writes import Write, etag

router = APIRouter(prefix=f"{PREFIX}/outreach-events", tags=["outreach events"])


@router.post(
    "",
    status_code=201,
    response_model=OutreachEventRead,
    responses=CREATE,
    summary="Record an outreach event",
)
async def create(
    _: Writer, body: OutreachEventCreate, ctx: Write, _key: IdempotencyKey = None
) -> Response:
    event = await create_event(ctx, body)
    return await ctx.commit(
        present(event),
        status=201,
        headers=etag(event.version) | {"Location": f"{PREFIX}/outreach-events/{event.id}"},
    )


@router.get(
    "",
    response_model=Page[OutreachEventRead],
    responses=problems(404),
    summary="List outreach events",
)
async def list_events(
    request: Request,
    principal: Reader,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    partner_id: Annotated[uuid.UUID | None, Query()] = None,
    year: Annotated[Year | None, Query(description="Events held that year.")] = None,
) -> Page[OutreachEventRead]:
    condition, _area = area_filter(
        principal,
        area_code,
        geography,
        OutreachEvent.commune_code,
        OutreachEvent.legacy_commune_code,
    )
    stmt = select(OutreachEvent).where(condition)
    if partner_id is not None:
        stmt = stmt.where(OutreachEvent.partner_id == partner_id)
    if year is not None:
        first, last = year_bounds(year)
        stmt = stmt.where(OutreachEvent.held_on.between(first, last))
    stmt = keyset(
        stmt, listing, OutreachEvent.created_at, OutreachEvent.updated_at, OutreachEvent.id
    )
    async with request.app.state.db.session(write=False) as session:
        rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, listing)
    return Page[OutreachEventRead](items=[present(e) for e in items], next_cursor=cursor)


@router.get(
    "/{event_id}",
    response_model=OutreachEventRead,
    responses=READ,
    summary="Read an outreach event",
)
async def read(
    request: Request, response: Response, event_id: uuid.UUID, principal: Reader
) -> OutreachEventRead:
    async with request.app.state.db.session(write=False) as session:
        event = await readable_event(session, principal, event_id)
    response.headers.update(etag(event.version))
    return present(event)


@router.patch(
    "/{event_id}",
    response_model=OutreachEventRead,
    responses=CHANGE,
    summary="Change an outreach event",
)
async def update(
    request: Request,
    _: Writer,
    event_id: uuid.UUID,
    body: OutreachEventUpdate,
    ctx: Write,
    _if_match: IfMatch = None,
) -> Response:
    event = await readable_event(ctx.session, ctx.principal, event_id)
    event = await update_event(ctx, request, event, body)
    return await ctx.commit(present(event), headers=etag(event.version))
