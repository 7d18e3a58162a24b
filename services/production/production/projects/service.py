"""Linkage projects: create, read, change, list. Steps and money live in their own modules."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.areas import filter_area, require_writable
from mtqg_shared.auth import Principal
from mtqg_shared.errors import conflict, not_found
from mtqg_shared.pagination import ListParams, keyset, page_of
from mtqg_shared.rules import StateConflict
from mtqg_shared.types import today_vn
from mtqg_shared.writes import (
    WriteContext,
    bump,
    diff,
    ensure_new_id,
    flush_or_conflict,
    refuse_nulls,
)
from production.domain.dates import check_not_future, check_period
from production.domain.funding import (
    check_households,
    check_state_support,
    check_support_covers_disbursed,
)
from production.domain.status import EDITABLE_BEFORE_APPROVAL, ProjectStatus
from production.models import Participant, Project, ProjectPlace, ProjectTransition
from production.places import Places, legacy_districts, place_communes, spread_conditions
from production.projects.schemas import ProjectCreate, ProjectRead, ProjectUpdate
from production.records import audit_fields

_REQUIRED = (
    "name",
    "lead_entity",
    "lead_entity_type",
    "product",
    "commune_codes",
    "start_on",
    "total_cost_vnd",
    "state_support_vnd",
    "households",
    "poor_households",
    "near_poor_households",
)
_SCALARS = (
    "name",
    "lead_entity",
    "lead_entity_type",
    "product",
    "crop",
    "start_on",
    "end_on",
    "total_cost_vnd",
    "state_support_vnd",
    "households",
    "poor_households",
    "near_poor_households",
)


def geography_of(project: Project) -> str:
    return "2025-01" if project.legacy_commune_codes is not None else "2025-07"


def to_read(project: Project) -> ProjectRead:
    return ProjectRead.model_validate(
        {
            **{
                name: getattr(project, name)
                for name in ProjectRead.model_fields
                if name != "geography"
            },
            "geography": geography_of(project),
        }
    )


def _set_places(session: AsyncSession, project: Project, places: Places) -> None:
    project.commune_codes = places.commune_codes
    project.legacy_commune_codes = places.legacy_commune_codes
    project.legacy_district_codes = legacy_districts(places)
    session.add_all(
        ProjectPlace(project_id=project.id, commune_code=current, legacy_commune_code=legacy)
        for current, legacy in places.rows
    )


async def get(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Project:
    """The project, or 404 when it does not exist or lies wholly outside the caller's areas."""
    stmt = select(Project).where(Project.id == project_id)
    if for_update:
        stmt = stmt.with_for_update()
    project = (await session.execute(stmt)).scalar_one_or_none()
    if project is None or not principal.can_read_any(project.commune_codes):
        raise not_found("project")
    return project


def check_writable(principal: Principal, project: Project) -> None:
    require_writable(principal, project.commune_codes, "project")


async def _check_code_free(session: AsyncSession, code: str | None, own: uuid.UUID) -> None:
    if code is None:
        return
    taken = (
        await session.execute(select(Project.id).where(Project.code == code, Project.id != own))
    ).first()
    if taken is not None:
        raise conflict("A project with this code already exists.")


async def create(ctx: WriteContext, body: ProjectCreate, share: float) -> ProjectRead:
    principal, session = ctx.principal, ctx.session
    places = place_communes(principal, body.commune_codes, body.geography, body.start_on)
    today = today_vn()
    proposed_on = body.proposed_on or today
    check_not_future(proposed_on, today, "body.proposed_on")
    check_period(body.start_on, body.end_on)
    check_state_support(body.total_cost_vnd, body.state_support_vnd, share)
    check_households(body.households, body.poor_households, body.near_poor_households)
    project_id = await ensure_new_id(session, Project, body.id, "project")
    await _check_code_free(session, body.code, project_id)
    project = Project(
        id=project_id,
        created_by=principal.key,
        version=1,
        code=body.code,
        **{name: getattr(body, name) for name in _SCALARS},
        disbursed_vnd=0,
        proposed_on=proposed_on,
        status=ProjectStatus.proposed,
        status_on=proposed_on,
    )
    session.add(project)
    _set_places(session, project, places)
    # The first step of the status path, so the list of steps tells the whole story.
    session.add(
        ProjectTransition(
            project_id=project.id,
            created_by=principal.key,
            version=1,
            from_status=None,
            to_status=ProjectStatus.proposed,
            on=proposed_on,
        )
    )
    await flush_or_conflict(session, "A project with this id or code already exists.")
    read = to_read(project)
    ctx.audit("create", "project", project.id, diff({}, audit_fields(read)), project.commune_codes)
    return read


def _given_codes(project: Project) -> list[str]:
    return project.legacy_commune_codes or project.commune_codes


def _changes(project: Project, given: dict[str, Any], name: str) -> bool:
    if name not in given:
        return False
    if name == "commune_codes":
        return set(given[name]) != set(_given_codes(project))
    if name == "geography":
        return bool(given[name] != geography_of(project))
    return bool(given[name] != getattr(project, name))


def _check_open_for(project: Project, given: dict[str, Any]) -> None:
    """Money and communes are decided by the approval: after it they stay as approved."""
    if project.status == ProjectStatus.proposed:
        return
    changed = [name for name in EDITABLE_BEFORE_APPROVAL if _changes(project, given, name)]
    if changed:
        raise StateConflict(
            f"{', '.join(changed)} may change only while the project is proposed; "
            f"it is {project.status}."
        )


async def update(
    ctx: WriteContext, project: Project, body: ProjectUpdate, share: float
) -> ProjectRead:
    principal, session = ctx.principal, ctx.session
    refuse_nulls(body, _REQUIRED)
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    _check_open_for(project, given)
    before = audit_fields(to_read(project))
    old_communes = list(project.commune_codes)
    for name in _SCALARS:
        if name in given:
            setattr(project, name, given[name])
    if "code" in given and given["code"] != project.code:
        await _check_code_free(session, given["code"], project.id)
        project.code = given["code"]
    if "commune_codes" in given or "geography" in given:
        codes, geography = _given_codes(project), given.get("geography")
        if "commune_codes" in given:
            # New codes are read as on creation: in the geography given, else by start_on.
            codes = given["commune_codes"]
        elif geography is None:
            geography = geography_of(project)
        places = place_communes(principal, codes, geography, project.start_on)
        await session.execute(delete(ProjectPlace).where(ProjectPlace.project_id == project.id))
        _set_places(session, project, places)
    check_period(project.start_on, project.end_on)
    check_state_support(project.total_cost_vnd, project.state_support_vnd, share)
    check_support_covers_disbursed(project.state_support_vnd, project.disbursed_vnd)
    check_households(project.households, project.poor_households, project.near_poor_households)
    changes = diff(before, audit_fields(to_read(project)))
    if changes:
        bump(project)
        await flush_or_conflict(session, "A project with this code already exists.")
        communes = {*old_communes, *project.commune_codes}
        ctx.audit("update", "project", project.id, changes, communes)
    return to_read(project)


async def listing(
    session: AsyncSession,
    principal: Principal,
    params: ListParams,
    *,
    area_code: str | None,
    geography: str | None,
    filters: dict[str, Any],
    household_code: str | None,
) -> tuple[list[ProjectRead], str | None]:
    area = filter_area(principal, area_code, geography)
    stmt = select(Project).where(
        *spread_conditions(
            principal,
            area,
            Project.id,
            ProjectPlace.project_id,
            ProjectPlace.commune_code,
            ProjectPlace.legacy_commune_code,
        )
    )
    for name, value in filters.items():
        if value is not None:
            stmt = stmt.where(getattr(Project, name) == value)
    if household_code is not None:
        stmt = stmt.where(
            exists().where(
                Participant.project_id == Project.id,
                Participant.household_code == household_code,
            )
        )
    stmt = keyset(stmt, params, Project.created_at, Project.updated_at, Project.id)
    rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, params)
    return [to_read(project) for project in items], cursor
