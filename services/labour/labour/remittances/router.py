"""`/api/v1/labour/placements/{id}/remittances`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from labour.common import PREFIX, READ, STEP
from labour.models import Remittance
from labour.placements import repository as placements
from labour.remittances import service
from labour.remittances.schemas import Month, RemittanceCreate, RemittancePage, RemittanceRead
from mtqg_shared.auth import Reader, Writer
from mtqg_shared.fields import IdempotencyKey
from mtqg_shared.pagination import Listing, keyset, page_of
from mtqg_shared.writes import Write

router = APIRouter(prefix=f"{PREFIX}/placements", tags=["remittances"])


@router.post(
    "/{placement_id}/remittances",
    status_code=201,
    response_model=RemittanceRead,
    responses=STEP,
    summary="Record money sent home in a month, or reverse an entry",
)
async def record(
    _: Writer,
    placement_id: uuid.UUID,
    body: RemittanceCreate,
    ctx: Write,
    _key: IdempotencyKey = None,
) -> Response:
    placement, worker = await placements.placement_and_worker(
        ctx.session, ctx.principal, placement_id
    )
    entry = await service.record(ctx, placement, worker, body)
    return await ctx.commit(service.to_read(entry, None), status=201)


@router.get(
    "/{placement_id}/remittances",
    response_model=RemittancePage,
    responses=READ,
    summary="List a placement's remittances",
)
async def list_remittances(
    request: Request,
    placement_id: uuid.UUID,
    principal: Reader,
    listing: Listing,
    month: Annotated[Month | None, Query()] = None,
) -> RemittancePage:
    stmt = service.rows_stmt().where(Remittance.placement_id == placement_id)
    if month is not None:
        stmt = stmt.where(Remittance.month == month)
    stmt = keyset(stmt, listing, Remittance.created_at, Remittance.updated_at, Remittance.id)
    async with request.app.state.db.session(write=False) as session:
        await placements.readable_row(session, principal, placement_id)
        rows = (await session.execute(stmt)).all()
    by_id = {row[0].id: row[1] for row in rows}
    items, cursor = page_of([row[0] for row in rows], listing)
    return RemittancePage(
        items=[service.to_read(e, by_id[e.id]) for e in items], next_cursor=cursor
    )
