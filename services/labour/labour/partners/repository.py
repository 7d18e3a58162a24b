"""Partners as a resource: every query about them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from labour.common import PREFIX, columns_for
from labour.models import Partner
from labour.partners.schemas import PartnerRead
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Province, Resource
from mtqg_shared.kit.rows import AnyRow, Equal, Params, Rows

partners = Resource(
    Partner,
    "partner",
    area=Province(),
    audited=("name", "kind", "licence_number", "address"),
    required=("name", "kind"),
    prefix=PREFIX,
    path="partners",
)


# Reads load plain rows of exactly what a partner's answer shows, from statements built once.
_t = Partner.__table__
_ROWS = Rows(partners, columns_for(_t, PartnerRead))
_FILTERS = Equal(_t.c.kind)
_EXISTS = select(_t.c.id).where(_t.c.id == bindparam("id"))


async def page(
    session: AsyncSession, principal: Principal, listing: ListParams, *, kind: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Partners are province-wide: every reader reads them all."""
    params: Params = {}
    conditions: list[Any] = []
    _FILTERS.add(conditions, params, kind=kind)
    return await _ROWS.page(session, listing, conditions, params)


async def read(session: AsyncSession, partner_id: uuid.UUID) -> AnyRow:
    """The partner's answer row, or 404 (every reader reads every partner)."""
    row = await _ROWS.find(session, partner_id)
    if row is None:
        raise partners.not_found()
    return row


async def exists(session: AsyncSession, partner_id: uuid.UUID) -> bool:
    return await session.scalar(_EXISTS, {"id": partner_id}) is not None
