"""Funding entries as a resource and a ledger: every query about them."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from housing.models import FundingEntry
from housing.web import PREFIX
from mtqg_shared.kit import InCommune, Ledger, ListParams, Resource
from mtqg_shared.pagination import page_of

entries = Resource(
    FundingEntry,
    "funding entry",
    area=InCommune(FundingEntry.commune_code, FundingEntry.legacy_commune_code),
    audited=("case_id", "source", "amount_vnd", "on", "note", "reverses"),
    prefix=PREFIX,
    path="cases",
)
ledger = Ledger(FundingEntry, FundingEntry.case_id, name="funding entry", owner_name="case")


def location(case_id: uuid.UUID, entry_id: uuid.UUID) -> str:
    return f"{entries.location(case_id)}/funding/{entry_id}"


async def page(
    session: AsyncSession, case_id: uuid.UUID, listing: ListParams
) -> tuple[list[tuple[FundingEntry, uuid.UUID | None]], str | None]:
    """A page of a case's entries, each with the entry that reversed it: one query."""
    stmt = select(FundingEntry).where(FundingEntry.case_id == case_id)
    rows = (
        await session.execute(entries.keyset(stmt, listing).add_columns(ledger.reversed_by()))
    ).all()
    items, cursor = page_of([row[0] for row in rows], listing)
    reversed_by = {row[0].id: row[1] for row in rows}
    return [(entry, reversed_by[entry.id]) for entry in items], cursor


async def find(
    session: AsyncSession, case_id: uuid.UUID, entry_id: uuid.UUID
) -> tuple[FundingEntry, uuid.UUID | None] | None:
    """An entry of this case with the entry that reversed it (None when not reversed)."""
    stmt = select(FundingEntry, ledger.reversed_by()).where(
        FundingEntry.case_id == case_id, FundingEntry.id == entry_id
    )
    row = (await session.execute(stmt)).first()
    return None if row is None else (row[0], row[1])


async def one(
    session: AsyncSession, case_id: uuid.UUID, entry_id: uuid.UUID
) -> tuple[FundingEntry, uuid.UUID | None]:
    found = await find(session, case_id, entry_id)
    if found is None:
        raise entries.not_found()
    return found
