"""A project's status steps: each is checked by the status path and kept with its number,
actor, date and note."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Page, WriteContext
from mtqg_shared.types import new_id, today_vn
from production.domain.dates import check_step_date
from production.domain.status import PROJECT_PATH, ProjectStatus, move, next_statuses
from production.models import ProjectTransition
from production.projects import repository as repo
from production.projects.repository import projects
from production.projects.schemas import TransitionCreate, TransitionRead


def present(step: ProjectTransition) -> TransitionRead:
    return TransitionRead.model_validate(step)


async def take_step(
    ctx: WriteContext, project_id: uuid.UUID, body: TransitionCreate
) -> ProjectTransition:
    project = await projects.take(ctx, project_id)
    PROJECT_PATH.require_approver(ctx.principal, body.to)
    current = ProjectStatus(project.status)
    suspended_from = ProjectStatus(project.suspended_from) if project.suspended_from else None
    PROJECT_PATH.check(
        current, body.to, note=body.note, allowed=next_statuses(current, suspended_from)
    )
    step = move(current, body.to, suspended_from)
    today = today_vn()
    on = body.on or today
    check_step_date(
        on,
        today=today,
        own_date=project.proposed_on,
        own_label="proposal date",
        previous=project.status_on,
    )
    before = projects.snapshot(project)
    project.status = step.to_status
    project.status_on = on
    project.suspended_from = step.suspended_from
    if step.to_status is ProjectStatus.APPROVED:
        project.approved_on = on
    elif step.to_status is ProjectStatus.COMPLETED:
        project.completed_on = on
    record = ProjectTransition(
        id=new_id(),
        project=project,
        seq=await repo.next_seq(ctx.session, project.id),
        created_by=ctx.principal.key,
        version=1,
        from_status=step.from_status,
        to_status=step.to_status,
        on=on,
        note=body.note,
    )
    await repo.add_step(ctx.session, record)
    extra = {"note": [None, body.note]} if body.note else None
    projects.changed(ctx, project, before, action="transition", extra=extra)
    return record


async def page(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, listing: ListParams
) -> Page[TransitionRead]:
    await repo.require_readable(session, principal, project_id)
    rows, cursor = await repo.steps_page(session, project_id, listing)
    return Page[TransitionRead].model_validate({"items": rows, "next_cursor": cursor})
