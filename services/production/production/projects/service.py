"""Linkage projects: create, change, list. Steps and money live in their own modules."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.areas import filter_area
from mtqg_shared.auth import Principal
from mtqg_shared.errors import conflict
from mtqg_shared.kit import ListParams, Page, WriteContext
from mtqg_shared.messages import msg
from mtqg_shared.rules import StateConflict, check_not_future
from mtqg_shared.types import today_vn
from mtqg_shared.writes import refuse_nulls
from production.domain.dates import check_period
from production.domain.funding import (
    check_households,
    check_state_support,
    check_support_covers_disbursed,
)
from production.domain.status import EDITABLE_BEFORE_APPROVAL, ProjectStatus
from production.models import Project, ProjectTransition, project_geography
from production.places import place_communes
from production.projects import repository as repo
from production.projects.repository import projects
from production.projects.schemas import ProjectCreate, ProjectRead, ProjectUpdate

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


def present(project: Project) -> ProjectRead:
    return ProjectRead.model_validate(project)


def _values(values: dict[str, Any]) -> dict[str, Any]:
    values["geography"] = project_geography(values["legacy_commune_codes"])
    return values


def present_row(row: Row[Any]) -> ProjectRead:
    return ProjectRead.model_validate(_values(row._asdict()))


async def read(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> Row[Any]:
    return await repo.project_rows.read(session, principal, project_id)


async def _check_code_free(session: AsyncSession, code: str | None, own: uuid.UUID) -> None:
    if code is not None and await repo.code_taken(session, code, own):
        raise conflict(msg("project_code_taken"))


async def create(ctx: WriteContext, body: ProjectCreate, share: float) -> Project:
    principal, session = ctx.principal, ctx.session
    places = place_communes(principal, body.commune_codes, body.geography, body.start_on)
    today = today_vn()
    proposed_on = body.proposed_on or today
    check_not_future(proposed_on, today, "body.proposed_on")
    check_period(body.start_on, body.end_on)
    check_state_support(body.total_cost_vnd, body.state_support_vnd, share)
    check_households(body.households, body.poor_households, body.near_poor_households)
    project_id = await projects.new_id(session, body.id)
    await _check_code_free(session, body.code, project_id)
    project = Project(
        id=project_id,
        created_by=principal.key,
        version=1,
        code=body.code,
        **{name: getattr(body, name) for name in _SCALARS},
        disbursed_vnd=0,
        proposed_on=proposed_on,
        status=ProjectStatus.PROPOSED,
        status_on=proposed_on,
    )
    repo.place(project, places)
    # The first step of the status path, so the list of steps tells the whole story.
    session.add(
        ProjectTransition(
            project=project,
            seq=1,
            created_by=principal.key,
            version=1,
            from_status=None,
            to_status=ProjectStatus.PROPOSED,
            on=proposed_on,
        )
    )
    await projects.add(ctx, project, conflict=msg("project_id_or_code_taken"))
    await repo.insert_places(session, project.id, places)
    return project


def _given_codes(project: Project) -> list[str]:
    return project.legacy_commune_codes or project.commune_codes


def _changes(project: Project, given: dict[str, Any], name: str) -> bool:
    if name not in given:
        return False
    if name == "commune_codes":
        return set(given[name]) != set(_given_codes(project))
    return bool(given[name] != getattr(project, name))


def _check_open_for(project: Project, given: dict[str, Any]) -> None:
    """Money and communes are decided by the approval: after it they stay as approved."""
    if project.status == ProjectStatus.PROPOSED:
        return
    changed = [name for name in EDITABLE_BEFORE_APPROVAL if _changes(project, given, name)]
    if changed:
        raise StateConflict(msg("project_fixed", fields=changed, status=project.status))


async def update(
    ctx: WriteContext, project_id: uuid.UUID, body: ProjectUpdate, share: float
) -> Project:
    project = await projects.take(ctx, project_id)
    principal, session = ctx.principal, ctx.session
    refuse_nulls(body, _REQUIRED)
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    _check_open_for(project, given)
    before = projects.snapshot(project)
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
            geography = project.geography
        places = place_communes(principal, codes, geography, project.start_on)
        await repo.replace_places(session, project, places)
    check_period(project.start_on, project.end_on)
    check_state_support(project.total_cost_vnd, project.state_support_vnd, share)
    check_support_covers_disbursed(project.state_support_vnd, project.disbursed_vnd)
    check_households(project.households, project.poor_households, project.near_poor_households)
    if projects.changed(ctx, project, before):
        await repo.save_code(session)
    return project


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area_code: str | None,
    geography: str | None,
    filters: dict[str, Any],
    household_code: str | None,
) -> Page[ProjectRead]:
    area = filter_area(principal, area_code, geography)
    rows, cursor = await repo.page(
        session, principal, listing, area=area, filters=filters, household_code=household_code
    )
    items = [_values(row) for row in rows]
    return Page[ProjectRead].model_validate({"items": items, "next_cursor": cursor})
