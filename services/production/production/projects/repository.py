"""Linkage projects and the records under them (status steps, disbursements, participating
households) as resources: every query about them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, exists, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import Ledger, ListParams, Resource
from mtqg_shared.kit.rows import AreaConditions, Equal, Params, Rows
from mtqg_shared.messages import msg, word
from mtqg_shared.writes import flush_or_conflict
from production.models import Disbursement, Participant, Project, ProjectPlace, ProjectTransition
from production.places import Places, legacy_districts, spread
from production.projects.schemas import DisbursementRead, ParticipantRead, ProjectRead
from production.records import contract_fields
from production.web import PREFIX


def _under_project(owner_id: Any, of: Callable[[Any], Sequence[str]]) -> Any:
    """A project's area rule, or that of the records under it (by their `project_id`)."""
    return spread(
        owner_id,
        ProjectPlace.project_id,
        ProjectPlace.commune_code,
        ProjectPlace.legacy_commune_code,
        of=of,
    )


def _own_communes(record: Any) -> Sequence[str]:
    """A project's communes (of its record, or of a row read with them)."""
    return record.commune_codes  # type: ignore[no-any-return]


def _project_communes(record: Any) -> Sequence[str]:
    """The communes of the project a record lies under."""
    return record.project.commune_codes  # type: ignore[no-any-return]


projects = Resource(
    Project,
    "project",
    area=_under_project(Project.id, _own_communes),
    audited=contract_fields(ProjectRead),
    dated="start_on",
    counted=(
        "crop",
        "commune_codes",
        "legacy_commune_codes",
        "total_cost_vnd",
        "state_support_vnd",
        "households",
        "poor_households",
        "near_poor_households",
    ),
    stepped="status_on",
    prefix=PREFIX,
    path="projects",
)
steps = Resource(
    ProjectTransition,
    "project step",
    entity="project_transition",
    area=_under_project(ProjectTransition.project_id, _project_communes),
    audited=("project_id", "seq", "from_status", "to_status", "on", "note"),
    prefix=PREFIX,
    path="projects",
)
disbursements = Resource(
    Disbursement,
    "disbursement",
    area=_under_project(Disbursement.project_id, _project_communes),
    audited=contract_fields(DisbursementRead, besides=("reversed_by",)),
    dated="on",
    prefix=PREFIX,
    path="projects",
    item="projects/{project_id}/disbursements/{id}",
)
participants = Resource(
    Participant,
    "participant",
    area=_under_project(Participant.project_id, _project_communes),
    audited=contract_fields(ParticipantRead),
    prefix=PREFIX,
    path="projects",
    item="projects/{project_id}/participants/{id}",
)
ledger: Ledger[Disbursement] = Ledger(
    Disbursement,
    Disbursement.project_id,
    name="disbursement",
    owner_name="project",
    service="production",
)


def location_under(project_id: uuid.UUID, kind: str, id_: uuid.UUID) -> str:
    """Where a record under a project is listed: its project's collection of that kind."""
    return f"{projects.location(project_id)}/{kind}/{id_}"


# -- projects ---------------------------------------------------------------------------


# Reads: statements built once (see mtqg_shared.kit.rows), of the tables' columns labelled by the
# answers' field names.
_project, _place = Project.__table__.c, ProjectPlace.__table__.c
_step, _entry = ProjectTransition.__table__.c, Disbursement.__table__.c
_participant = Participant.__table__.c

project_rows = Rows(projects, tuple(_project))
_area = AreaConditions.in_places(
    _project.id, _place.project_id, _place.commune_code, _place.legacy_commune_code
)
_filters = Equal(_project.status, _project.crop, _project.lead_entity_type, _project.code)
_TAKEN_PART_BY = exists().where(
    _participant.project_id == _project.id,
    _participant.household_code
    == bindparam("household_code", type_=_participant.household_code.type),
)
# A record under a project is read after its project: only what its area rule needs.
_COMMUNES = select(_project.commune_codes).where(
    _project.id == bindparam("id", type_=_project.id.type)
)


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    filters: dict[str, Any],
    household_code: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    params: Params = {}
    conditions = _area.where(principal, area, params)
    _filters.add(conditions, params, **filters)
    if household_code is not None:
        conditions.append(_TAKEN_PART_BY)
        params["household_code"] = household_code
    return await project_rows.page(session, listing, conditions, params)


async def require_readable(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID
) -> None:
    """404 unless the project exists and lies in the caller's areas (as `projects.read`)."""
    row = (await session.execute(_COMMUNES, {"id": project_id})).first()
    if row is None or not projects.area.may_read(principal, row):
        raise projects.not_found()


async def code_taken(session: AsyncSession, code: str, own: uuid.UUID) -> bool:
    found = await session.execute(
        select(Project.id).where(Project.code == code, Project.id != own).limit(1)
    )
    return found.first() is not None


_INSERT_PLACES = insert(cast(Table, ProjectPlace.__table__))


def place(project: Project, places: Places) -> None:
    """The copy of the project's communes kept on the record."""
    project.commune_codes = places.commune_codes
    project.legacy_commune_codes = places.legacy_commune_codes
    project.legacy_district_codes = legacy_districts(places)


async def insert_places(session: AsyncSession, project_id: uuid.UUID, places: Places) -> None:
    """The project's place rows, in one statement (after the project's own row is written)."""
    await session.execute(
        _INSERT_PLACES,
        [
            {"project_id": project_id, "commune_code": current, "legacy_commune_code": legacy}
            for current, legacy in places.rows
        ],
    )


async def replace_places(session: AsyncSession, project: Project, places: Places) -> None:
    """A moved project's place rows and the copy of its communes kept on the record."""
    await session.execute(delete(ProjectPlace).where(ProjectPlace.project_id == project.id))
    place(project, places)
    await insert_places(session, project.id, places)


async def save_code(session: AsyncSession) -> None:
    """Write a changed project now: a code another request took meanwhile is 409."""
    await flush_or_conflict(session, msg("project_code_taken"))


# -- status steps -----------------------------------------------------------------------


async def next_seq(session: AsyncSession, project_id: uuid.UUID) -> int:
    last = await session.scalar(
        select(func.max(ProjectTransition.seq)).where(ProjectTransition.project_id == project_id)
    )
    return int(last or 0) + 1


async def add_step(session: AsyncSession, step: ProjectTransition) -> None:
    """A step is kept on the project's audit row (its `transition`), not on its own."""
    session.add(step)
    await flush_or_conflict(
        session, msg("changed_meanwhile", what=word("project")), type="invalid-state"
    )


step_rows = Rows(
    steps,
    (
        *(_step[name] for name in ("id", "created_at", "updated_at", "created_by", "version")),
        _step.project_id,
        _step.from_status.label("from_"),
        _step.to_status.label("to"),
        _step.on_date.label("on"),
        _step.note,
        _step.created_by.label("actor"),
    ),
)
_OF_PROJECT_STEP = _step.project_id == bindparam("project_id", type_=_step.project_id.type)


async def steps_page(
    session: AsyncSession, project_id: uuid.UUID, listing: ListParams
) -> tuple[list[dict[str, Any]], str | None]:
    return await step_rows.page(session, listing, (_OF_PROJECT_STEP,), {"project_id": project_id})


# -- disbursements ----------------------------------------------------------------------

# A page of entries in one query: each row with the id of the entry that reversed it (the
# ledger's `reversed_by`, over the table).
_later = Disbursement.__table__.alias("later")
entry_rows = Rows(
    disbursements,
    (
        *(_entry[name] for name in ("id", "created_at", "updated_at", "created_by", "version")),
        _entry.project_id,
        _entry.on_date.label("on"),
        _entry.source,
        _entry.amount_vnd,
        _entry.project_code,
        _entry.capital_type,
        _entry.reverses_id.label("reverses"),
        select(_later.c.id)
        .where(_later.c.reverses_id == _entry.id)
        .scalar_subquery()
        .label("reversed_by"),
        _entry.note,
    ),
)
_OF_PROJECT_ENTRY = _entry.project_id == bindparam("project_id", type_=_entry.project_id.type)


_entry_filters = Equal(_entry.source, _entry.project_code, _entry.capital_type)


async def disbursements_page(
    session: AsyncSession, project_id: uuid.UUID, listing: ListParams, **filters: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of a project's entries: those whose `source`, `project_code` and
    `capital_type` are the `filters` given."""
    params: Params = {"project_id": project_id}
    conditions = [_OF_PROJECT_ENTRY]
    _entry_filters.add(conditions, params, **filters)
    return await entry_rows.page(session, listing, tuple(conditions), params)


# -- participants -----------------------------------------------------------------------


participant_rows = Rows(participants, tuple(_participant))
_OF_PROJECT_PARTICIPANT = _participant.project_id == bindparam(
    "project_id", type_=_participant.project_id.type
)


async def participants_page(
    session: AsyncSession, project_id: uuid.UUID, listing: ListParams
) -> tuple[list[dict[str, Any]], str | None]:
    return await participant_rows.page(
        session, listing, (_OF_PROJECT_PARTICIPANT,), {"project_id": project_id}
    )
