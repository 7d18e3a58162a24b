"""OCOP products: stars within their score bands, certificates and their expiry."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.areas import filter_area, place_commune
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Page, WriteContext
from mtqg_shared.rules import check_not_future
from mtqg_shared.types import today_vn
from mtqg_shared.writes import refuse_nulls
from production.domain.ocop import check_expiry, check_score, default_expiry
from production.models import OcopProduct, given_geography
from production.ocop import repository as repo
from production.ocop.repository import ocop_products
from production.ocop.schemas import OcopCreate, OcopRead, OcopUpdate
from production.places import new_place, set_place

_FIELDS = ("name", "producer", "category", "stars", "score", "certified_on", "expires_on")


def present(product: OcopProduct) -> OcopRead:
    return OcopRead.model_validate(product)


def _values(values: dict[str, Any]) -> dict[str, Any]:
    values["geography"] = given_geography(values["legacy_commune_code"])
    return values


def present_row(row: Row[Any]) -> OcopRead:
    return OcopRead.model_validate(_values(row._asdict()))


async def read(session: AsyncSession, principal: Principal, product_id: uuid.UUID) -> Row[Any]:
    return await repo.rows.read(session, principal, product_id)


def _check(product: OcopProduct) -> None:
    check_not_future(product.certified_on, today_vn(), "body.certified_on")
    check_expiry(product.certified_on, product.expires_on)
    check_score(product.stars, product.score)


async def create(ctx: WriteContext, body: OcopCreate, validity_months: int) -> OcopProduct:
    placed = place_commune(ctx.principal, body.commune_code, body.geography, body.certified_on)
    values: dict[str, Any] = {name: getattr(body, name) for name in _FIELDS}
    values["expires_on"] = body.expires_on or default_expiry(body.certified_on, validity_months)
    product = OcopProduct(
        id=await ocop_products.new_id(ctx.session, body.id),
        created_by=ctx.principal.key,
        version=1,
        **values,
    )
    _check(product)
    set_place(product, placed)
    return await ocop_products.add(ctx, product)


async def update(
    ctx: WriteContext, product_id: uuid.UUID, body: OcopUpdate, validity_months: int
) -> OcopProduct:
    product = await ocop_products.take(ctx, product_id)
    refuse_nulls(body, ocop_products.required)
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    before = ocop_products.snapshot(product)
    for name in _FIELDS:
        if name in given:
            setattr(product, name, given[name])
    new_term = "certified_on" in given and "expires_on" not in given
    if new_term or ("expires_on" in given and given["expires_on"] is None):
        # A new certificate starts a new default term unless its expiry is given.
        product.expires_on = default_expiry(product.certified_on, validity_months)
    _check(product)
    if "commune_code" in given or "geography" in given:
        code, geography = new_place(product, given)
        set_place(product, place_commune(ctx.principal, code, geography, product.certified_on))
    ocop_products.changed(ctx, product, before)
    return product


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area_code: str | None,
    geography: str | None,
    stars: int | None,
    category: str | None,
    expiring_before: dt.date | None,
) -> Page[OcopRead]:
    area = filter_area(principal, area_code, geography)
    rows, cursor = await repo.page(
        session,
        principal,
        listing,
        area=area,
        stars=stars,
        category=category,
        expiring_before=expiring_before,
    )
    items = [_values(row) for row in rows]
    return Page[OcopRead].model_validate({"items": items, "next_cursor": cursor})
