"""Protection cases: what happened, where, to whom (never by name), and how it was handled."""

from __future__ import annotations

import uuid
from typing import Any

from gender.cases import repository as repo
from gender.cases import status
from gender.cases.repository import cases
from gender.cases.schemas import CaseCreate, CaseRead, CaseUpdate, TransitionCreate, TransitionRead
from gender.cases.status import CaseOutcome, CaseStatus
from gender.models import Case, CaseStep
from mtqg_shared.areas import place_commune
from mtqg_shared.kit import WriteContext
from mtqg_shared.kit.places import new_place, set_place
from mtqg_shared.messages import msg, word
from mtqg_shared.rules import check_not_future
from mtqg_shared.types import new_id, today_vn
from mtqg_shared.writes import refuse_nulls

_FIELDS = ("kind", "reported_on", "victim_sex", "victim_age", "victim_ethnicity", "summary")
MOVED_MEANWHILE = msg("changed_meanwhile", what=word("protection case"))


def present(case: Case) -> CaseRead:
    return CaseRead.model_validate(case)


def present_step(step: CaseStep) -> TransitionRead:
    return TransitionRead(
        id=step.id,
        created_at=step.created_at,
        updated_at=step.updated_at,
        created_by=step.created_by,
        version=step.version,
        case_id=step.case_id,
        seq=step.seq,
        from_=CaseStatus(step.from_status),
        to=CaseStatus(step.to_status),
        on=step.on_date,
        outcome=None if step.outcome is None else CaseOutcome(step.outcome),
        note=step.note,
        actor=step.created_by,
    )


async def create(ctx: WriteContext, body: CaseCreate) -> Case:
    check_not_future(body.reported_on, today_vn(), "body.reported_on")
    placed = place_commune(ctx.principal, body.commune_code, body.geography, body.reported_on)
    case = Case(
        id=await cases.new_id(ctx.session, body.id),
        created_by=ctx.principal.key,
        version=1,
        status=CaseStatus.REPORTED.value,
        outcome=None,
        last_step_on=body.reported_on,
        **{name: getattr(body, name) for name in _FIELDS},
    )
    set_place(case, placed)
    return await cases.add(ctx, case)


async def update(ctx: WriteContext, case_id: uuid.UUID, body: CaseUpdate) -> Case:
    case = await cases.take(ctx, case_id)
    refuse_nulls(body, cases.required)
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    before = cases.snapshot(case)
    if "reported_on" in given:
        check_not_future(given["reported_on"], today_vn(), "body.reported_on")
    for name in _FIELDS:
        if name in given:
            setattr(case, name, given[name])
    if "commune_code" in given or "geography" in given:
        code, geography = new_place(case, given)
        set_place(case, place_commune(ctx.principal, code, geography, case.reported_on))
    cases.changed(ctx, case, before)
    return case


async def move(ctx: WriteContext, case_id: uuid.UUID, body: TransitionCreate) -> CaseStep:
    """One step along the path: the case locked (two racing steps wait for each other), the
    move, outcome and date checked, the step numbered after the last one."""
    case = await cases.take(ctx, case_id)
    current = CaseStatus(case.status)
    today = today_vn()
    on = body.on or today
    status.check_step(current, body.to, on, body.outcome, today=today, not_before=case.last_step_on)
    seq = await repo.last_seq(ctx.session, case.id) + 1
    row = CaseStep(
        id=new_id(),
        created_by=ctx.principal.key,
        version=1,
        case_id=case.id,
        seq=seq,
        from_status=current.value,
        to_status=body.to.value,
        on_date=on,
        outcome=None if body.outcome is None else body.outcome.value,
        note=body.note or None,
        case=case,
    )
    before = cases.snapshot(case)
    case.status = body.to.value
    case.last_step_on = on
    if body.outcome is not None:
        case.outcome = body.outcome.value
    cases.changed(
        ctx, case, before, action="transition", extra={"transition_id": [None, str(row.id)]}
    )
    await repo.add_step(ctx.session, row, MOVED_MEANWHILE)
    return row
