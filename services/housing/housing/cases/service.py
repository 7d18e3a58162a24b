"""What happens when a case is created, edited or moved along its status path."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.ext.asyncio import AsyncSession

from housing.cases import repository as repo
from housing.cases.schemas import (
    CaseCreate,
    CaseRead,
    CaseUpdate,
    FundingBySource,
    TransitionCreate,
    TransitionRead,
)
from housing.domain import funding, status
from housing.domain.norms import Norm as NormFacts
from housing.domain.norms import norm_in_force
from housing.domain.rules import check_not_future
from housing.domain.vocabulary import CaseStatus
from housing.models import Case, CaseTransition
from housing.web import PREFIX
from mtqg_shared.areas import geography_of, place_commune, require_readable, require_writable
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem, conflict, not_found
from mtqg_shared.types import today_vn
from mtqg_shared.writes import (
    WriteContext,
    bump,
    check_if_match,
    diff,
    ensure_new_id,
    etag,
    flush_or_conflict,
    refuse_nulls,
)

# The fields a case's audit trail follows.
AUDITED = (
    "household_code",
    "head_of_household",
    "commune_code",
    "legacy_commune_code",
    "legacy_district_code",
    "geography",
    "village",
    "beneficiary_group",
    "support_type",
    "registered_on",
    "notes",
    "status",
    "status_on",
    "completed_on",
    "handed_over_on",
)


def snapshot(case: Case) -> dict[str, Any]:
    return {name: getattr(case, name) for name in AUDITED}


def to_read(case: Case, totals: dict[str, int], norms: Sequence[NormFacts]) -> CaseRead:
    return CaseRead(
        id=case.id,
        created_at=case.created_at,
        updated_at=case.updated_at,
        created_by=case.created_by,
        version=case.version,
        commune_code=case.commune_code,
        legacy_commune_code=case.legacy_commune_code,
        legacy_district_code=case.legacy_district_code,
        household_code=case.household_code,
        head_of_household=case.head_of_household,
        village=case.village,
        geography=case.geography,
        beneficiary_group=case.beneficiary_group,
        support_type=case.support_type,
        registered_on=case.registered_on,
        notes=case.notes,
        status=case.status,
        funding_vnd=FundingBySource(**totals),
        total_funding_vnd=funding.total(totals),
        state_budget_vnd=funding.state_budget(totals),
        norm_vnd=norm_in_force(
            norms, case.beneficiary_group, case.support_type, case.registered_on
        ),
        completed_on=case.completed_on,
        handed_over_on=case.handed_over_on,
    )


async def reads(session: AsyncSession, cases: Sequence[Case]) -> list[CaseRead]:
    """Answers for a page of cases: two more queries, whatever the page size."""
    totals = await repo.funding_of(session, [c.id for c in cases])
    norms = await repo.norms(session)
    return [to_read(c, totals[c.id], norms) for c in cases]


async def readable_case(
    session: AsyncSession, principal: Principal, case_id: uuid.UUID, *, for_update: bool = False
) -> Case:
    """The case, or 404 when it does not exist or lies outside the caller's areas."""
    case = await repo.get(session, case_id, for_update=for_update)
    if case is None:
        raise not_found("case")
    require_readable(principal, [case.commune_code], "case")
    return case


async def writable_case(session: AsyncSession, principal: Principal, case_id: uuid.UUID) -> Case:
    case = await readable_case(session, principal, case_id, for_update=True)
    require_writable(principal, [case.commune_code], "case")
    return case


async def _refuse_second_open_case(
    session: AsyncSession, principal: Principal, household_code: str
) -> None:
    existing = await repo.open_case_of(session, household_code)
    if existing is None:
        return
    problem = conflict("This household already has an open case.")
    # Name the open case only to a caller who may read it.
    if principal.can_read_any([existing.commune_code]):
        problem.extra["existing_id"] = str(existing.id)
    raise problem


async def create(ctx: WriteContext, principal: Principal, body: CaseCreate) -> Response:
    session = ctx.session
    today = today_vn()
    registered_on = body.registered_on or today
    check_not_future(registered_on, today, "body.registered_on")
    placed = place_commune(principal, body.commune_code, body.geography, registered_on)
    case_id = await ensure_new_id(session, Case, body.id, "case")
    await _refuse_second_open_case(session, principal, body.household_code)
    case = Case(
        id=case_id,
        created_by=principal.key,
        commune_code=placed.commune_code,
        legacy_commune_code=placed.legacy_commune_code,
        legacy_district_code=placed.legacy_district_code,
        geography=geography_of(body.geography, registered_on),
        household_code=body.household_code,
        head_of_household=body.head_of_household,
        village=body.village,
        beneficiary_group=body.beneficiary_group.value,
        support_type=body.support_type.value,
        registered_on=registered_on,
        notes=body.notes,
        status=CaseStatus.REGISTERED.value,
        status_on=registered_on,
    )
    session.add(case)
    await flush_or_conflict(session, "This case or an open case of this household exists.")
    # The registration is the first step of the path, so history starts complete.
    session.add(
        CaseTransition(
            id=uuid.uuid4(),
            case_id=case.id,
            seq=1,
            from_status=None,
            to_status=CaseStatus.REGISTERED.value,
            on_date=registered_on,
            created_by=principal.key,
        )
    )
    await session.flush()
    ctx.audit("create", "case", case.id, diff({}, snapshot(case)), [case.commune_code])
    (read,) = await reads(session, [case])
    headers = etag(case.version) | {"Location": f"{PREFIX}/cases/{case.id}"}
    return await ctx.commit(read, status=201, headers=headers)


async def update(
    ctx: WriteContext, principal: Principal, request: Request, case_id: uuid.UUID, body: CaseUpdate
) -> Response:
    session = ctx.session
    case = await writable_case(session, principal, case_id)
    check_if_match(request, case.version)
    values = body.model_dump(exclude_unset=True, mode="json")
    refuse_nulls(body, ("head_of_household", "beneficiary_group", "support_type"))
    before = snapshot(case)
    for name in ("beneficiary_group", "support_type"):
        if name in values and values[name] != getattr(case, name):
            status.check_classification_change(CaseStatus(case.status))
    for name, value in values.items():
        setattr(case, name, value)
    changes = diff(before, snapshot(case))
    if changes:
        bump(case)
        ctx.audit("update", "case", case.id, changes, [case.commune_code])
        await session.flush()
    (read,) = await reads(session, [case])
    return await ctx.commit(read, headers=etag(case.version))


def _may_approve(principal: Principal) -> None:
    if not principal.is_person:
        raise Problem(403, "Approval steps are for people only.")
    if not principal.has_role("approver"):
        raise Problem(403, "Approving a case needs the approver role.")


async def move(
    ctx: WriteContext, principal: Principal, case_id: uuid.UUID, body: TransitionCreate
) -> Response:
    session = ctx.session
    case = await writable_case(session, principal, case_id)
    if status.needs_approver(body.to):
        _may_approve(principal)
    step_id = await ensure_new_id(session, CaseTransition, body.id, "step")
    today = today_vn()
    on = body.on or today
    current = CaseStatus(case.status)
    dates = status.check_step(
        current,
        body.to,
        on,
        body.note,
        previous_on=case.status_on,
        registered_on=case.registered_on,
        today=today,
    )
    last = await session.scalar(
        select(func.max(CaseTransition.seq)).where(CaseTransition.case_id == case.id)
    )
    # The step it follows now ends on this date (what "status as of a date" reads).
    await session.execute(
        sql_update(CaseTransition)
        .where(CaseTransition.case_id == case.id, CaseTransition.superseded_on.is_(None))
        .where(CaseTransition.seq == (last or 0))
        .values(superseded_on=on)
    )
    step = CaseTransition(
        id=step_id,
        case_id=case.id,
        seq=(last or 0) + 1,
        from_status=current.value,
        to_status=body.to.value,
        on_date=on,
        note=body.note or None,
        created_by=principal.key,
    )
    session.add(step)
    before = snapshot(case)
    case.status = body.to.value
    case.status_on = on
    if dates.completed_on is not None:
        case.completed_on = dates.completed_on
    if dates.handed_over_on is not None:
        case.handed_over_on = dates.handed_over_on
    bump(case)
    changes = diff(before, snapshot(case)) | {"transition_id": [None, str(step.id)]}
    ctx.audit("transition", "case", case.id, changes, [case.commune_code])
    await flush_or_conflict(
        session, "The case moved meanwhile, or the step's id exists.", type="invalid-state"
    )
    return await ctx.commit(transition_read(step), status=201)


def transition_read(step: CaseTransition) -> TransitionRead:
    return TransitionRead(
        id=step.id,
        created_at=step.created_at,
        updated_at=step.updated_at,
        created_by=step.created_by,
        version=step.version,
        case_id=step.case_id,
        seq=step.seq,
        from_=step.from_status,
        to=step.to_status,
        on=step.on_date,
        note=step.note,
        actor=step.created_by,
    )
