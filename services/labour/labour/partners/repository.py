"""Partners as a resource: every query about them."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from labour import queries
from labour.common import PREFIX, columns_for
from labour.models import Partner
from labour.partners.schemas import PartnerRead
from labour.queries import AnyRow, AnySelect
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Province, Resource
from mtqg_shared.pagination import page_of

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
_ANSWER: AnySelect = select(*columns_for(_t, PartnerRead))
_BY_ID: AnySelect = _ANSWER.where(_t.c.id == bindparam("id"))
_EXISTS = select(_t.c.id).where(_t.c.id == bindparam("id"))
_PAGE = queries.Shaped(
    lambda shape: queries.keyed(
        queries.where_given(_ANSWER, shape[0], (_t.c.kind,)),
        shape[1],
        _t.c.created_at,
        _t.c.updated_at,
        _t.c.id,
    )
)


async def page(
    session: AsyncSession, principal: Principal, listing: ListParams, *, kind: str | None
) -> tuple[list[AnyRow], str | None]:
    """Partners are province-wide: every reader reads them all."""
    filters, values = queries.given(("kind", kind))
    keys, bounds = queries.page_shape(listing)
    return page_of((await session.execute(_PAGE((filters, keys)), values | bounds)).all(), listing)


async def read(session: AsyncSession, partner_id: uuid.UUID) -> AnyRow:
    """The partner's answer row, or 404 (every reader reads every partner)."""
    row = (await session.execute(_BY_ID, {"id": partner_id})).first()
    if row is None:
        raise partners.not_found()
    return row


async def exists(session: AsyncSession, partner_id: uuid.UUID) -> bool:
    return await session.scalar(_EXISTS, {"id": partner_id}) is not None
