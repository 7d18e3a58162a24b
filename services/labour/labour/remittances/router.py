"""`/api/v1/labour/placements/{id}/remittances`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from labour.common import READ, STEP, answer_from, page_from
from labour.placements.repository import placements, require_readable
from labour.remittances import repository as repo
from labour.remittances import service
from labour.remittances.repository import remittances
from labour.remittances.schemas import Month, RemittanceCreate, RemittanceRead
from mtqg_shared.auth import Reader
from mtqg_shared.kit import Listing, Page, ReadSession, Write, answer, created, record

RemittancePage = Page[RemittanceRead]

router = APIRouter(prefix=placements.collection, tags=["remittances"])


def location(placement_id: uuid.UUID, entry_id: uuid.UUID) -> str:
    return f"{placements.location(placement_id)}/remittances/{entry_id}"


@router.post(
    "/{placement_id}/remittances",
    status_code=201,
    response_model=RemittanceRead,
    responses=STEP,
    summary="Record money sent home in a month, or reverse an entry",
)
async def create(placement_id: uuid.UUID, body: RemittanceCreate, ctx: Write) -> Response:
    entry = await service.record(ctx, placement_id, body)
    return await created(ctx, service.present(entry), location=location(placement_id, entry.id))


@router.get(
    "/{placement_id}/remittances",
    response_model=Page[RemittanceRead],
    responses=READ,
    summary="List a placement's remittances",
)
async def list_remittances(
    placement_id: uuid.UUID,
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    month: Annotated[Month | None, Query()] = None,
) -> Response:
    await require_readable(session, principal, placement_id)
    items, cursor = await repo.page(session, placement_id, listing, month=month)
    return answer(page_from(RemittancePage, items, cursor))


@router.get(
    "/{placement_id}/remittances/{remittance_id}",
    response_model=RemittanceRead,
    responses=READ,
    summary="Read one remittance of a placement",
)
async def read(
    placement_id: uuid.UUID, remittance_id: uuid.UUID, principal: Reader, session: ReadSession
) -> Response:
    await require_readable(session, principal, placement_id)
    row = await repo.read(session, placement_id, remittance_id)
    if row is None:
        raise remittances.not_found()
    return record(answer_from(RemittanceRead, row), row.version)
