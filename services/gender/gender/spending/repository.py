"""Spending entries as a resource and a ledger: every query about them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gender.models import SpendingEntry
from gender.web import PREFIX
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, Ledger, ListParams, Resource
from mtqg_shared.kit.rows import AreaConditions, Equal, Params, Rows

spending = Resource(
    SpendingEntry,
    "spending entry",
    area=InCommune(SpendingEntry.commune_code, SpendingEntry.legacy_commune_code),
    audited=(
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "geography",
        "on",
        "amount_vnd",
        "source",
        "purpose",
        "activity_id",
        "project_code",
        "capital_type",
        "note",
        "reverses",
    ),
    prefix=PREFIX,
    path="spending",
)
# Entries stand on their own: a reversal names the entry, not a parent record.
ledger = Ledger(SpendingEntry, None, name="spending entry")

_entry = SpendingEntry.__table__.c
_later = SpendingEntry.__table__.alias("later")
# An entry's answer, with the entry that reversed it (or NULL), in one statement.
rows = Rows(
    spending,
    (
        *(c for c in _entry if c.key not in ("on_date", "reverses_id")),
        _entry.on_date.label("on"),
        _entry.reverses_id.label("reverses"),
        select(_later.c.id)
        .where(_later.c.reverses_id == _entry.id)
        .scalar_subquery()
        .label("reversed_by"),
    ),
)
_area = AreaConditions.in_commune(_entry.commune_code, _entry.legacy_commune_code)
_filters = Equal(_entry.source, _entry.project_code, _entry.capital_type, _entry.activity_id)


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    **filters: Any,
) -> tuple[list[dict[str, Any]], str | None]:
    params: Params = {}
    conditions = _area.where(principal, area, params)
    _filters.add(conditions, params, **filters)
    return await rows.page(session, listing, conditions, params)
