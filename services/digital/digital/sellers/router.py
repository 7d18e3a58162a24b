"""/api/v1/digital/sellers"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from digital.domain.vocabulary import SellerKind
from digital.sellers import service
from digital.sellers.repository import sellers
from digital.sellers.schemas import SellerCreate, SellerRead, SellerUpdate
from digital.web import CHANGE, CREATE, READ
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

router = APIRouter(prefix=sellers.collection, tags=["sellers"])


@router.post(
    "",
    status_code=201,
    response_model=SellerRead,
    responses=CREATE,
    summary="Record a producer selling online",
)
async def create_seller(body: SellerCreate, ctx: Write) -> Response:
    seller = await service.create(ctx, body)
    return await created(ctx, service.present(seller), location=sellers.location(seller.id))


@router.get("", response_model=Page[SellerRead], responses=READ, summary="List online sellers")
async def list_sellers(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    kind: Annotated[SellerKind | None, Query()] = None,
) -> Response:
    page = await service.page(
        session, principal, listing, area_code=area_code, geography=geography, kind=kind
    )
    return answer(page)


@router.get("/{seller_id}", response_model=SellerRead, responses=READ, summary="Read a seller")
async def read_seller(seller_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await service.read(session, principal, seller_id)
    return record(service.present_row(row), row.version)


@router.patch(
    "/{seller_id}", response_model=SellerRead, responses=CHANGE, summary="Change or move a seller"
)
async def update_seller(seller_id: uuid.UUID, body: SellerUpdate, ctx: Change) -> Response:
    seller = await service.update(ctx, seller_id, body)
    return await saved(ctx, service.present(seller), version=seller.version)
