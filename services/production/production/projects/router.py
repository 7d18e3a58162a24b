"""/api/v1/production/projects and their status steps."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from mtqg_shared.auth import Reader, Writer
from mtqg_shared.fields import AreaFilter, GeographyFilter, IdempotencyKey, IfMatch
from mtqg_shared.pagination import Listing, Page
from mtqg_shared.writes import Write, check_if_match, etag
from production.domain.status import ProjectStatus
from production.domain.vocabulary import Crop, LeadEntityType
from production.projects import service, transitions
from production.projects.schemas import (
    ProjectCreate,
    ProjectRead,
    ProjectUpdate,
    TransitionCreate,
    TransitionRead,
)
from production.schemas import HouseholdCode, ProjectCode
from production.web import CREATE, LIST, READ_ONE, SUB_CREATE, UPDATE, ServiceSettings

router = APIRouter(prefix="/api/v1/production/projects", tags=["projects"])


@router.post(
    "",
    status_code=201,
    response_model=ProjectRead,
    responses=CREATE,
    summary="Propose a linkage project",
)
async def create_project(
    body: ProjectCreate,
    principal: Writer,
    ctx: Write,
    settings: ServiceSettings,
    _key: IdempotencyKey = None,
) -> Response:
    project = await service.create(ctx, body, settings.max_state_support_share)
    return await ctx.commit(project, status=201, headers=etag(project.version))


@router.get("", response_model=Page[ProjectRead], responses=LIST, summary="List projects")
async def list_projects(
    request: Request,
    principal: Reader,
    params: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    status: Annotated[ProjectStatus | None, Query()] = None,
    crop: Annotated[Crop | None, Query()] = None,
    lead_entity_type: Annotated[LeadEntityType | None, Query()] = None,
    code: Annotated[ProjectCode | None, Query()] = None,
    household_code: Annotated[
        HouseholdCode | None, Query(description="Projects this household takes part in.")
    ] = None,
) -> Page[ProjectRead]:
    filters = {"status": status, "crop": crop, "lead_entity_type": lead_entity_type, "code": code}
    async with request.app.state.db.session(write=False) as session:
        items, cursor = await service.listing(
            session,
            principal,
            params,
            area_code=area_code,
            geography=geography,
            filters=filters,
            household_code=household_code,
        )
    return Page[ProjectRead](items=items, next_cursor=cursor)


@router.get(
    "/{project_id}", response_model=ProjectRead, responses=READ_ONE, summary="Read a project"
)
async def read_project(
    project_id: uuid.UUID, request: Request, response: Response, principal: Reader
) -> ProjectRead:
    async with request.app.state.db.session(write=False) as session:
        project = await service.get(session, principal, project_id)
    response.headers.update(etag(project.version))
    return service.to_read(project)


@router.patch(
    "/{project_id}",
    response_model=ProjectRead,
    responses=UPDATE,
    summary="Change a project (money and communes only while proposed)",
)
async def update_project(
    project_id: uuid.UUID,
    body: ProjectUpdate,
    request: Request,
    principal: Writer,
    ctx: Write,
    settings: ServiceSettings,
    _if_match: IfMatch = None,
) -> Response:
    project = await service.get(ctx.session, principal, project_id, for_update=True)
    service.check_writable(principal, project)
    check_if_match(request, project.version)
    read = await service.update(ctx, project, body, settings.max_state_support_share)
    return await ctx.commit(read, headers=etag(read.version))


@router.post(
    "/{project_id}/transitions",
    status_code=201,
    response_model=TransitionRead,
    responses=SUB_CREATE,
    summary="Move a project along its status path (approve and reject: approvers)",
)
async def take_step(
    project_id: uuid.UUID,
    body: TransitionCreate,
    principal: Writer,
    ctx: Write,
    _key: IdempotencyKey = None,
) -> Response:
    project = await service.get(ctx.session, principal, project_id, for_update=True)
    service.check_writable(principal, project)
    await transitions.check_may_take(principal, body.to)
    step = await transitions.take_step(ctx, project, body)
    return await ctx.commit(step, status=201)


@router.get(
    "/{project_id}/transitions",
    response_model=Page[TransitionRead],
    responses=READ_ONE,
    summary="A project's status steps",
)
async def list_steps(
    project_id: uuid.UUID, request: Request, principal: Reader, params: Listing
) -> Page[TransitionRead]:
    async with request.app.state.db.session(write=False) as session:
        await service.get(session, principal, project_id)
        items, cursor = await transitions.listing(session, project_id, params)
    return Page[TransitionRead](items=items, next_cursor=cursor)
