"""Creating, changing and presenting workers. Identity numbers are shown in full only to
officers and above, and the audit trail keeps them masked, like phone numbers."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from labour.domain.workers import fold_name, mask_national_id, may_see_national_id, old_enough
from labour.models import Worker
from labour.workers.repository import national_id_taken
from labour.workers.schemas import REQUIRED_ON_UPDATE, WorkerCreate, WorkerRead, WorkerUpdate
from mtqg_shared.areas import place_commune, require_writable
from mtqg_shared.auth import Principal
from mtqg_shared.errors import conflict
from mtqg_shared.rules import RuleViolation
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

ENTITY = "worker"
TAKEN = "A worker with this identity number already exists."
_FIELDS = (
    "national_id",
    "full_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "commune_code",
    "legacy_commune_code",
    "legacy_district_code",
    "village",
    "household_code",
    "household_poverty",
    "phone",
)


def mask_phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    return "*" * max(len(phone) - 3, 0) + phone[-3:]


def snapshot(worker: Worker) -> dict[str, Any]:
    return {name: getattr(worker, name) for name in _FIELDS}


def audit_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} as the audit trail keeps it: personal numbers masked."""
    changes = diff(before, after)
    if "national_id" in changes:
        changes["national_id"] = [
            None if v is None else mask_national_id(v) for v in changes["national_id"]
        ]
    if "phone" in changes:
        changes["phone"] = [mask_phone(v) for v in changes["phone"]]
    return changes


def present(worker: Worker, remittances_vnd: int, principal: Principal) -> WorkerRead:
    full = may_see_national_id(
        is_person=principal.is_person, is_officer=principal.has_role("officer")
    )
    return WorkerRead(
        id=worker.id,
        created_at=worker.created_at,
        updated_at=worker.updated_at,
        created_by=worker.created_by,
        version=worker.version,
        commune_code=worker.commune_code,
        legacy_commune_code=worker.legacy_commune_code,
        legacy_district_code=worker.legacy_district_code,
        national_id=worker.national_id if full else mask_national_id(worker.national_id),
        full_name=worker.full_name,
        date_of_birth=worker.date_of_birth,
        gender=worker.gender,
        ethnicity=worker.ethnicity,
        village=worker.village,
        household_code=worker.household_code,
        household_poverty=worker.household_poverty,
        phone=worker.phone,
        remittances_vnd=remittances_vnd,
    )


def _check_age(date_of_birth: Any) -> None:
    if not old_enough(date_of_birth, today_vn()):
        raise RuleViolation("body.date_of_birth", "A worker must be 15 or older.")


async def create_worker(ctx: WriteContext, body: WorkerCreate) -> Worker:
    principal = ctx.principal
    placed = place_commune(principal, body.commune_code, body.geography, None)
    _check_age(body.date_of_birth)
    worker_id = await ensure_new_id(ctx.session, Worker, body.id, "worker")
    if await national_id_taken(ctx.session, body.national_id):
        raise conflict(TAKEN)
    worker = Worker(
        id=worker_id,
        created_by=principal.key,
        version=1,
        national_id=body.national_id,
        full_name=body.full_name,
        name_folded=fold_name(body.full_name),
        date_of_birth=body.date_of_birth,
        gender=body.gender,
        ethnicity=body.ethnicity,
        commune_code=placed.commune_code,
        legacy_commune_code=placed.legacy_commune_code,
        legacy_district_code=placed.legacy_district_code,
        village=body.village,
        household_code=body.household_code,
        household_poverty=body.household_poverty,
        phone=body.phone,
    )
    ctx.session.add(worker)
    await flush_or_conflict(ctx.session, TAKEN)
    ctx.audit(
        "create", ENTITY, worker.id, audit_changes({}, snapshot(worker)), [worker.commune_code]
    )
    return worker


async def update_worker(
    ctx: WriteContext, request: Request, worker: Worker, body: WorkerUpdate
) -> Worker:
    principal = ctx.principal
    require_writable(principal, [worker.commune_code], ENTITY)
    check_if_match(request, worker.version)
    sent = body.model_fields_set
    refuse_nulls(body, REQUIRED_ON_UPDATE)
    if "geography" in sent and "commune_code" not in sent:
        raise RuleViolation("body.geography", "geography is given only with commune_code.")
    before = snapshot(worker)
    old_communes = [worker.commune_code]
    if body.commune_code is not None:
        placed = place_commune(principal, body.commune_code, body.geography, None)
        worker.commune_code = placed.commune_code
        worker.legacy_commune_code = placed.legacy_commune_code
        worker.legacy_district_code = placed.legacy_district_code
    if body.date_of_birth is not None:
        _check_age(body.date_of_birth)
        worker.date_of_birth = body.date_of_birth
    if body.national_id is not None and body.national_id != worker.national_id:
        if await national_id_taken(ctx.session, body.national_id, except_id=worker.id):
            raise conflict(TAKEN)
        worker.national_id = body.national_id
    if body.full_name is not None:
        worker.full_name = body.full_name
        worker.name_folded = fold_name(body.full_name)
    for name in ("gender", "household_poverty"):
        if name in sent:
            setattr(worker, name, getattr(body, name))
    for name in ("ethnicity", "village", "household_code", "phone"):
        if name in sent:
            setattr(worker, name, getattr(body, name))
    changes = audit_changes(before, snapshot(worker))
    if changes:
        bump(worker)
        await flush_or_conflict(ctx.session, TAKEN)
        ctx.audit("update", ENTITY, worker.id, changes, {*old_communes, worker.commune_code})
    return worker
