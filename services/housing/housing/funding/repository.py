"""Funding entries as a resource and a ledger: every query about them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from housing.models import FundingEntry
from housing.web import PREFIX
from mtqg_shared.kit import InCommune, Ledger, ListParams, Resource
from mtqg_shared.kit.rows import Equal
from mtqg_shared.pagination import keyset, page_of

entries = Resource(
    FundingEntry,
    "funding entry",
    area=InCommune(FundingEntry.commune_code, FundingEntry.legacy_commune_code),
    audited=(
        "case_id",
        "source",
        "amount_vnd",
        "project_code",
        "capital_type",
        "on",
        "note",
        "reverses",
    ),
    dated="on",
    prefix=PREFIX,
    path="cases",
    item="cases/{case_id}/funding/{id}",
)
ledger = Ledger(
    FundingEntry,
    FundingEntry.case_id,
    name="funding entry",
    owner_name="case",
    service="housing",
)


def location(case_id: uuid.UUID, entry_id: uuid.UUID) -> str:
    return f"{entries.location(case_id)}/funding/{entry_id}"


_entry = FundingEntry.__table__
_later = _entry.alias("later")
# Built once, in Core over the table (plain rows, no ORM loading): an entry's answer, with the
# entry that reversed it (the ledger's `reversed_by`), or NULL.
_ANSWER = select(
    *(_entry.c[name] for name in ("id", "created_at", "updated_at", "created_by", "version")),
    _entry.c.case_id,
    _entry.c.source,
    _entry.c.amount_vnd,
    _entry.c.project_code,
    _entry.c.capital_type,
    _entry.c.on_date.label("on"),
    _entry.c.note,
    _entry.c.reverses_id.label("reverses"),
    select(_later.c.id)
    .where(_later.c.reverses_id == _entry.c.id)
    .scalar_subquery()
    .label("reversed_by"),
)
_OF_CASE = _ANSWER.where(_entry.c.case_id == bindparam("case_id"))
_ONE = _OF_CASE.where(_entry.c.id == bindparam("entry_id"))
# Its columns' names: a row becomes the dict of its answer with no per-row lookups.
_NAMES = tuple(_ANSWER.selected_columns.keys())
_FILTERS = Equal(_entry.c.source, _entry.c.project_code, _entry.c.capital_type)
_KEYS: Any = (_entry.c.created_at, _entry.c.updated_at, _entry.c.id)


async def page(
    session: AsyncSession, case_id: uuid.UUID, listing: ListParams, **filters: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of a case's entries (those whose `source`, `project_code`, `capital_type` are
    the `filters` given), each with the entry that reversed it: one query."""
    conditions: list[Any] = []
    params: dict[str, Any] = {"case_id": case_id}
    _FILTERS.add(conditions, params, **filters)
    stmt = keyset(_OF_CASE.where(*conditions), listing, *_KEYS)
    rows = (await session.execute(stmt, params)).all()
    items, cursor = page_of(rows, listing)
    return [dict(zip(_NAMES, row, strict=True)) for row in items], cursor


async def one(session: AsyncSession, case_id: uuid.UUID, entry_id: uuid.UUID) -> dict[str, Any]:
    """An entry of this case with the entry that reversed it (None when not reversed)."""
    params = {"case_id": case_id, "entry_id": entry_id}
    row = (await session.execute(_ONE, params)).first()
    if row is None:
        raise entries.not_found()
    return dict(zip(_NAMES, row, strict=True))
