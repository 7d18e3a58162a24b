"""`/api/v1/labour/outreach-events`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from labour.common import CHANGE, CREATE, READ, Year, answer_from, page_from
from labour.outreach import repository as repo
from labour.outreach.repository import events
from labour.outreach.schemas import OutreachEventCreate, OutreachEventRead, OutreachEventUpdate
from labour.outreach.service import create_event, present, update_event
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

EventPage = Page[OutreachEventRead]

router = APIRouter(prefix=events.collection, tags=["outreach events"])


@router.post(
    "",
    status_code=201,
    response_model=OutreachEventRead,
    responses=CREATE,
    summary="Record an outreach event",
)
async def create(body: OutreachEventCreate, ctx: Write) -> Response:
    event = await create_event(ctx, body)
    return await created(ctx, present(event), location=events.location(event.id))


@router.get(
    "", response_model=Page[OutreachEventRead], responses=READ, summary="List outreach events"
)
async def list_events(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    partner_id: Annotated[uuid.UUID | None, Query()] = None,
    year: Annotated[Year | None, Query(description="Events held that year.")] = None,
) -> Response:
    items, cursor = await repo.page(
        session,
        principal,
        listing,
        area=filter_area(principal, area_code, geography),
        partner_id=partner_id,
        year=year,
    )
    return answer(page_from(EventPage, items, cursor))


@router.get(
    "/{event_id}",
    response_model=OutreachEventRead,
    responses=READ,
    summary="Read an outreach event",
)
async def read(event_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await repo.read(session, principal, event_id)
    return record(answer_from(OutreachEventRead, row), row.version)


@router.patch(
    "/{event_id}",
    response_model=OutreachEventRead,
    responses=CHANGE,
    summary="Change an outreach event",
)
async def update(event_id: uuid.UUID, body: OutreachEventUpdate, ctx: Change) -> Response:
    event = await update_event(ctx, event_id, body)
    return await saved(ctx, present(event), version=event.version)
