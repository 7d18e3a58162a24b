"""Disbursements of a project's state support: by date and source, only once approved, never
beyond the approved support. Entries are never edited; a reversal undoes one."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.pagination import ListParams, keyset, page_of
from mtqg_shared.rules import RuleViolation, StateConflict
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext, bump, diff, ensure_new_id, flush_or_conflict
from production.domain.dates import check_not_future
from production.domain.funding import check_disbursement, reversal_amount
from production.domain.status import DISBURSABLE, ProjectStatus
from production.models import Disbursement, Project
from production.projects.schemas import DisbursementCreate, DisbursementRead
from production.records import audit_fields


def to_read(entry: Disbursement, reversed_by: uuid.UUID | None) -> DisbursementRead:
    return DisbursementRead(
        id=entry.id,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        created_by=entry.created_by,
        version=entry.version,
        project_id=entry.project_id,
        on=entry.on,
        source=entry.source,
        amount_vnd=entry.amount_vnd,
        reverses=entry.reverses_id,
        reversed_by=reversed_by,
        note=entry.note,
    )


async def _reversal(
    session: AsyncSession, project: Project, body: DisbursementCreate
) -> tuple[int, str]:
    """The amount and source of a reversal: the negative of the entry it undoes."""
    for name in ("amount_vnd", "source"):
        if getattr(body, name) is not None:
            raise RuleViolation(
                f"body.{name}", "is not given with reverses: it is the entry's own."
            )
    entry = (
        await session.execute(
            select(Disbursement).where(
                Disbursement.id == body.reverses, Disbursement.project_id == project.id
            )
        )
    ).scalar_one_or_none()
    if entry is None:
        raise RuleViolation("body.reverses", "names no disbursement of this project.")
    undone = (
        await session.execute(select(Disbursement.id).where(Disbursement.reverses_id == entry.id))
    ).first()
    amount = reversal_amount(
        entry.amount_vnd, is_reversal=entry.reverses_id is not None, already_reversed=bool(undone)
    )
    if body.on < entry.on:
        raise RuleViolation("body.on", f"may not be before the entry it reverses ({entry.on}).")
    return amount, entry.source


def _new_money(project: Project, body: DisbursementCreate) -> tuple[int, str]:
    if body.amount_vnd is None:
        raise RuleViolation("body.amount_vnd", "is required (or reverses, to undo an entry).")
    if body.source is None:
        raise RuleViolation("body.source", "is required (or reverses, to undo an entry).")
    if project.approved_on is not None and body.on < project.approved_on:
        raise RuleViolation(
            "body.on", f"may not be before the project's approval on {project.approved_on}."
        )
    check_disbursement(body.amount_vnd, project.disbursed_vnd, project.state_support_vnd)
    return body.amount_vnd, body.source


async def record(ctx: WriteContext, project: Project, body: DisbursementCreate) -> DisbursementRead:
    session = ctx.session
    # A replayed create (same client-made id) is a duplicate whatever has happened since.
    entry_id = await ensure_new_id(session, Disbursement, body.id, "disbursement")
    if project.status not in DISBURSABLE:
        raise StateConflict(
            "Disbursements are recorded while a project is approved, in progress or completed; "
            f"this one is {ProjectStatus(project.status)}."
        )
    check_not_future(body.on, today_vn(), "body.on")
    if body.reverses is not None:
        amount, source = await _reversal(session, project, body)
    else:
        amount, source = _new_money(project, body)
    entry = Disbursement(
        id=entry_id,
        project_id=project.id,
        created_by=ctx.principal.key,
        version=1,
        on=body.on,
        source=source,
        amount_vnd=amount,
        reverses_id=body.reverses,
        note=body.note,
    )
    session.add(entry)
    # The project carries its running total: the cap holds under the project's row lock.
    project.disbursed_vnd += amount
    bump(project)
    await flush_or_conflict(
        session,
        "This entry has already been reversed."
        if body.reverses
        else "A disbursement with this id already exists.",
    )
    read = to_read(entry, None)
    action = "reverse" if body.reverses else "create"
    changes = diff({}, audit_fields(read))
    ctx.audit(action, "disbursement", entry.id, changes, project.commune_codes)
    return read


async def listing(
    session: AsyncSession, project_id: uuid.UUID, params: ListParams
) -> tuple[list[DisbursementRead], str | None]:
    stmt = select(Disbursement).where(Disbursement.project_id == project_id)
    stmt = keyset(stmt, params, Disbursement.created_at, Disbursement.updated_at, Disbursement.id)
    rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, params)
    reversals: dict[uuid.UUID, uuid.UUID] = {}
    if items:
        found = await session.execute(
            select(Disbursement.reverses_id, Disbursement.id).where(
                Disbursement.reverses_id.in_([entry.id for entry in items])
            )
        )
        reversals = {undone: by for undone, by in found.all() if undone is not None}
    return [to_read(entry, reversals.get(entry.id)) for entry in items], cursor
