"""Recording money sent home, and correcting it by reversal (entries are never edited)."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from labour.common import invalid_many
from labour.domain import remittances as rules
from labour.domain.status import PlacementStatus
from labour.models import Placement, Remittance, Worker
from labour.remittances.schemas import RemittanceCreate, RemittanceRead
from mtqg_shared.areas import require_writable
from mtqg_shared.rules import RuleViolation
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext, ensure_new_id, flush_or_conflict

ENTITY = "remittance"

_reversal = aliased(Remittance)


def rows_stmt() -> Select[Remittance, uuid.UUID | None]:
    """Entries with the id of the entry that reversed each (if any)."""
    reversed_by = select(_reversal.id).where(_reversal.reverses == Remittance.id).scalar_subquery()
    return select(Remittance, reversed_by.label("reversed_by"))


def to_read(entry: Remittance, reversed_by: uuid.UUID | None) -> RemittanceRead:
    return RemittanceRead(
        id=entry.id,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        created_by=entry.created_by,
        version=entry.version,
        placement_id=entry.placement_id,
        month=entry.month,
        amount_vnd=entry.amount_vnd,
        note=entry.note,
        reverses=entry.reverses,
        reversed_by=reversed_by,
    )


async def _reversed_entry(
    session: AsyncSession, placement: Placement, entry_id: uuid.UUID
) -> Remittance:
    entry = await session.get(Remittance, entry_id)
    if entry is None or entry.placement_id != placement.id:
        raise RuleViolation("body.reverses", "No such entry on this placement.")
    already = await session.scalar(
        select(Remittance.id).where(Remittance.reverses == entry.id).limit(1)
    )
    rules.check_reversible(
        is_reversal=entry.reverses is not None, already_reversed=already is not None
    )
    return entry


async def record(
    ctx: WriteContext, placement: Placement, worker: Worker, body: RemittanceCreate
) -> Remittance:
    require_writable(ctx.principal, [worker.commune_code], "placement")
    sent = body.model_fields_set
    if body.reverses is not None:
        extra = [
            (f"body.{name}", "not allowed with reverses")
            for name in ("month", "amount_vnd")
            if name in sent
        ]
        if extra:
            raise invalid_many(extra)
        original = await _reversed_entry(ctx.session, placement, body.reverses)
        month, amount, action = original.month, -original.amount_vnd, "reverse"
    else:
        missing = [
            (f"body.{name}", "required (or send reverses alone)")
            for name in ("month", "amount_vnd")
            if getattr(body, name) is None
        ]
        if missing:
            raise invalid_many(missing)
        assert body.month is not None and body.amount_vnd is not None
        window = rules.PlacementWindow(
            PlacementStatus(placement.status), placement.departed_on, placement.returned_on
        )
        rules.check_month(window, body.month, today_vn())
        month, amount, action = body.month, body.amount_vnd, "create"
    entry = Remittance(
        id=await ensure_new_id(ctx.session, Remittance, body.id, "remittance"),
        created_by=ctx.principal.key,
        version=1,
        placement_id=placement.id,
        month=month,
        destination_country=placement.destination_country,
        amount_vnd=amount,
        note=body.note or None,
        reverses=body.reverses,
    )
    ctx.session.add(entry)
    await flush_or_conflict(
        ctx.session, "This entry has already been reversed, or the id is taken."
    )
    changes = {
        "placement_id": [None, str(placement.id)],
        "month": [None, month],
        "amount_vnd": [None, amount],
        "reverses": [None, None if body.reverses is None else str(body.reverses)],
        "note": [None, entry.note],
    }
    ctx.audit(action, ENTITY, entry.id, changes, [worker.commune_code])
    return entry
