"""OCOP products: stars within their score bands, certificates and their expiry."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.areas import filter_area, place_commune, require_writable
from mtqg_shared.auth import Principal
from mtqg_shared.errors import not_found
from mtqg_shared.pagination import ListParams, keyset, page_of
from mtqg_shared.types import today_vn
from mtqg_shared.writes import (
    WriteContext,
    bump,
    diff,
    ensure_new_id,
    flush_or_conflict,
    refuse_nulls,
)
from production.domain.dates import check_not_future
from production.domain.ocop import check_expiry, check_score, default_expiry
from production.models import OcopProduct
from production.ocop.schemas import OcopCreate, OcopRead, OcopUpdate
from production.places import given_place, new_place, placed_conditions, set_place
from production.records import audit_fields

_FIELDS = ("name", "producer", "category", "stars", "score", "certified_on", "expires_on")


def to_read(product: OcopProduct) -> OcopRead:
    fields = {name: getattr(product, name) for name in OcopRead.model_fields if name != "geography"}
    return OcopRead.model_validate({**fields, "geography": given_place(product)[1]})


async def get(
    session: AsyncSession,
    principal: Principal,
    product_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> OcopProduct:
    stmt = select(OcopProduct).where(OcopProduct.id == product_id)
    if for_update:
        stmt = stmt.with_for_update()
    product = (await session.execute(stmt)).scalar_one_or_none()
    if product is None or not principal.can_read_any([product.commune_code]):
        raise not_found("OCOP product")
    return product


def check_writable(principal: Principal, product: OcopProduct) -> None:
    require_writable(principal, [product.commune_code], "OCOP product")


def _check(product: OcopProduct) -> None:
    check_not_future(product.certified_on, today_vn(), "body.certified_on")
    check_expiry(product.certified_on, product.expires_on)
    check_score(product.stars, product.score)


async def create(ctx: WriteContext, body: OcopCreate, validity_months: int) -> OcopRead:
    principal, session = ctx.principal, ctx.session
    placed = place_commune(principal, body.commune_code, body.geography, body.certified_on)
    values: dict[str, Any] = {name: getattr(body, name) for name in _FIELDS}
    values["expires_on"] = body.expires_on or default_expiry(body.certified_on, validity_months)
    product = OcopProduct(
        id=await ensure_new_id(session, OcopProduct, body.id, "OCOP product"),
        created_by=principal.key,
        version=1,
        **values,
    )
    _check(product)
    set_place(product, placed)
    session.add(product)
    await flush_or_conflict(session, "An OCOP product with this id already exists.")
    read = to_read(product)
    changes = diff({}, audit_fields(read))
    ctx.audit("create", "ocop_product", product.id, changes, [product.commune_code])
    return read


async def update(
    ctx: WriteContext, product: OcopProduct, body: OcopUpdate, validity_months: int
) -> OcopRead:
    refuse_nulls(body, ("name", "producer", "commune_code", "category", "stars", "certified_on"))
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    before = audit_fields(to_read(product))
    old_commune = product.commune_code
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
    changes = diff(before, audit_fields(to_read(product)))
    if changes:
        bump(product)
        await flush_or_conflict(ctx.session, "The OCOP product changed meanwhile.")
        communes = {old_commune, product.commune_code}
        ctx.audit("update", "ocop_product", product.id, changes, communes)
    return to_read(product)


async def listing(
    session: AsyncSession,
    principal: Principal,
    params: ListParams,
    *,
    area_code: str | None,
    geography: str | None,
    stars: int | None,
    category: str | None,
    expiring_before: dt.date | None,
) -> tuple[list[OcopRead], str | None]:
    area = filter_area(principal, area_code, geography)
    stmt = select(OcopProduct).where(
        *placed_conditions(
            principal, area, OcopProduct.commune_code, OcopProduct.legacy_commune_code
        )
    )
    if stars is not None:
        stmt = stmt.where(OcopProduct.stars == stars)
    if category is not None:
        stmt = stmt.where(OcopProduct.category == category)
    if expiring_before is not None:
        stmt = stmt.where(OcopProduct.expires_on < expiring_before)
    stmt = keyset(stmt, params, OcopProduct.created_at, OcopProduct.updated_at, OcopProduct.id)
    rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, params)
    return [to_read(product) for product in items], cursor
