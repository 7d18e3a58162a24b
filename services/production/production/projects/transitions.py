"""A project's status steps: each is checked by the status path and kept with its actor,
date and note."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.auth import Principal, require_approver
from mtqg_shared.pagination import ListParams, keyset, page_of
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext, bump, flush_or_conflict
from production.domain.dates import check_step_date
from production.domain.status import ProjectStatus, check_note, move, needs_approver
from production.models import Project, ProjectTransition
from production.projects.schemas import TransitionCreate, TransitionRead


def to_read(step: ProjectTransition) -> TransitionRead:
    return TransitionRead(
        id=step.id,
        created_at=step.created_at,
        updated_at=step.updated_at,
        created_by=step.created_by,
        version=step.version,
        project_id=step.project_id,
        from_=ProjectStatus(step.from_status) if step.from_status else None,
        to=ProjectStatus(step.to_status),
        on=step.on,
        note=step.note,
        actor=step.created_by,
    )


async def check_may_take(principal: Principal, to: ProjectStatus) -> None:
    """Approving and rejecting are approval steps: people with the approver role only."""
    if needs_approver(to):
        await require_approver(principal)


async def take_step(ctx: WriteContext, project: Project, body: TransitionCreate) -> TransitionRead:
    current = ProjectStatus(project.status)
    suspended_from = ProjectStatus(project.suspended_from) if project.suspended_from else None
    step = move(current, body.to, suspended_from)
    check_note(body.to, body.note)
    today = today_vn()
    on = body.on or today
    previous_on = project.status_on
    check_step_date(
        on,
        today=today,
        own_date=project.proposed_on,
        own_label="proposal date",
        previous=project.status_on,
    )
    project.status = step.to_status
    project.status_on = on
    project.suspended_from = step.suspended_from
    if step.to_status is ProjectStatus.approved:
        project.approved_on = on
    elif step.to_status is ProjectStatus.completed:
        project.completed_on = on
    bump(project)
    record = ProjectTransition(
        id=uuid.uuid4(),
        project_id=project.id,
        created_by=ctx.principal.key,
        version=1,
        from_status=step.from_status,
        to_status=step.to_status,
        on=on,
        note=body.note,
    )
    ctx.session.add(record)
    await flush_or_conflict(ctx.session, "The project changed meanwhile.")
    changes: dict[str, list[object]] = {
        "status": [str(step.from_status), str(step.to_status)],
        "status_on": [previous_on.isoformat(), on.isoformat()],
    }
    if body.note:
        changes["note"] = [None, body.note]
    ctx.audit("transition", "project", project.id, changes, project.commune_codes)
    return to_read(record)


async def listing(
    session: AsyncSession, project_id: uuid.UUID, params: ListParams
) -> tuple[list[TransitionRead], str | None]:
    stmt = select(ProjectTransition).where(ProjectTransition.project_id == project_id)
    stmt = keyset(
        stmt,
        params,
        ProjectTransition.created_at,
        ProjectTransition.updated_at,
        ProjectTransition.id,
    )
    rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, params)
    return [to_read(step) for step in items], cursor
