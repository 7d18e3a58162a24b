"""Recording money for a case, and reversing an entry recorded by mistake."""

from __future__ import annotations

import uuid

from housing.cases.repository import cases
from housing.domain import funding
from housing.domain.vocabulary import CaseStatus
from housing.funding.repository import entries, ledger
from housing.funding.schemas import FundingCreate, FundingRead
from housing.models import FundingEntry
from mtqg_shared.kit.present import present as from_record
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext


def present(entry: FundingEntry, reversed_by: uuid.UUID | None) -> FundingRead:
    return from_record(FundingRead, entry, reversed_by=reversed_by)


async def _reversal(
    ctx: WriteContext, case_id: uuid.UUID, body: FundingCreate
) -> tuple[funding.NewEntry, dict[str, str]]:
    """What reversing `body.reverses` records: the entry's negative amount, with its source,
    project and capital type (the ledger's copy)."""
    funding.check_reversal_day(body.on, today=today_vn())
    original, copied = await ledger.reversal(ctx.session, case_id, body)
    return funding.NewEntry(copied.pop("source"), -original.amount_vnd), copied


async def record(ctx: WriteContext, case_id: uuid.UUID, body: FundingCreate) -> FundingEntry:
    case = await cases.take(ctx, case_id)
    reversing = ledger.form(body, ("source", "amount_vnd"))
    entry_id = await entries.new_id(ctx.session, body.id)
    if reversing:
        new, tags = await _reversal(ctx, case.id, body)
        action = "reverse"
    else:
        assert body.source is not None and body.amount_vnd is not None
        funding.check_new_entry(
            CaseStatus(case.status), body.on, registered_on=case.registered_on, today=today_vn()
        )
        new = funding.NewEntry(body.source.value, body.amount_vnd)
        tags = ledger.new_tags(body)
        action = "create"
    entry = FundingEntry(
        id=entry_id,
        created_by=ctx.principal.key,
        case_id=case.id,
        commune_code=case.commune_code,
        legacy_commune_code=case.legacy_commune_code,
        legacy_district_code=case.legacy_district_code,
        source=new.source,
        amount_vnd=new.amount_vnd,
        on_date=body.on,
        note=body.note or None,
        reverses_id=body.reverses,
        **tags,
    )
    return await entries.add(ctx, entry, conflict=ledger.conflict(), action=action)
