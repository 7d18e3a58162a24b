"""/api/v1/production/ocop-products"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from mtqg_shared.auth import Reader, Writer
from mtqg_shared.fields import LAST_DAY, AreaFilter, GeographyFilter, IdempotencyKey, IfMatch
from mtqg_shared.pagination import Listing, Page
from mtqg_shared.writes import Write, check_if_match, etag
from production.ocop import service
from production.ocop.schemas import OcopCreate, OcopRead, OcopUpdate
from production.schemas import ShortText
from production.web import CREATE, LIST, READ_ONE, UPDATE, ServiceSettings

router = APIRouter(prefix="/api/v1/production/ocop-products", tags=["ocop"])


@router.post(
    "",
    status_code=201,
    response_model=OcopRead,
    responses=CREATE,
    summary="Record an OCOP product",
)
async def create_product(
    body: OcopCreate,
    principal: Writer,
    ctx: Write,
    settings: ServiceSettings,
    _key: IdempotencyKey = None,
) -> Response:
    product = await service.create(ctx, body, settings.ocop_validity_months)
    return await ctx.commit(product, status=201, headers=etag(product.version))


@router.get("", response_model=Page[OcopRead], responses=LIST, summary="List OCOP products")
async def list_products(
    request: Request,
    principal: Reader,
    params: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    stars: Annotated[int | None, Query(ge=1, le=5)] = None,
    category: Annotated[ShortText | None, Query()] = None,
    expiring_before: Annotated[
        dt.date | None,
        Query(le=LAST_DAY, description="Only certificates expiring before this date."),
    ] = None,
) -> Page[OcopRead]:
    async with request.app.state.db.session(write=False) as session:
        items, cursor = await service.listing(
            session,
            principal,
            params,
            area_code=area_code,
            geography=geography,
            stars=stars,
            category=category,
            expiring_before=expiring_before,
        )
    return Page[OcopRead](items=items, next_cursor=cursor)


@router.get(
    "/{product_id}", response_model=OcopRead, responses=READ_ONE, summary="Read an OCOP product"
)
async def read_product(
    product_id: uuid.UUID, request: Request, response: Response, principal: Reader
) -> OcopRead:
    async with request.app.state.db.session(write=False) as session:
        product = await service.get(session, principal, product_id)
    response.headers.update(etag(product.version))
    return service.to_read(product)


@router.patch(
    "/{product_id}",
    response_model=OcopRead,
    responses=UPDATE,
    summary="Change, re-certify or move an OCOP product",
)
async def update_product(
    product_id: uuid.UUID,
    body: OcopUpdate,
    request: Request,
    principal: Writer,
    ctx: Write,
    settings: ServiceSettings,
    _if_match: IfMatch = None,
) -> Response:
    product = await service.get(ctx.session, principal, product_id, for_update=True)
    service.check_writable(principal, product)
    check_if_match(request, product.version)
    read = await service.update(ctx, product, body, settings.ocop_validity_months)
    return await ctx.commit(read, headers=etag(read.version))
