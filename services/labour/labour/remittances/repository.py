"""Remittances as a resource and a ledger: every query about them. They are read and written
under their placement, whose area they share."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from labour.common import PREFIX, columns_for
from labour.models import Remittance
from labour.placements.repository import under_placement
from labour.remittances.schemas import RemittanceRead
from mtqg_shared.kit import Ledger, ListParams, Resource
from mtqg_shared.kit.rows import AnyRow, Equal, Params, Rows

remittances = Resource(
    Remittance,
    "remittance",
    area=under_placement(Remittance.placement_id, lambda e: e.placement),
    audited=("placement_id", "month", "amount_vnd", "reverses_id", "note"),
    dated="month",
    prefix=PREFIX,
    path="placements",
    item="placements/{placement_id}/remittances/{id}",
)

ledger = Ledger(Remittance, Remittance.placement_id, name="remittance", owner_name="placement")


# Reads load plain rows of exactly what an entry's answer shows (no ORM entity is built), from
# statements built once: a request passes only values.
_r = Remittance.__table__
_later = _r.alias("later")
# `ledger.reversed_by()`: per entry, the id of the entry that reversed it, or NULL.
_REVERSED_BY = (
    select(_later.c.id)
    .where(_later.c.reverses_id == _r.c.id)
    .scalar_subquery()
    .label("reversed_by")
)
_ROWS = Rows(
    remittances,
    (
        *columns_for(_r, RemittanceRead, besides=("reversed_by",)),
        _r.c.reverses_id.label("reverses"),
        _REVERSED_BY,
    ),
    where=(_r.c.placement_id == bindparam("placement", type_=_r.c.placement_id.type),),
)
_FILTERS = Equal(_r.c.month)


async def page(
    session: AsyncSession, placement_id: uuid.UUID, listing: ListParams, *, month: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A placement's entries as answer rows, each with the entry that reversed it, in one
    query."""
    params: Params = {"placement": placement_id}
    conditions: list[Any] = []
    _FILTERS.add(conditions, params, month=month)
    return await _ROWS.page(session, listing, conditions, params)


async def read(
    session: AsyncSession, placement_id: uuid.UUID, entry_id: uuid.UUID
) -> AnyRow | None:
    return await _ROWS.find(session, entry_id, {"placement": placement_id})
