"""`/api/v1/labour/partners`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from labour.common import CHANGE, CREATE, READ, answer_from, page_from
from labour.partners import repository as repo
from labour.partners.repository import partners
from labour.partners.schemas import PartnerCreate, PartnerKind, PartnerRead, PartnerUpdate
from labour.partners.service import create_partner, present, update_partner
from mtqg_shared.auth import Reader
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
from mtqg_shared.openapi import problems

PartnerPage = Page[PartnerRead]

router = APIRouter(prefix=partners.collection, tags=["partners"])


@router.post(
    "", status_code=201, response_model=PartnerRead, responses=CREATE, summary="Add a partner"
)
async def create(body: PartnerCreate, ctx: Write) -> Response:
    partner = await create_partner(ctx, body)
    return await created(ctx, present(partner), location=partners.location(partner.id))


@router.get("", response_model=Page[PartnerRead], responses=problems(), summary="List partners")
async def list_partners(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    kind: Annotated[PartnerKind | None, Query()] = None,
) -> Response:
    items, cursor = await repo.page(session, principal, listing, kind=kind)
    return answer(page_from(PartnerPage, items, cursor))


@router.get("/{partner_id}", response_model=PartnerRead, responses=READ, summary="Read a partner")
async def read(partner_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await repo.read(session, partner_id)
    return record(answer_from(PartnerRead, row), row.version)


@router.patch(
    "/{partner_id}", response_model=PartnerRead, responses=CHANGE, summary="Change a partner"
)
async def update(partner_id: uuid.UUID, body: PartnerUpdate, ctx: Change) -> Response:
    partner = await update_partner(ctx, partner_id, body)
    return await saved(ctx, present(partner), version=partner.version)
