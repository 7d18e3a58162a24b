"""What happens when a case is created, edited or moved along its status path."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from housing.cases import repository as repo
from housing.cases.repository import cases, transitions
from housing.cases.schemas import (
    CaseCreate,
    CasePage,
    CaseRead,
    CaseUpdate,
    TransitionCreate,
    TransitionRead,
)
from housing.domain import funding, status
from housing.domain.vocabulary import CaseStatus
from housing.models import Case, CaseTransition
from mtqg_shared.areas import geography_of, place_commune
from mtqg_shared.auth import Principal
from mtqg_shared.errors import conflict
from mtqg_shared.kit.present import present as from_record
from mtqg_shared.messages import msg, word
from mtqg_shared.rules import check_not_future
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext, flush_or_conflict


def fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """A case's answer from its columns and figures by name (a row of the repository's case
    statements): validated once, with the page it is on (columns it does not answer, such as
    `status_on` or one source's sum, are left out by the schema)."""
    by_source = {source: values[source] for source in repo.SOURCES}
    return {
        **values,
        "funding_vnd": by_source,
        "total_funding_vnd": funding.total(by_source),
        "state_budget_vnd": funding.state_budget(by_source),
    }


def present(values: Mapping[str, Any]) -> CaseRead:
    return CaseRead.model_validate(fields(values))


def page(rows: Iterable[Mapping[str, Any]], cursor: str | None) -> CasePage:
    return CasePage.model_validate({"items": [fields(r) for r in rows], "next_cursor": cursor})


def present_step(step: CaseTransition) -> TransitionRead:
    return from_record(
        TransitionRead,
        step,
        from_=step.from_status,
        to=step.to_status,
        on=step.on_date,
        actor=step.created_by,
    )


def _refuse_second_open_case(ctx: WriteContext, known: repo.BeforeCreate) -> None:
    if known.open_case is None:
        return
    existing_id, commune = known.open_case
    problem = conflict(msg("open_case_exists"))
    # Name the open case only to a caller who may read it.
    if ctx.principal.can_read_any([commune]):
        problem.extra["existing_id"] = str(existing_id)
    raise problem


async def create(ctx: WriteContext, body: CaseCreate) -> dict[str, Any]:
    principal: Principal = ctx.principal
    today = today_vn()
    registered_on = body.registered_on or today
    check_not_future(registered_on, today, "body.registered_on")
    placed = place_commune(principal, body.commune_code, body.geography, registered_on)
    # The id, the household's open case and the norm: one query before the insert.
    known = await repo.before_create(
        ctx.session,
        body.id,
        body.household_code,
        body.beneficiary_group.value,
        body.support_type.value,
        registered_on,
    )
    if known.taken:
        raise conflict(msg("id_taken", what=word("case")))
    _refuse_second_open_case(ctx, known)
    case = Case(
        id=body.id or uuid.uuid4(),
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
    # The registration is the first step of the path, so history starts complete; it is
    # written with the case (one flush), and the case's answer is what was written.
    ctx.session.add(
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
    await cases.add(ctx, case, conflict=msg("case_or_open_case_exists"))
    # A new case has no funding yet.
    return repo.values_of(case) | dict.fromkeys(repo.SOURCES, 0) | {"norm_vnd": known.norm_vnd}


async def update(ctx: WriteContext, case_id: uuid.UUID, body: CaseUpdate) -> dict[str, Any]:
    case = await cases.take(ctx, case_id)
    for name in ("beneficiary_group", "support_type"):
        value = getattr(body, name)
        if name in body.model_fields_set and value is not None and value != getattr(case, name):
            status.check_classification_change(CaseStatus(case.status))
    cases.apply(ctx, case, body)
    await ctx.session.flush()
    return await repo.figures(ctx.session, case)


async def move(ctx: WriteContext, case_id: uuid.UUID, body: TransitionCreate) -> CaseTransition:
    case = await cases.take(ctx, case_id)
    status.PATH.require_approver(ctx.principal, body.to)
    step_id = await transitions.new_id(ctx.session, body.id)
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
    last = await repo.last_seq(ctx.session, case.id)
    await repo.supersede(ctx.session, case.id, last, on)
    step = CaseTransition(
        id=step_id,
        case_id=case.id,
        seq=last + 1,
        from_status=current.value,
        to_status=body.to.value,
        on_date=on,
        note=body.note or None,
        created_by=ctx.principal.key,
    )
    ctx.session.add(step)
    before = cases.snapshot(case)
    case.status = body.to.value
    case.status_on = on
    if dates.completed_on is not None:
        case.completed_on = dates.completed_on
    if dates.handed_over_on is not None:
        case.handed_over_on = dates.handed_over_on
    cases.changed(
        ctx, case, before, action="transition", extra={"transition_id": [None, str(step.id)]}
    )
    await flush_or_conflict(ctx.session, msg("case_moved_meanwhile"), type="invalid-state")
    return step
