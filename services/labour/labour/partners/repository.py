"""Partners as a resource: every query about them."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from labour.common import PREFIX
from labour.models import Partner
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Province, Resource

partners = Resource(
    Partner,
    "partner",
    area=Province(),
    audited=("name", "kind", "licence_number", "address"),
    required=("name", "kind"),
    prefix=PREFIX,
    path="partners",
)


async def page(
    session: AsyncSession, principal: Principal, listing: ListParams, *, kind: str | None
) -> tuple[list[Partner], str | None]:
    stmt = partners.visible(principal)
    if kind is not None:
        stmt = stmt.where(Partner.kind == kind)
    return await partners.page(session, stmt, listing)


async def exists(session: AsyncSession, partner_id: uuid.UUID) -> bool:
    return await partners.find(session, partner_id) is not None
