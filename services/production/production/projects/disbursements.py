"""Disbursements of a project's state support: by date and source, only once approved, never
beyond the approved support. Entries are never edited; a reversal undoes one (the kit's
`Ledger`)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Page, WriteContext
from mtqg_shared.messages import msg
from mtqg_shared.rules import StateConflict, check_not_before, check_not_future
from mtqg_shared.types import today_vn
from mtqg_shared.writes import bump
from production.domain.funding import check_disbursement
from production.domain.status import DISBURSABLE, ProjectStatus
from production.models import Disbursement
from production.projects import repository as repo
from production.projects.repository import disbursements, ledger, projects
from production.projects.schemas import DisbursementCreate, DisbursementRead
from production.records import RECORD_FIELDS


def present(entry: Disbursement) -> DisbursementRead:
    """A new entry: nothing has reversed it yet."""
    fields = {name: getattr(entry, name) for name in (*RECORD_FIELDS, *disbursements.audited)}
    return DisbursementRead.model_validate(fields | {"reversed_by": None})


async def record(
    ctx: WriteContext, project_id: uuid.UUID, body: DisbursementCreate
) -> Disbursement:
    # The project's row lock: the running total and its cap hold under racing entries.
    project = await projects.take(ctx, project_id)
    session = ctx.session
    # A replayed create (same client-made id) is a duplicate whatever has happened since.
    entry_id = await disbursements.new_id(session, body.id)
    if project.status not in DISBURSABLE:
        raise StateConflict(msg("disbursement_status", status=ProjectStatus(project.status)))
    check_not_future(body.on, today_vn(), "body.on")
    if ledger.form(body, ("amount_vnd", "source")):
        undone, tags = await ledger.reversal(session, project.id, body)
        amount = -undone.amount_vnd
    else:
        assert body.amount_vnd is not None and body.source is not None  # ledger.form
        if project.approved_on is not None:
            check_not_before(body.on, project.approved_on, "body.on", "project approval")
        check_disbursement(body.amount_vnd, project.disbursed_vnd, project.state_support_vnd)
        amount = body.amount_vnd
        tags = {"source": body.source.value, **ledger.new_tags(body)}
    entry = Disbursement(
        id=entry_id,
        project=project,
        created_by=ctx.principal.key,
        version=1,
        on=body.on,
        amount_vnd=amount,
        reverses_id=body.reverses,
        note=body.note,
        **tags,
    )
    project.disbursed_vnd += amount
    bump(project)
    return await disbursements.add(
        ctx,
        entry,
        action="reverse" if body.reverses else "create",
        conflict=ledger.conflict(),
    )


async def page(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    listing: ListParams,
    **filters: str | None,
) -> Page[DisbursementRead]:
    await repo.require_readable(session, principal, project_id)
    rows, cursor = await repo.disbursements_page(session, project_id, listing, **filters)
    return Page[DisbursementRead].model_validate({"items": rows, "next_cursor": cursor})


async def one(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, entry_id: uuid.UUID
) -> DisbursementRead:
    """An entry of this project (404 when the project is not the caller's, or not its)."""
    await repo.require_readable(session, principal, project_id)
    row = await repo.entry_rows.find(session, entry_id)
    if row is None or row.project_id != project_id:
        raise disbursements.not_found()
    return DisbursementRead.model_validate(row._asdict())
