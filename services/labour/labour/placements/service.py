"""What happens when a placement is registered, edited or moved along its status path."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request

from labour.domain import status
from labour.domain.countries import HOME_COUNTRY, normalise_country
from labour.domain.status import PlacementStatus
from labour.models import Placement, PlacementStep, Worker
from labour.partners.service import check_partner_exists
from labour.placements.repository import PlacementRow, active_placement_of, last_seq
from labour.placements.schemas import (
    REQUIRED_ON_UPDATE,
    PlacementCreate,
    PlacementRead,
    PlacementUpdate,
    TransitionCreate,
    TransitionRead,
)
from mtqg_shared.areas import require_writable
from mtqg_shared.errors import Problem
from mtqg_shared.rules import RuleViolation, StateConflict
from mtqg_shared.types import today_vn
from mtqg_shared.writes import (
    WriteContext,
    bump,
    check_if_match,
    diff,
    ensure_new_id,
    flush_or_conflict,
    refuse_nulls,
)

ENTITY = "placement"
AUDITED = (
    "worker_id",
    "destination_country",
    "scheme",
    "partner_id",
    "employer",
    "sector",
    "contract_months",
    "monthly_salary_vnd",
    "registered_on",
    "status",
    "departed_on",
    "returned_on",
    "withdrawn_on",
    "notes",
)
ACTIVE_EXISTS = "This worker already has an active placement."


def snapshot(placement: Placement) -> dict[str, Any]:
    return {name: getattr(placement, name) for name in AUDITED}


def to_read(row: PlacementRow) -> PlacementRead:
    p = row.placement
    return PlacementRead(
        id=p.id,
        created_at=p.created_at,
        updated_at=p.updated_at,
        created_by=p.created_by,
        version=p.version,
        commune_code=row.commune_code,
        legacy_commune_code=row.legacy_commune_code,
        legacy_district_code=row.legacy_district_code,
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
        remittances_vnd=row.remittances_vnd,
        notes=p.notes,
    )


def row_of(placement: Placement, worker: Worker, remittances_vnd: int) -> PlacementRow:
    return PlacementRow(
        placement,
        worker.commune_code,
        worker.legacy_commune_code,
        worker.legacy_district_code,
        remittances_vnd,
    )


def transition_read(step: PlacementStep) -> TransitionRead:
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
        raise RuleViolation(field, "not an ISO 3166-1 alpha-2 country code")
    if country == HOME_COUNTRY:
        raise RuleViolation(field, "a placement abroad cannot be in Viet Nam")
    return country


async def _worker_for(ctx: WriteContext, worker_id: uuid.UUID) -> Worker:
    """The worker a new placement is for: unknown or unreadable is a bad reference (422, the
    same answer either way); readable but outside the caller's areas is 422 too, as for any
    record created outside them."""
    worker = await ctx.session.get(Worker, worker_id)
    if worker is None or not ctx.principal.can_read_any([worker.commune_code]):
        raise RuleViolation("body.worker_id", "No such worker.")
    if not ctx.principal.can_write_all([worker.commune_code]):
        raise RuleViolation("body.worker_id", "This worker lies outside your areas.")
    return worker


def _step(
    placement: Placement,
    seq: int,
    to: str,
    on: Any,
    note: str | None,
    actor: str,
    from_status: str | None,
) -> PlacementStep:
    return PlacementStep(
        id=uuid.uuid4(),
        created_by=actor,
        version=1,
        placement_id=placement.id,
        seq=seq,
        from_status=from_status,
        to_status=to,
        on_date=on,
        note=note or None,
    )


async def create(ctx: WriteContext, body: PlacementCreate) -> tuple[Placement, Worker]:
    session = ctx.session
    today = today_vn()
    registered_on = body.registered_on or today
    if registered_on > today:
        raise RuleViolation("body.registered_on", "may not be in the future")
    country = _country(body.destination_country, "body.destination_country")
    worker = await _worker_for(ctx, body.worker_id)
    await check_partner_exists(session, body.partner_id)
    placement_id = await ensure_new_id(session, Placement, body.id, "placement")
    existing = await active_placement_of(session, worker.id)
    if existing is not None:
        raise Problem(409, ACTIVE_EXISTS, type="duplicate", existing_id=str(existing))
    placement = Placement(
        id=placement_id,
        created_by=ctx.principal.key,
        version=1,
        worker_id=worker.id,
        destination_country=country,
        scheme=body.scheme,
        partner_id=body.partner_id,
        employer=body.employer,
        sector=body.sector,
        contract_months=body.contract_months,
        monthly_salary_vnd=body.monthly_salary_vnd,
        registered_on=registered_on,
        status=PlacementStatus.registered.value,
        last_step_on=registered_on,
        notes=body.notes,
    )
    session.add(placement)
    await flush_or_conflict(session, ACTIVE_EXISTS)
    # The registration is the first step of the path, so the history starts complete.
    session.add(_step(placement, 1, placement.status, registered_on, None, ctx.principal.key, None))
    await flush_or_conflict(session, ACTIVE_EXISTS)
    ctx.audit("create", ENTITY, placement.id, diff({}, snapshot(placement)), [worker.commune_code])
    return placement, worker


async def update(
    ctx: WriteContext,
    request: Request,
    placement: Placement,
    worker: Worker,
    body: PlacementUpdate,
) -> Placement:
    require_writable(ctx.principal, [worker.commune_code], ENTITY)
    check_if_match(request, placement.version)
    sent = body.model_fields_set
    refuse_nulls(body, REQUIRED_ON_UPDATE)
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
            raise StateConflict(f"{name} cannot change once the worker has departed.")
    before = snapshot(placement)
    for name, value in values.items():
        setattr(placement, name, value)
    changes = diff(before, snapshot(placement))
    if changes:
        bump(placement)
        ctx.audit("update", ENTITY, placement.id, changes, [worker.commune_code])
        await ctx.session.flush()
    return placement


async def move(
    ctx: WriteContext, placement: Placement, worker: Worker, body: TransitionCreate
) -> PlacementStep:
    require_writable(ctx.principal, [worker.commune_code], ENTITY)
    today = today_vn()
    current = PlacementStatus(placement.status)
    step = status.Step(to=body.to, on=body.on or today, note=body.note)
    status.check_step(
        current,
        step,
        today=today,
        not_before=placement.last_step_on,
        date_of_birth=worker.date_of_birth,
    )
    dates = status.dates_after(
        step,
        status.Dates(placement.departed_on, placement.returned_on, placement.withdrawn_on),
    )
    before = snapshot(placement)
    placement.status = step.to.value
    placement.last_step_on = step.on
    placement.departed_on = dates.departed_on
    placement.returned_on = dates.returned_on
    placement.withdrawn_on = dates.withdrawn_on
    bump(placement)
    seq = await last_seq(ctx.session, placement.id) + 1
    row = _step(placement, seq, step.to.value, step.on, step.note, ctx.principal.key, current.value)
    ctx.session.add(row)
    changes = diff(before, snapshot(placement)) | {"transition_id": [None, str(row.id)]}
    ctx.audit("transition", ENTITY, placement.id, changes, [worker.commune_code])
    await flush_or_conflict(
        ctx.session, "The placement moved meanwhile; read it again.", type="invalid-state"
    )
    return row
