"""Households taking part in a project, with their poverty status."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.errors import conflict
from mtqg_shared.pagination import ListParams, keyset, page_of
from mtqg_shared.rules import StateConflict
from mtqg_shared.writes import WriteContext, diff, ensure_new_id, flush_or_conflict
from production.domain.status import TAKES_PARTICIPANTS, ProjectStatus
from production.models import Participant, Project
from production.projects.schemas import ParticipantCreate, ParticipantRead
from production.records import audit_fields

_TWICE = "This household already takes part in this project."


def to_read(participant: Participant) -> ParticipantRead:
    return ParticipantRead.model_validate(participant, from_attributes=True)


async def add(ctx: WriteContext, project: Project, body: ParticipantCreate) -> ParticipantRead:
    session = ctx.session
    if project.status not in TAKES_PARTICIPANTS:
        raise StateConflict(
            f"Households join a project that is still going on; this one is "
            f"{ProjectStatus(project.status)}."
        )
    participant_id = await ensure_new_id(session, Participant, body.id, "participant")
    twice = (
        await session.execute(
            select(Participant.id).where(
                Participant.project_id == project.id,
                Participant.household_code == body.household_code,
            )
        )
    ).first()
    if twice is not None:
        raise conflict(_TWICE)
    participant = Participant(
        id=participant_id,
        project_id=project.id,
        created_by=ctx.principal.key,
        version=1,
        household_code=body.household_code,
        household_poverty=body.household_poverty,
    )
    session.add(participant)
    await flush_or_conflict(session, _TWICE)
    read = to_read(participant)
    changes = diff({}, audit_fields(read))
    ctx.audit("create", "participant", participant.id, changes, project.commune_codes)
    return read


async def listing(
    session: AsyncSession, project_id: uuid.UUID, params: ListParams
) -> tuple[list[ParticipantRead], str | None]:
    stmt = select(Participant).where(Participant.project_id == project_id)
    stmt = keyset(stmt, params, Participant.created_at, Participant.updated_at, Participant.id)
    rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, params)
    return [to_read(participant) for participant in items], cursor
