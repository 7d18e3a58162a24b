"""Smart villages: where, since when, and their recognition by an approver's step."""

from __future__ import annotations

import uuid
from typing import Any

from digital.domain import villages as rules
from digital.domain.vocabulary import VillageStatus
from digital.models import SmartVillage, SmartVillageStep
from digital.villages import repository as repo
from digital.villages.repository import reads, villages
from digital.villages.schemas import (
    TransitionCreate,
    TransitionRead,
    VillageCreate,
    VillageRead,
    VillageUpdate,
)
from mtqg_shared.kit import WriteContext
from mtqg_shared.kit.placed import create_placed, update_placed
from mtqg_shared.messages import msg, word
from mtqg_shared.rules import RuleViolation
from mtqg_shared.types import new_id, today_vn

_FIELDS = ("village", "started_on")
MOVED_MEANWHILE = msg("changed_meanwhile", what=word("smart village"))

present_row = reads.present_row
read = reads.read
page = reads.page


def present(village: SmartVillage) -> VillageRead:
    return VillageRead.model_validate(village)


def present_step(step: SmartVillageStep) -> TransitionRead:
    return TransitionRead(
        id=step.id,
        created_at=step.created_at,
        updated_at=step.updated_at,
        created_by=step.created_by,
        version=step.version,
        village_id=step.village_id,
        seq=step.seq,
        from_=VillageStatus(step.from_status),
        to=VillageStatus(step.to_status),
        on=step.on_date,
        decision_number=step.decision_number,
        note=step.note,
        actor=step.created_by,
    )


async def create(ctx: WriteContext, body: VillageCreate) -> SmartVillage:
    village: SmartVillage = await create_placed(
        ctx, villages, body, _FIELDS, dated="started_on", status=VillageStatus.BUILDING.value
    )
    return village


async def _started_before_recognition(village: SmartVillage, given: dict[str, Any]) -> None:
    """A recognised village started on or before the day it was recognised."""
    recognised_on = village.recognised_on
    if recognised_on is not None and given.get("started_on", recognised_on) > recognised_on:
        raise RuleViolation("body.started_on", "out_of_range.le", le=village.recognised_on)


async def update(ctx: WriteContext, village_id: uuid.UUID, body: VillageUpdate) -> SmartVillage:
    village: SmartVillage = await update_placed(
        ctx,
        villages,
        village_id,
        body,
        _FIELDS,
        dated="started_on",
        check=_started_before_recognition,
    )
    return village


async def move(
    ctx: WriteContext, village_id: uuid.UUID, body: TransitionCreate
) -> SmartVillageStep:
    """One step along the path: the village locked (two racing steps wait for each other),
    the approver, the move, the decision and the date checked."""
    village = await villages.take(ctx, village_id)
    rules.PATH.require_approver(ctx.principal, body.to)
    current = VillageStatus(village.status)
    today = today_vn()
    on = body.on or today
    rules.check_step(
        current, body.to, on, body.decision_number, today=today, started_on=village.started_on
    )
    step = SmartVillageStep(
        id=new_id(),
        created_by=ctx.principal.key,
        version=1,
        village_id=village.id,
        seq=await repo.last_seq(ctx.session, village.id) + 1,
        from_status=current.value,
        to_status=body.to.value,
        on_date=on,
        decision_number=body.decision_number,
        note=body.note or None,
        village=village,
    )
    before = villages.snapshot(village)
    village.status = body.to.value
    if body.to is VillageStatus.RECOGNISED:
        village.recognised_on = on
        village.decision_number = body.decision_number
    villages.changed(
        ctx,
        village,
        before,
        action="transition",
        extra={"transition_id": [None, str(step.id)]},
        on=on,
    )
    await repo.add_step(ctx.session, step, MOVED_MEANWHILE)
    return step
