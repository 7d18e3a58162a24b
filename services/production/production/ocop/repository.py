"""OCOP products as a resource: every query about them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource
from mtqg_shared.kit.rows import AreaConditions, Equal, Params, Rows
from production.models import OcopProduct
from production.web import PREFIX

ocop_products = Resource(
    OcopProduct,
    "OCOP product",
    entity="ocop_product",
    area=InCommune(OcopProduct.commune_code, OcopProduct.legacy_commune_code),
    audited=(
        "name",
        "producer",
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "geography",
        "category",
        "stars",
        "score",
        "certified_on",
        "expires_on",
    ),
    required=("name", "producer", "commune_code", "category", "stars", "certified_on"),
    dated="certified_on",
    counted=("commune_code", "legacy_commune_code", "category", "stars", "expires_on"),
    prefix=PREFIX,
    path="ocop-products",
)


# Reads: every column of the table (the answer shows them all, and its geography).
rows = Rows(ocop_products, tuple(OcopProduct.__table__.c))
_product = OcopProduct.__table__.c
_area = AreaConditions.in_commune(_product.commune_code, _product.legacy_commune_code)
_filters = Equal(_product.stars, _product.category)
_EXPIRING_BEFORE = _product.expires_on < bindparam(
    "expiring_before", type_=_product.expires_on.type
)


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    stars: int | None,
    category: str | None,
    expiring_before: dt.date | None,
) -> tuple[list[dict[str, Any]], str | None]:
    params: Params = {}
    conditions = _area.where(principal, area, params)
    _filters.add(conditions, params, stars=stars, category=category)
    if expiring_before is not None:
        conditions.append(_EXPIRING_BEFORE)
        params["expiring_before"] = expiring_before
    return await rows.page(session, listing, conditions, params)
