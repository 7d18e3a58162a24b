"""Remittances as a resource and a ledger: every query about them. They are read and written
under their placement, whose area they share."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from labour import queries
from labour.common import PREFIX, columns_for
from labour.models import Remittance
from labour.placements.repository import under_placement
from labour.queries import AnyRow, AnySelect
from labour.remittances.schemas import RemittanceRead
from mtqg_shared.kit import Ledger, ListParams, Resource
from mtqg_shared.pagination import page_of

remittances = Resource(
    Remittance,
    "remittance",
    area=under_placement(Remittance.placement_id, lambda e: e.placement),
    audited=("placement_id", "month", "amount_vnd", "reverses_id", "note"),
    prefix=PREFIX,
    path="placements",
)

ledger = Ledger(Remittance, Remittance.placement_id, name="remittance", owner_name="placement")


# Reads load plain rows of exactly what an entry's answer shows (no ORM entity is built), from
# statements built once (per shape, for a list): a request passes only values.
_r = Remittance.__table__
_later = _r.alias("later")
# `ledger.reversed_by()`: per entry, the id of the entry that reversed it, or NULL.
_REVERSED_BY = (
    select(_later.c.id)
    .where(_later.c.reverses_id == _r.c.id)
    .scalar_subquery()
    .label("reversed_by")
)
_ANSWER: AnySelect = select(
    *columns_for(_r, RemittanceRead, besides=("reversed_by",)),
    _r.c.reverses_id.label("reverses"),
    _REVERSED_BY,
).where(_r.c.placement_id == bindparam("placement"))
_BY_ID: AnySelect = _ANSWER.where(_r.c.id == bindparam("id"))


def _page(shape: Any) -> AnySelect:
    month, keys = shape
    stmt = queries.where_given(_ANSWER, (month,), (_r.c.month,))
    return queries.keyed(stmt, keys, _r.c.created_at, _r.c.updated_at, _r.c.id)


_PAGE = queries.Shaped(_page)


async def page(
    session: AsyncSession, placement_id: uuid.UUID, listing: ListParams, *, month: str | None
) -> tuple[list[AnyRow], str | None]:
    """A placement's entries as answer rows, each with the entry that reversed it, in one
    query."""
    (month_given,), values = queries.given(("month", month))
    keys, bounds = queries.page_shape(listing)
    values |= bounds | {"placement": placement_id}
    return page_of((await session.execute(_PAGE((month_given, keys)), values)).all(), listing)


async def read(
    session: AsyncSession, placement_id: uuid.UUID, entry_id: uuid.UUID
) -> AnyRow | None:
    values = {"placement": placement_id, "id": entry_id}
    return (await session.execute(_BY_ID, values)).first()
