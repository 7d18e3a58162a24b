"""/api/v1/production/ocop-products"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from mtqg_shared.auth import Reader
from mtqg_shared.fields import LAST_DAY, AreaFilter, GeographyFilter
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
from production.ocop import service
from production.ocop.repository import ocop_products
from production.ocop.schemas import OcopCreate, OcopRead, OcopUpdate
from production.schemas import ShortText
from production.web import CHANGE, CREATE, READ, ServiceSettings

router = APIRouter(prefix=ocop_products.collection, tags=["ocop"])


@router.post(
    "",
    status_code=201,
    response_model=OcopRead,
    responses=CREATE,
    summary="Record an OCOP product",
)
async def create_product(body: OcopCreate, ctx: Write, settings: ServiceSettings) -> Response:
    product = await service.create(ctx, body, settings.ocop_validity_months)
    return await created(ctx, service.present(product), location=ocop_products.location(product.id))


@router.get("", response_model=Page[OcopRead], responses=READ, summary="List OCOP products")
async def list_products(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    stars: Annotated[int | None, Query(ge=1, le=5)] = None,
    category: Annotated[ShortText | None, Query()] = None,
    expiring_before: Annotated[
        dt.date | None,
        Query(le=LAST_DAY, description="Only certificates expiring before this date."),
    ] = None,
) -> Response:
    page = await service.page(
        session,
        principal,
        listing,
        area_code=area_code,
        geography=geography,
        stars=stars,
        category=category,
        expiring_before=expiring_before,
    )
    return answer(page)


@router.get(
    "/{product_id}", response_model=OcopRead, responses=READ, summary="Read an OCOP product"
)
async def read_product(product_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await service.read(session, principal, product_id)
    return record(service.present_row(row), row.version)


@router.patch(
    "/{product_id}",
    response_model=OcopRead,
    responses=CHANGE,
    summary="Change, re-certify or move an OCOP product",
)
async def update_product(
    product_id: uuid.UUID, body: OcopUpdate, ctx: Change, settings: ServiceSettings
) -> Response:
    product = await service.update(ctx, product_id, body, settings.ocop_validity_months)
    return await saved(ctx, service.present(product), version=product.version)
