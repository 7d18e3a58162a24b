"""Recording money spent on Project 8, and reversing an entry recorded by mistake."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from gender.activities.repository import activities
from gender.domain.vocabulary import CapitalType
from gender.models import SpendingEntry
from gender.places import set_place, with_geography
from gender.spending import repository as repo
from gender.spending.repository import ledger, spending
from gender.spending.schemas import SpendingCreate, SpendingPage, SpendingRead
from mtqg_shared.areas import filter_area, place_commune
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, WriteContext
from mtqg_shared.kit.present import present as from_record
from mtqg_shared.messages import word
from mtqg_shared.programmes import default_project, projects_of
from mtqg_shared.rules import RuleViolation, check_not_before, check_not_future
from mtqg_shared.types import today_vn

SERVICE = "gender"
# What a new entry says and a reversal copies from the entry it undoes.
_OWN = ("commune_code", "amount_vnd", "source", "purpose")
_OPTIONAL = ("geography", "activity_id", "project_code", "capital_type")
_COPIED = ("source", "purpose", "activity_id", "project_code", "capital_type")


def present(entry: SpendingEntry, reversed_by: uuid.UUID | None) -> SpendingRead:
    return from_record(SpendingRead, entry, reversed_by=reversed_by)


def present_row(row: Row[Any]) -> SpendingRead:
    return SpendingRead.model_validate(with_geography(row._asdict()))


async def read(session: AsyncSession, principal: Principal, entry_id: uuid.UUID) -> Row[Any]:
    return await repo.rows.read(session, principal, entry_id)


def _project(code: str | None) -> str:
    """The entry's project: one of this service's (422 otherwise), by default its own."""
    if code is None:
        return default_project(SERVICE)
    allowed = projects_of(SERVICE)
    if code not in allowed:
        raise RuleViolation("body.project_code", "invalid_choice.one_of", expected=list(allowed))
    return code


async def _check_activity(ctx: WriteContext, activity_id: uuid.UUID | None) -> None:
    """The activity money went to is one the caller may read (422 otherwise)."""
    if activity_id is None:
        return
    activity = await activities.find(ctx.session, activity_id)
    if activity is None or not activities.area.may_read(ctx.principal, activity):
        raise RuleViolation("body.activity_id", "not_found", what=word("activity"))


async def _new(ctx: WriteContext, body: SpendingCreate, entry_id: uuid.UUID) -> SpendingEntry:
    assert body.commune_code is not None and body.amount_vnd is not None
    assert body.source is not None
    check_not_future(body.on, today_vn(), "body.on")
    project_code = _project(body.project_code)
    placed = place_commune(ctx.principal, body.commune_code, body.geography, body.on)
    await _check_activity(ctx, body.activity_id)
    entry = SpendingEntry(
        id=entry_id,
        created_by=ctx.principal.key,
        version=1,
        on=body.on,
        amount_vnd=body.amount_vnd,
        source=body.source.value,
        purpose=body.purpose,
        activity_id=body.activity_id,
        project_code=project_code,
        capital_type=(body.capital_type or CapitalType.recurrent).value,
        note=body.note or None,
    )
    set_place(entry, placed)
    return entry


async def _reversal(ctx: WriteContext, body: SpendingCreate, entry_id: uuid.UUID) -> SpendingEntry:
    """The entry that cancels `body.reverses`: its negative, in its commune, with its source,
    purpose, activity, project and capital type, dated between it and today. An entry the
    caller may not write is as one that does not exist."""
    original = await ledger.to_reverse(ctx.session, None, body.reverses)
    if not spending.area.may_write(ctx.principal, original):
        raise ledger.not_found()
    check_not_future(body.on, today_vn(), "body.on")
    check_not_before(body.on, original.on, "body.on", "reversed entry")
    entry = SpendingEntry(
        id=entry_id,
        created_by=ctx.principal.key,
        version=1,
        on=body.on,
        amount_vnd=-original.amount_vnd,
        reverses_id=original.id,
        note=body.note or None,
        commune_code=original.commune_code,
        legacy_commune_code=original.legacy_commune_code,
        legacy_district_code=original.legacy_district_code,
        **{name: getattr(original, name) for name in _COPIED},
    )
    return entry


async def record(ctx: WriteContext, body: SpendingCreate) -> SpendingEntry:
    # A reversal carries none of a new entry's fields, the optional ones included.
    reversing = ledger.form(body, _OWN + _OPTIONAL if body.reverses is not None else _OWN)
    entry_id = await spending.new_id(ctx.session, body.id)
    if reversing:
        entry = await _reversal(ctx, body, entry_id)
        return await spending.add(ctx, entry, conflict=ledger.conflict(), action="reverse")
    entry = await _new(ctx, body, entry_id)
    return await spending.add(ctx, entry, conflict=ledger.conflict())


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area_code: str | None,
    geography: str | None,
    **filters: Any,
) -> SpendingPage:
    area = filter_area(principal, area_code, geography)
    rows, cursor = await repo.page(session, principal, listing, area=area, **filters)
    items = [with_geography(row) for row in rows]
    return SpendingPage.model_validate({"items": items, "next_cursor": cursor})
