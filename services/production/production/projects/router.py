"""/api/v1/production/projects and their status steps."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from mtqg_shared.auth import Reader
from mtqg_shared.fields import AreaFilter, GeographyFilter
from mtqg_shared.kit import (
    Change,
    Listing,
    Page,
    ReadSession,
    Write,
    answer,
    created,
    record,
    saved,
)
from production.domain.status import ProjectStatus
from production.domain.vocabulary import Crop, LeadEntityType
from production.projects import service, transitions
from production.projects.repository import location_under, projects
from production.projects.schemas import (
    ProjectCreate,
    ProjectRead,
    ProjectUpdate,
    TransitionCreate,
    TransitionRead,
)
from production.schemas import HouseholdCode, ProjectCode
from production.web import CHANGE, CREATE, READ, STEP, ServiceSettings

router = APIRouter(prefix=projects.collection, tags=["projects"])


@router.post(
    "",
    status_code=201,
    response_model=ProjectRead,
    responses=CREATE,
    summary="Propose a linkage project",
)
async def create_project(body: ProjectCreate, ctx: Write, settings: ServiceSettings) -> Response:
    project = await service.create(ctx, body, settings.max_state_support_share)
    return await created(ctx, service.present(project), location=projects.location(project.id))


@router.get("", response_model=Page[ProjectRead], responses=READ, summary="List projects")
async def list_projects(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    status: Annotated[ProjectStatus | None, Query()] = None,
    crop: Annotated[Crop | None, Query()] = None,
    lead_entity_type: Annotated[LeadEntityType | None, Query()] = None,
    code: Annotated[ProjectCode | None, Query()] = None,
    household_code: Annotated[
        HouseholdCode | None, Query(description="Projects this household takes part in.")
    ] = None,
) -> Response:
    filters = {"status": status, "crop": crop, "lead_entity_type": lead_entity_type, "code": code}
    page = await service.page(
        session,
        principal,
        listing,
        area_code=area_code,
        geography=geography,
        filters=filters,
        household_code=household_code,
    )
    return answer(page)


@router.get("/{project_id}", response_model=ProjectRead, responses=READ, summary="Read a project")
async def read_project(project_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await service.read(session, principal, project_id)
    return record(service.present_row(row), row.version)


@router.patch(
    "/{project_id}",
    response_model=ProjectRead,
    responses=CHANGE,
    summary="Change a project (money and communes only while proposed)",
)
async def update_project(
    project_id: uuid.UUID, body: ProjectUpdate, ctx: Change, settings: ServiceSettings
) -> Response:
    project = await service.update(ctx, project_id, body, settings.max_state_support_share)
    return await saved(ctx, service.present(project), version=project.version)


@router.post(
    "/{project_id}/transitions",
    status_code=201,
    response_model=TransitionRead,
    responses=STEP,
    summary="Move a project along its status path (approve and reject: approvers)",
)
async def take_step(project_id: uuid.UUID, body: TransitionCreate, ctx: Write) -> Response:
    step = await transitions.take_step(ctx, project_id, body)
    location = location_under(project_id, "transitions", step.id)
    return await created(ctx, transitions.present(step), location=location)


@router.get(
    "/{project_id}/transitions",
    response_model=Page[TransitionRead],
    responses=READ,
    summary="A project's status steps",
)
async def list_steps(
    project_id: uuid.UUID, principal: Reader, session: ReadSession, listing: Listing
) -> Response:
    return answer(await transitions.page(session, principal, project_id, listing))
