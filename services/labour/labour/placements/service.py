"""What happens when a placement is registered, edited or moved along its status path."""

from __future__ import annotations

import uuid
from typing import Any

from labour.domain import status
from labour.domain.countries import HOME_COUNTRY, normalise_country
from labour.domain.status import PlacementStatus
from labour.models import Placement, PlacementStep, Worker
from labour.partners.service import check_partner_exists
from labour.placements import repository as repo
from labour.placements.repository import ACTIVE_EXISTS, placements
from labour.placements.schemas import (
    PlacementCreate,
    PlacementRead,
    PlacementUpdate,
    TransitionCreate,
    TransitionRead,
)
from labour.workers.repository import workers
from mtqg_shared.errors import Problem
from mtqg_shared.messages import msg, word
from mtqg_shared.rules import RuleViolation, StateConflict, check_not_future
from mtqg_shared.types import new_id, today_vn
from mtqg_shared.writes import WriteContext, refuse_nulls

MOVED_MEANWHILE = msg("changed_meanwhile", what=word("placement"))


def present(placement: Placement, remittances_vnd: int) -> PlacementRead:
    """A placement record just written, with the sum of its remittances."""
    p, w = placement, placement.worker
    return PlacementRead(
        id=p.id,
        created_at=p.created_at,
        updated_at=p.updated_at,
        created_by=p.created_by,
        version=p.version,
        commune_code=w.commune_code,
        legacy_commune_code=w.legacy_commune_code,
        legacy_district_code=w.legacy_district_code,
        worker_id=p.worker_id,
        destination_country=p.destination_country,
        scheme=p.scheme,
        partner_id=p.partner_id,
        employer=p.employer,
        sector=p.sector,
        contract_months=p.contract_months,
        monthly_salary_vnd=p.monthly_salary_vnd,
        registered_on=p.registered_on,
        status=PlacementStatus(p.status),
        departed_on=p.departed_on,
        returned_on=p.returned_on,
        withdrawn_on=p.withdrawn_on,
        remittances_vnd=remittances_vnd,
        notes=p.notes,
    )


def present_step(step: PlacementStep) -> TransitionRead:
    """A step just written."""
    return TransitionRead(
        id=step.id,
        created_at=step.created_at,
        updated_at=step.updated_at,
        created_by=step.created_by,
        version=step.version,
        placement_id=step.placement_id,
        seq=step.seq,
        from_=PlacementStatus(step.from_status) if step.from_status else None,
        to=PlacementStatus(step.to_status),
        on=step.on_date,
        note=step.note,
        actor=step.created_by,
    )


def _country(code: str, field: str) -> str:
    country = normalise_country(code)
    if country is None:
        raise RuleViolation(field, "invalid_format.country")
    if country == HOME_COUNTRY:
        raise RuleViolation(field, "invalid_choice.home_country")
    return country


def _check_worker(ctx: WriteContext, worker: Worker | None) -> Worker:
    """The worker a new placement is for: unknown or unreadable is a bad reference (422, the
    same answer either way); readable but outside the caller's areas is 422 too, as for any
    record created outside them."""
    if worker is None or not workers.area.may_read(ctx.principal, worker):
        raise RuleViolation("body.worker_id", "not_found", what=word("worker"))
    if not workers.area.may_write(ctx.principal, worker):
        raise RuleViolation("body.worker_id", "not_in_your_areas.record", what=word("worker"))
    return worker


def _step(
    placement: Placement,
    seq: int,
    to: PlacementStatus,
    on: Any,
    note: str | None,
    actor: str,
    from_status: PlacementStatus | None,
) -> PlacementStep:
    return PlacementStep(
        id=new_id(),
        created_by=actor,
        version=1,
        placement=placement,
        placement_id=placement.id,
        seq=seq,
        from_status=None if from_status is None else from_status.value,
        to_status=to.value,
        on_date=on,
        note=note or None,
    )


async def create(ctx: WriteContext, body: PlacementCreate) -> Placement:
    session = ctx.session
    today = today_vn()
    registered_on = body.registered_on or today
    check_not_future(registered_on, today, "body.registered_on")
    country = _country(body.destination_country, "body.destination_country")
    # The worker, their active placement and the partner in one query; refused in the order
    # worker, partner, id, active placement.
    found, existing, partner_exists = await repo.for_new_placement(
        session, body.worker_id, body.partner_id
    )
    worker = _check_worker(ctx, found)
    if body.partner_id is not None and not partner_exists:
        raise RuleViolation("body.partner_id", "not_found", what=word("partner"))
    placement_id = await placements.new_id(session, body.id)
    if existing is not None:
        raise Problem(409, ACTIVE_EXISTS, type="duplicate", existing_id=str(existing))
    placement = Placement(
        id=placement_id,
        created_by=ctx.principal.key,
        version=1,
        worker=worker,
        worker_id=worker.id,
        destination_country=country,
        scheme=body.scheme,
        partner_id=body.partner_id,
        employer=body.employer,
        sector=body.sector,
        contract_months=body.contract_months,
        monthly_salary_vnd=body.monthly_salary_vnd,
        registered_on=registered_on,
        status=PlacementStatus.REGISTERED.value,
        last_step_on=registered_on,
        notes=body.notes,
    )
    # The registration is the first step of the path, so the history starts complete. It is
    # written with the placement in one flush: only the placement can meet a unique rule (a
    # racing request's active placement), and that is the answer either way.
    session.add(
        _step(
            placement, 1, PlacementStatus.REGISTERED, registered_on, None, ctx.principal.key, None
        )
    )
    await placements.add(ctx, placement, conflict=ACTIVE_EXISTS)
    return placement


async def update(ctx: WriteContext, placement_id: uuid.UUID, body: PlacementUpdate) -> Placement:
    """The placement locked, If-Match checked, then changed; the country and scheme are
    fixed once the worker has departed."""
    placement = await placements.take(ctx, placement_id)
    refuse_nulls(body, placements.required)
    sent = body.model_fields_set
    values: dict[str, Any] = {name: getattr(body, name) for name in sent}
    if body.destination_country is not None:
        values["destination_country"] = _country(
            body.destination_country, "body.destination_country"
        )
    if "partner_id" in sent:
        await check_partner_exists(ctx.session, body.partner_id)
    departed = PlacementStatus(placement.status) in status.HAS_DEPARTED
    for name in ("destination_country", "scheme"):
        if name in values and values[name] != getattr(placement, name) and departed:
            raise StateConflict(msg("placement_departed", field=name))
    placements.apply(ctx, placement, values)
    await ctx.session.flush()
    return placement


async def move(ctx: WriteContext, placement_id: uuid.UUID, body: TransitionCreate) -> PlacementStep:
    """One step along the path: the placement locked (two racing steps wait for each other),
    the move, note and dates checked, the step numbered after the last one."""
    placement = await placements.take(ctx, placement_id)
    today = today_vn()
    current = PlacementStatus(placement.status)
    step = status.Step(to=body.to, on=body.on or today, note=body.note)
    status.PATH.require_approver(ctx.principal, step.to)
    status.check_step(
        current,
        step,
        today=today,
        not_before=placement.last_step_on,
        date_of_birth=placement.worker.date_of_birth,
    )
    dates = status.dates_after(
        step,
        status.Dates(placement.departed_on, placement.returned_on, placement.withdrawn_on),
    )
    seq = await repo.last_seq(ctx.session, placement.id) + 1
    row = _step(placement, seq, step.to, step.on, step.note, ctx.principal.key, current)
    before = placements.snapshot(placement)
    placement.status = step.to.value
    placement.last_step_on = step.on
    placement.departed_on = dates.departed_on
    placement.returned_on = dates.returned_on
    placement.withdrawn_on = dates.withdrawn_on
    placements.changed(
        ctx, placement, before, action="transition", extra={"transition_id": [None, str(row.id)]}
    )
    await repo.add_step(ctx.session, row, MOVED_MEANWHILE)
    return row
