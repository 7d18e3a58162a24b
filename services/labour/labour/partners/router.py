"""`/api/v1/labour/partners`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select

from labour.common import CHANGE, CREATE, PREFIX, READ
from labour.models import Partner
from labour.partners.schemas import PartnerCreate, PartnerKind, PartnerRead, PartnerUpdate
from labour.partners.service import create_partner, get_partner, present, update_partner
from mtqg_shared.auth import Reader, Writer
from mtqg_shared.fields import IdempotencyKey, IfMatch
from mtqg_shared.openapi import problems
from mtqg_shared.pagination import Listing, Page, keyset, page_of
from mtqg_shared.writes import Write, etag

router = APIRouter(prefix=f"{PREFIX}/partners", tags=["partners"])


@router.post(
    "", status_code=201, response_model=PartnerRead, responses=CREATE, summary="Add a partner"
)
async def create(
    _: Writer, body: PartnerCreate, ctx: Write, _key: IdempotencyKey = None
) -> Response:
    partner = await create_partner(ctx, body)
    return await ctx.commit(
        present(partner),
        status=201,
        headers=etag(partner.version) | {"Location": f"{PREFIX}/partners/{partner.id}"},
    )


@router.get("", response_model=Page[PartnerRead], responses=problems(), summary="List partners")
async def list_partners(
    request: Request,
    _: Reader,
    listing: Listing,
    kind: Annotated[PartnerKind | None, Query()] = None,
) -> Page[PartnerRead]:
    stmt = select(Partner)
    if kind is not None:
        stmt = stmt.where(Partner.kind == kind)
    stmt = keyset(stmt, listing, Partner.created_at, Partner.updated_at, Partner.id)
    async with request.app.state.db.session(write=False) as session:
        rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, listing)
    return Page[PartnerRead](items=[present(p) for p in items], next_cursor=cursor)


@router.get("/{partner_id}", response_model=PartnerRead, responses=READ, summary="Read a partner")
async def read(
    request: Request, response: Response, partner_id: uuid.UUID, _: Reader
) -> PartnerRead:
    async with request.app.state.db.session(write=False) as session:
        partner = await get_partner(session, partner_id)
    response.headers.update(etag(partner.version))
    return present(partner)


@router.patch(
    "/{partner_id}", response_model=PartnerRead, responses=CHANGE, summary="Change a partner"
)
async def update(
    request: Request,
    _: Writer,
    partner_id: uuid.UUID,
    body: PartnerUpdate,
    ctx: Write,
    _if_match: IfMatch = None,
) -> Response:
    partner = await get_partner(ctx.session, partner_id)
    partner = await update_partner(ctx, request, partner, body)
    return await ctx.commit(present(partner), headers=etag(partner.version))
