"""Linkage projects and the records under them (status steps, disbursements, participating
households) as resources: every query about them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import Ledger, ListParams, Resource
from mtqg_shared.kit.filters import where_given
from mtqg_shared.pagination import page_of
from mtqg_shared.writes import flush_or_conflict
from production.models import Disbursement, Participant, Project, ProjectPlace, ProjectTransition
from production.places import Places, legacy_districts, spread
from production.projects.schemas import DisbursementRead, ParticipantRead, ProjectRead
from production.records import contract_fields
from production.web import PREFIX


def _under_project(owner_id: Any) -> Any:
    """A project's area rule, or that of the records under it (by their `project_id`)."""
    return spread(
        owner_id,
        ProjectPlace.project_id,
        ProjectPlace.commune_code,
        ProjectPlace.legacy_commune_code,
        of=lambda record: (record if isinstance(record, Project) else record.project).commune_codes,
    )


projects = Resource(
    Project,
    "project",
    area=_under_project(Project.id),
    audited=contract_fields(ProjectRead),
    prefix=PREFIX,
    path="projects",
)
steps = Resource(
    ProjectTransition,
    "project step",
    entity="project_transition",
    area=_under_project(ProjectTransition.project_id),
    audited=("project_id", "seq", "from_status", "to_status", "on", "note"),
    prefix=PREFIX,
    path="projects",
)
disbursements = Resource(
    Disbursement,
    "disbursement",
    area=_under_project(Disbursement.project_id),
    audited=contract_fields(DisbursementRead, besides=("reversed_by",)),
    prefix=PREFIX,
    path="projects",
)
participants = Resource(
    Participant,
    "participant",
    area=_under_project(Participant.project_id),
    audited=contract_fields(ParticipantRead),
    prefix=PREFIX,
    path="projects",
)
ledger: Ledger[Disbursement] = Ledger(
    Disbursement, Disbursement.project_id, name="disbursement", owner_name="project"
)


def location_under(project_id: uuid.UUID, kind: str, id_: uuid.UUID) -> str:
    """Where a record under a project is listed: its project's collection of that kind."""
    return f"{projects.location(project_id)}/{kind}/{id_}"


# -- projects ---------------------------------------------------------------------------


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    filters: dict[str, Any],
    household_code: str | None,
) -> tuple[list[Project], str | None]:
    stmt = where_given(
        projects.visible(principal, area),
        *((getattr(Project, name), value) for name, value in filters.items()),
    )
    if household_code is not None:
        stmt = stmt.where(
            exists().where(
                Participant.project_id == Project.id,
                Participant.household_code == household_code,
            )
        )
    return await projects.page(session, stmt, listing)


async def code_taken(session: AsyncSession, code: str, own: uuid.UUID) -> bool:
    found = await session.execute(
        select(Project.id).where(Project.code == code, Project.id != own).limit(1)
    )
    return found.first() is not None


async def replace_places(
    session: AsyncSession, project: Project, places: Places, *, new: bool = False
) -> None:
    """The project's place rows and the copy of its communes kept on the record."""
    if not new:
        await session.execute(delete(ProjectPlace).where(ProjectPlace.project_id == project.id))
    project.commune_codes = places.commune_codes
    project.legacy_commune_codes = places.legacy_commune_codes
    project.legacy_district_codes = legacy_districts(places)
    session.add_all(
        ProjectPlace(project_id=project.id, commune_code=current, legacy_commune_code=legacy)
        for current, legacy in places.rows
    )


async def save_code(session: AsyncSession) -> None:
    """Write a changed project now: a code another request took meanwhile is 409."""
    await flush_or_conflict(session, "A project with this code already exists.")


# -- status steps -----------------------------------------------------------------------


async def next_seq(session: AsyncSession, project_id: uuid.UUID) -> int:
    last = await session.scalar(
        select(func.max(ProjectTransition.seq)).where(ProjectTransition.project_id == project_id)
    )
    return int(last or 0) + 1


async def add_step(session: AsyncSession, step: ProjectTransition) -> None:
    """A step is kept on the project's audit row (its `transition`), not on its own."""
    session.add(step)
    await flush_or_conflict(session, "The project changed meanwhile.", type="invalid-state")


async def steps_page(
    session: AsyncSession, project_id: uuid.UUID, listing: ListParams
) -> tuple[list[ProjectTransition], str | None]:
    stmt = select(ProjectTransition).where(ProjectTransition.project_id == project_id)
    return await steps.page(session, stmt, listing)


# -- disbursements ----------------------------------------------------------------------

# A page of entries in one query: each row with the id of the entry that reversed it.
_ENTRY_COLUMNS = (
    Disbursement.id,
    Disbursement.created_at,
    Disbursement.updated_at,
    Disbursement.created_by,
    Disbursement.version,
    Disbursement.project_id,
    Disbursement.on,
    Disbursement.source,
    Disbursement.amount_vnd,
    Disbursement.reverses_id.label("reverses"),
    ledger.reversed_by(),
    Disbursement.note,
)


async def disbursements_page(
    session: AsyncSession, project_id: uuid.UUID, listing: ListParams
) -> tuple[list[Row[Any]], str | None]:
    stmt = select(*_ENTRY_COLUMNS).where(Disbursement.project_id == project_id)
    rows = (await session.execute(disbursements.keyset(stmt, listing))).all()
    return page_of(rows, listing)


# -- participants -----------------------------------------------------------------------


async def takes_part(session: AsyncSession, project_id: uuid.UUID, household_code: str) -> bool:
    found = await session.execute(
        select(Participant.id)
        .where(Participant.project_id == project_id, Participant.household_code == household_code)
        .limit(1)
    )
    return found.first() is not None


async def participants_page(
    session: AsyncSession, project_id: uuid.UUID, listing: ListParams
) -> tuple[list[Participant], str | None]:
    stmt = select(Participant).where(Participant.project_id == project_id)
    return await participants.page(session, stmt, listing)
