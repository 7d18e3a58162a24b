"""Creating, changing and presenting workers. Identity numbers are shown in full only to
officers and above, and the audit trail keeps them masked, like phone numbers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from labour.common import audit_move, values_of
from labour.domain.status import MIN_WORKER_AGE
from labour.domain.workers import fold_name, mask_national_id, may_see_national_id, old_enough
from labour.models import Worker
from labour.workers import repository as repo
from labour.workers.repository import TAKEN, workers
from labour.workers.schemas import WorkerCreate, WorkerRead, WorkerUpdate
from mtqg_shared.areas import place_commune
from mtqg_shared.auth import Principal
from mtqg_shared.errors import conflict
from mtqg_shared.kit.rows import AnyRow
from mtqg_shared.pagination import Page
from mtqg_shared.rules import RuleViolation
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext, diff, flush_or_conflict, refuse_nulls

# Changed as sent; the identity number, name, birth date and commune have their own rules.
_PLAIN = ("gender", "household_poverty", "ethnicity", "village", "household_code", "phone")


WorkerPage = Page[WorkerRead]


def mask_phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    return "*" * max(len(phone) - 3, 0) + phone[-3:]


def masked(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """{field: [old, new]} as the audit trail keeps it: personal numbers masked."""
    if "national_id" in changes:
        changes["national_id"] = [
            None if v is None else mask_national_id(v) for v in changes["national_id"]
        ]
    if "phone" in changes:
        changes["phone"] = [mask_phone(v) for v in changes["phone"]]
    return changes


def _full_ids(principal: Principal) -> bool:
    return may_see_national_id(
        is_person=principal.is_person, is_officer=principal.has_role("officer")
    )


def present(worker: Worker, principal: Principal, remittances_vnd: int) -> WorkerRead:
    """A worker record just written, with what their placements sent home."""
    full = _full_ids(principal)
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


def _shown(shown: list[dict[str, Any]], principal: Principal) -> list[dict[str, Any]]:
    """Answer rows as the caller may see them: identity numbers masked unless an officer's."""
    if not _full_ids(principal):
        for values in shown:
            values["national_id"] = mask_national_id(values["national_id"])
    return shown


def present_row(row: AnyRow, principal: Principal) -> WorkerRead:
    """A worker read as a row (`repository.read`), validated once into its answer."""
    return WorkerRead.model_validate(_shown(values_of((row,)), principal)[0])


def present_page(
    items: list[dict[str, Any]], cursor: str | None, principal: Principal
) -> WorkerPage:
    """A page of worker rows (`repository.page`, by column label), validated once into its
    answer."""
    return WorkerPage.model_validate({"items": _shown(items, principal), "next_cursor": cursor})


def _check_age(date_of_birth: dt.date) -> None:
    if not old_enough(date_of_birth, today_vn()):
        raise RuleViolation("body.date_of_birth", "out_of_range.min_age", age=MIN_WORKER_AGE)


async def create_worker(ctx: WriteContext, body: WorkerCreate) -> Worker:
    principal = ctx.principal
    placed = place_commune(principal, body.commune_code, body.geography, None)
    _check_age(body.date_of_birth)
    worker_id = await workers.new_id(ctx.session, body.id)
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
    # A taken identity number is refused by the unique column (the same 409 as a racing
    # request's), not by a query first: one round trip fewer.
    ctx.session.add(worker)
    await flush_or_conflict(ctx.session, TAKEN)
    ctx.audit(
        "create",
        workers.entity,
        worker.id,
        masked(diff({}, workers.snapshot(worker))),
        workers.communes(worker),
    )
    return worker


async def update_worker(ctx: WriteContext, worker_id: uuid.UUID, body: WorkerUpdate) -> Worker:
    """The worker locked, If-Match checked, then changed; moving commune moves the audit
    trail's communes with them (both the old and the new one see the change)."""
    principal = ctx.principal
    worker = await workers.take(ctx, worker_id)
    refuse_nulls(body, workers.required)
    sent = body.model_fields_set
    if "geography" in sent and "commune_code" not in sent:
        raise RuleViolation("body.geography", "unknown_field.without", other="commune_code")
    values: dict[str, Any] = {name: getattr(body, name) for name in _PLAIN if name in sent}
    if body.commune_code is not None:
        placed = place_commune(principal, body.commune_code, body.geography, None)
        values["commune_code"] = placed.commune_code
        values["legacy_commune_code"] = placed.legacy_commune_code
        values["legacy_district_code"] = placed.legacy_district_code
    if body.date_of_birth is not None:
        _check_age(body.date_of_birth)
        values["date_of_birth"] = body.date_of_birth
    if body.national_id is not None and body.national_id != worker.national_id:
        if await repo.national_id_taken(ctx.session, body.national_id, except_id=worker.id):
            raise conflict(TAKEN)
        values["national_id"] = body.national_id
    if body.full_name is not None:
        values["full_name"] = body.full_name
        values["name_folded"] = fold_name(body.full_name)
    before = workers.snapshot(worker)
    old_communes = workers.communes(worker)
    for name, value in values.items():
        setattr(worker, name, value)
    changes = masked(diff(before, workers.snapshot(worker)))
    audit_move(ctx, workers, worker, changes, old_communes)
    if changes:
        await flush_or_conflict(ctx.session, TAKEN)
    return worker
