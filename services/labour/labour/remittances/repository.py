"""Remittances as a resource and a ledger: every query about them. They are read and written
under their placement, whose area they share."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import with_expression
from sqlalchemy.sql.base import ExecutableOption

from labour.common import PREFIX
from labour.models import Remittance
from labour.placements.repository import under_placement
from mtqg_shared.kit import Ledger, ListParams, Resource

remittances = Resource(
    Remittance,
    "remittance",
    area=under_placement(Remittance.placement_id, lambda e: e.placement),
    audited=("placement_id", "month", "amount_vnd", "reverses_id", "note"),
    prefix=PREFIX,
    path="placements",
)

ledger = Ledger(Remittance, Remittance.placement_id, name="remittance", owner_name="placement")


def _reversed_by() -> ExecutableOption:
    return with_expression(Remittance.reversed_by, ledger.reversed_by())


async def page(
    session: AsyncSession, placement_id: uuid.UUID, listing: ListParams, *, month: str | None
) -> tuple[list[Remittance], str | None]:
    """A placement's entries, each with the entry that reversed it, in one query."""
    stmt = select(Remittance).where(Remittance.placement_id == placement_id)
    if month is not None:
        stmt = stmt.where(Remittance.month == month)
    return await remittances.page(session, stmt.options(_reversed_by()), listing)


async def read(
    session: AsyncSession, placement_id: uuid.UUID, entry_id: uuid.UUID
) -> Remittance | None:
    stmt = (
        select(Remittance)
        .where(Remittance.id == entry_id, Remittance.placement_id == placement_id)
        .options(_reversed_by())
    )
    return (await session.scalars(stmt)).first()
