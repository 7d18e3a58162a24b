"""Recording money for a case, and reversing an entry recorded by mistake."""

from __future__ import annotations

import uuid

from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from housing.cases.service import readable_case, writable_case
from housing.domain import funding
from housing.domain.vocabulary import CaseStatus
from housing.funding.schemas import FundingCreate, FundingRead
from housing.models import Case, FundingEntry
from housing.web import PREFIX
from mtqg_shared.auth import Principal
from mtqg_shared.errors import not_found
from mtqg_shared.pagination import ListParams, keyset, page_of
from mtqg_shared.rules import RuleViolation
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext, diff, ensure_new_id, flush_or_conflict

Reversal = aliased(FundingEntry)


def to_read(entry: FundingEntry, reversed_by: uuid.UUID | None) -> FundingRead:
    return FundingRead(
        id=entry.id,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        created_by=entry.created_by,
        version=entry.version,
        case_id=entry.case_id,
        source=entry.source,
        amount_vnd=entry.amount_vnd,
        on=entry.on_date,
        note=entry.note,
        reverses=entry.reverses_id,
        reversed_by=reversed_by,
    )


async def page(
    session: AsyncSession, principal: Principal, case_id: uuid.UUID, listing: ListParams
) -> tuple[list[FundingRead], str | None]:
    await readable_case(session, principal, case_id)
    stmt = keyset(
        select(FundingEntry).where(FundingEntry.case_id == case_id),
        listing,
        FundingEntry.created_at,
        FundingEntry.updated_at,
        FundingEntry.id,
    )
    paired = stmt.add_columns(Reversal.id).outerjoin(
        Reversal, Reversal.reverses_id == FundingEntry.id
    )
    rows = (await session.execute(paired)).all()
    entries, cursor = page_of([row[0] for row in rows], listing)
    reversed_by = {row[0].id: row[1] for row in rows}
    return [to_read(entry, reversed_by[entry.id]) for entry in entries], cursor


def _check_form(body: FundingCreate) -> None:
    """Exactly one of the two forms, naming the offending field."""
    if body.reverses is not None:
        for name in ("source", "amount_vnd"):
            if getattr(body, name) is not None:
                raise RuleViolation(f"body.{name}", "not allowed with reverses")
        return
    for name in ("source", "amount_vnd"):
        if getattr(body, name) is None:
            raise RuleViolation(f"body.{name}", "required (unless the entry reverses another)")


async def _reversal_of(
    session: AsyncSession, case: Case, body: FundingCreate
) -> tuple[FundingEntry, funding.NewEntry]:
    original = await session.get(FundingEntry, body.reverses)
    if original is None or original.case_id != case.id:
        raise RuleViolation("body.reverses", "no such entry on this case")
    already = await session.scalar(
        select(FundingEntry.id).where(FundingEntry.reverses_id == original.id)
    )
    facts = funding.EntryFacts(
        source=original.source,
        amount_vnd=original.amount_vnd,
        on=original.on_date,
        is_reversal=original.reverses_id is not None,
        reversed=already is not None,
    )
    return original, funding.reversal(facts, body.on, today=today_vn())


async def record(
    ctx: WriteContext, principal: Principal, case_id: uuid.UUID, body: FundingCreate
) -> Response:
    session = ctx.session
    case = await writable_case(session, principal, case_id)
    _check_form(body)
    entry_id = await ensure_new_id(session, FundingEntry, body.id, "funding entry")
    reverses: uuid.UUID | None = None
    if body.reverses is not None:
        original, new = await _reversal_of(session, case, body)
        reverses = original.id
        action = "reverse"
    else:
        assert body.source is not None and body.amount_vnd is not None
        funding.check_new_entry(
            CaseStatus(case.status), body.on, registered_on=case.registered_on, today=today_vn()
        )
        new = funding.NewEntry(body.source.value, body.amount_vnd)
        action = "create"
    entry = FundingEntry(
        id=entry_id,
        created_by=principal.key,
        case_id=case.id,
        commune_code=case.commune_code,
        legacy_commune_code=case.legacy_commune_code,
        legacy_district_code=case.legacy_district_code,
        source=new.source,
        amount_vnd=new.amount_vnd,
        on_date=body.on,
        note=body.note or None,
        reverses_id=reverses,
    )
    session.add(entry)
    # A racing second reversal of the same entry meets the unique reverses_id here.
    await flush_or_conflict(session, "This entry has already been reversed, or the id exists.")
    snapshot = {
        "case_id": entry.case_id,
        "source": entry.source,
        "amount_vnd": entry.amount_vnd,
        "on": entry.on_date,
        "note": entry.note,
        "reverses": entry.reverses_id,
    }
    ctx.audit(action, "funding_entry", entry.id, diff({}, snapshot), [case.commune_code])
    headers = {"Location": f"{PREFIX}/cases/{case.id}/funding/{entry.id}", "ETag": '"1"'}
    return await ctx.commit(to_read(entry, None), status=201, headers=headers)


async def read_one(
    session: AsyncSession, principal: Principal, case_id: uuid.UUID, entry_id: uuid.UUID
) -> FundingRead:
    await readable_case(session, principal, case_id)
    stmt = (
        select(FundingEntry, Reversal.id)
        .outerjoin(Reversal, Reversal.reverses_id == FundingEntry.id)
        .where(FundingEntry.case_id == case_id, FundingEntry.id == entry_id)
    )
    row = (await session.execute(stmt)).first()
    if row is None:
        raise not_found("funding entry")
    return to_read(row[0], row[1])
