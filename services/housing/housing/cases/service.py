"""What happens when a case is created, edited or moved along its status path."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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
from housing.models import CaseTransition
from mtqg_shared.admin_units import PlacedCommune
from mtqg_shared.areas import geography_of, place_commune
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem, conflict
from mtqg_shared.kit.importing import RowsRefused
from mtqg_shared.kit.present import present as from_record
from mtqg_shared.messages import msg, word
from mtqg_shared.rules import RuleViolation, check_not_future
from mtqg_shared.types import new_id, today_vn, utcnow
from mtqg_shared.writes import IN_PARTS, WriteContext, flush_or_conflict


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


# Bodies checked against the cases already written in one query per chunk (its ids and
# households are that query's parameters: within SQLite's limit of 32,766).
CHUNK = 5_000


@dataclass(slots=True)
class _Placed:
    """A body past the rules that need no query: its date and its place."""

    body: CaseCreate
    registered_on: dt.date
    placed: PlacedCommune


def _place(principal: Principal, body: CaseCreate, today: dt.date) -> _Placed:
    registered_on = body.registered_on or today
    check_not_future(registered_on, today, "body.registered_on")
    placed = place_commune(principal, body.commune_code, body.geography, registered_on)
    return _Placed(body, registered_on, placed)


def _refuse_taken(id_: uuid.UUID | None, known: repo.Known, earlier: set[uuid.UUID]) -> None:
    """A client-made id already written, or given to an earlier case of the same call."""
    if id_ is not None and (id_ in known.taken or id_ in earlier):
        raise conflict(msg("id_taken", what=word("case")))


def _refuse_second_open_case(ctx: WriteContext, open_case: tuple[uuid.UUID, str] | None) -> None:
    if open_case is None:
        return
    existing_id, commune = open_case
    problem = conflict(msg("open_case_exists"))
    # Name the open case only to a caller who may read it.
    if ctx.principal.can_read_any([commune]):
        problem.extra["existing_id"] = str(existing_id)
    raise problem


class _Record(dict[str, Any]):
    """A new case's columns by name, read as attributes where the kit reads a record (its
    communes, its path)."""

    def __getattr__(self, name: str) -> Any:
        return self[name]


def _new_case(ctx: WriteContext, p: _Placed, now: dt.datetime) -> _Record:
    body, placed = p.body, p.placed
    return _Record(
        id=body.id or new_id(),
        created_at=now,
        updated_at=now,
        created_by=ctx.principal.key,
        version=1,
        commune_code=placed.commune_code,
        legacy_commune_code=placed.legacy_commune_code,
        legacy_district_code=placed.legacy_district_code,
        household_code=body.household_code,
        head_of_household=body.head_of_household,
        village=body.village,
        geography=geography_of(body.geography, p.registered_on),
        beneficiary_group=body.beneficiary_group.value,
        support_type=body.support_type.value,
        registered_on=p.registered_on,
        notes=body.notes,
        status=CaseStatus.REGISTERED.value,
        status_on=p.registered_on,
        completed_on=None,
        handed_over_on=None,
    )


def _first_step(case: _Record) -> dict[str, Any]:
    """The registration is the first step of the path, so history starts complete."""
    return {
        "id": new_id(),
        "created_at": case["created_at"],
        "updated_at": case["created_at"],
        "created_by": case["created_by"],
        "version": 1,
        "case_id": case["id"],
        "seq": 1,
        "from_status": None,
        "to_status": CaseStatus.REGISTERED.value,
        "on_date": case["registered_on"],
        "superseded_on": None,
        "note": None,
    }


@dataclass(slots=True)
class Ready:
    """A body with what its case needs no query for (`prepare`): its place and its new
    record, or the refusal of its date or place."""

    placed: _Placed | None
    case: _Record | None
    refused: Problem | RuleViolation | None = None


# The write's day and time, read once: its new cases' registration default and clock.
_CLOCK = "housing.cases.clock"


def prepare(ctx: WriteContext, body: CaseCreate) -> Ready:
    """A new case's rules and record that need no database: what an import makes of each
    row as it reads it (`Importable.prepare`), and `create_many` of each body."""
    clock = ctx.memo.get(_CLOCK)
    if clock is None:
        clock = ctx.memo[_CLOCK] = (today_vn(), utcnow())
    today, now = clock
    try:
        placed = _place(ctx.principal, body, today)
    except (Problem, RuleViolation) as exc:
        return Ready(None, None, exc)
    return Ready(placed, _new_case(ctx, placed, now))


async def _checked(
    ctx: WriteContext, ready: Sequence[Ready]
) -> tuple[list[_Record], list[tuple[int, Problem | RuleViolation]]]:
    """Every rule of a new case, for each body in order, as if each were created after the
    ones before it: the cases that may be written, and the refusals by index."""
    cases.require_admitted(ctx.principal)
    # Written set-based, not through `cases.add`: the period lock asked here, read once.
    guard = await cases.guards(ctx)
    norms = await repo.norms_of(ctx)
    new: list[_Record] = []
    failures: list[tuple[int, Problem | RuleViolation]] = []
    ids: set[uuid.UUID] = set()
    open_cases: dict[str, tuple[uuid.UUID, str]] = {}
    for start in range(0, len(ready), CHUNK):
        placed: list[tuple[int, _Placed, _Record]] = []
        for index, one in enumerate(ready[start : start + CHUNK], start):
            if one.placed is None or one.case is None:
                assert one.refused is not None
                failures.append((index, one.refused))
            else:
                placed.append((index, one.placed, one.case))
        known = await repo.known(
            ctx.session,
            [p.body.id for _, p, _ in placed if p.body.id is not None],
            [p.body.household_code for _, p, _ in placed],
        )
        for index, p, case in placed:
            household = p.body.household_code
            try:
                _refuse_taken(p.body.id, known, ids)
                _refuse_second_open_case(
                    ctx, known.open_cases.get(household) or open_cases.get(household)
                )
                guard(case)
            except Problem as exc:
                failures.append((index, exc))
                continue
            case["norm_vnd"] = norms.in_force(
                case["beneficiary_group"], case["support_type"], p.registered_on
            )
            ids.add(case["id"])
            open_cases[household] = (case["id"], case["commune_code"])
            new.append(case)
    failures.sort(key=lambda failure: failure[0])
    return new, failures


async def _write(ctx: WriteContext, new: Sequence[_Record]) -> list[dict[str, Any]]:
    """Write checked cases, their first steps, audit rows and change-feed notes (made while
    the database stores the cases); each case's answer is what was written (a new case has
    no funding yet)."""
    # The records hold the table's columns and the answer's `norm_vnd`: only the columns are
    # written. The first steps are made while the cases are stored.
    steps: asyncio.Future[list[dict[str, Any]]] = asyncio.get_running_loop().create_future()

    def first_steps() -> None:
        steps.set_result([_first_step(case) for case in new])

    try:
        await ctx.insert_new(cases, new, repo.insert_new(ctx.session, new, steps), first_steps)
    except repo.Lost:
        if not ctx.session.info.get(IN_PARTS):
            await ctx.session.rollback()
        raise conflict(msg("case_or_open_case_exists")) from None
    no_funding = dict.fromkeys(repo.SOURCES, 0)
    for case in new:
        case.update(no_funding)  # the answer: what was written, with no funding yet
    return list(new)


async def create_many(ctx: WriteContext, bodies: Sequence[CaseCreate]) -> list[dict[str, Any]]:
    """New cases, each under every rule of `create` (also against the bodies before it: an
    id or a household's open case given twice is refused the second time), written
    set-based: all of them, or none and `RowsRefused` naming each refused body's index with
    the very problem its single create raises (a `Problem`, or a `RuleViolation` for a broken
    date)."""
    return await create_ready(ctx, [prepare(ctx, body) for body in bodies])


async def create_ready(ctx: WriteContext, ready: Sequence[Ready]) -> list[dict[str, Any]]:
    """`create_many` of bodies already `prepare`d (an import's rows, as they were read)."""
    new, failures = await _checked(ctx, ready)
    if failures:
        raise RowsRefused(failures)
    return await _write(ctx, new)


async def create(ctx: WriteContext, body: CaseCreate) -> dict[str, Any]:
    """One new case: `create_many` of one body, refused with its own problem."""
    new, failures = await _checked(ctx, [prepare(ctx, body)])
    if failures:
        raise failures[0][1]
    return (await _write(ctx, new))[0]


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
