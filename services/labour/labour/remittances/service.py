"""Recording money sent home, and correcting it by reversal (entries are never edited)."""

from __future__ import annotations

import uuid

from labour.domain import remittances as rules
from labour.domain.status import PlacementStatus
from labour.models import Remittance
from labour.placements.repository import placements
from labour.remittances.repository import ledger, remittances
from labour.remittances.schemas import RemittanceCreate, RemittanceRead
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext


def present(entry: Remittance) -> RemittanceRead:
    """An entry just written (so nothing has reversed it yet)."""
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
        reverses=entry.reverses_id,
        reversed_by=None,
    )


async def record(ctx: WriteContext, placement_id: uuid.UUID, body: RemittanceCreate) -> Remittance:
    """Money sent home in a month, or the reversal of an earlier entry: the placement is
    locked first, so its status and dates cannot move under the entry."""
    placement = await placements.take(ctx, placement_id)
    if ledger.form(body, ("month", "amount_vnd")):
        assert body.reverses is not None
        original = await ledger.to_reverse(ctx.session, placement.id, body.reverses)
        month, amount, action = original.month, -original.amount_vnd, "reverse"
    else:
        assert body.month is not None and body.amount_vnd is not None
        window = rules.PlacementWindow(
            PlacementStatus(placement.status), placement.departed_on, placement.returned_on
        )
        rules.check_month(window, body.month, today_vn())
        month, amount, action = body.month, body.amount_vnd, "create"
    entry = Remittance(
        id=await remittances.new_id(ctx.session, body.id),
        created_by=ctx.principal.key,
        version=1,
        placement=placement,
        placement_id=placement.id,
        month=month,
        destination_country=placement.destination_country,
        amount_vnd=amount,
        note=body.note or None,
        reverses_id=body.reverses,
    )
    return await remittances.add(ctx, entry, conflict=ledger.conflict(), action=action)
