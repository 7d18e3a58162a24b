"""Households taking part in a project, with their poverty status."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Page, WriteContext
from mtqg_shared.messages import msg
from mtqg_shared.rules import StateConflict
from production.domain.status import TAKES_PARTICIPANTS, ProjectStatus
from production.models import Participant
from production.projects import repository as repo
from production.projects.repository import participants, projects
from production.projects.schemas import ParticipantCreate, ParticipantRead

_TWICE = msg("participant_twice")


def present(participant: Participant) -> ParticipantRead:
    return ParticipantRead.model_validate(participant)


async def add(ctx: WriteContext, project_id: uuid.UUID, body: ParticipantCreate) -> Participant:
    project = await projects.take(ctx, project_id)
    session = ctx.session
    if project.status not in TAKES_PARTICIPANTS:
        raise StateConflict(msg("participant_status", status=ProjectStatus(project.status)))
    participant_id = await participants.new_id(session, body.id)
    participant = Participant(
        id=participant_id,
        project=project,
        created_by=ctx.principal.key,
        version=1,
        household_code=body.household_code,
        household_poverty=body.household_poverty,
    )
    # A household already taking part is refused by the unique (project, household) rule,
    # with the same 409 as when two requests add it at once: no query of its own first.
    return await participants.add(ctx, participant, conflict=_TWICE)


async def page(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, listing: ListParams
) -> Page[ParticipantRead]:
    await repo.require_readable(session, principal, project_id)
    rows, cursor = await repo.participants_page(session, project_id, listing)
    return Page[ParticipantRead].model_validate({"items": rows, "next_cursor": cursor})


async def one(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, participant_id: uuid.UUID
) -> ParticipantRead:
    """A participant of this project (404 when the project is not the caller's, or not its)."""
    await repo.require_readable(session, principal, project_id)
    row = await repo.participant_rows.find(session, participant_id)
    if row is None or row.project_id != project_id:
        raise participants.not_found()
    return ParticipantRead.model_validate(row._asdict())
