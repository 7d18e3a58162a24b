"""OCOP products as a resource: every query about them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource
from mtqg_shared.kit.filters import where_given
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
    prefix=PREFIX,
    path="ocop-products",
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
) -> tuple[list[OcopProduct], str | None]:
    stmt = where_given(
        ocop_products.visible(principal, area),
        (OcopProduct.stars, stars),
        (OcopProduct.category, category),
    )
    if expiring_before is not None:
        stmt = stmt.where(OcopProduct.expires_on < expiring_before)
    return await ocop_products.page(session, stmt, listing)
