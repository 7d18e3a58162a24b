"""/api/v1/production/projects/{id}/disbursements and /participants."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from mtqg_shared.auth import Reader, Writer
from mtqg_shared.fields import IdempotencyKey
from mtqg_shared.pagination import Listing, Page
from mtqg_shared.writes import Write
from production.projects import disbursements, participants, service
from production.projects.schemas import (
    DisbursementCreate,
    DisbursementRead,
    ParticipantCreate,
    ParticipantRead,
)
from production.web import READ_ONE, SUB_CREATE

router = APIRouter(prefix="/api/v1/production/projects/{project_id}", tags=["projects"])


@router.post(
    "/disbursements",
    status_code=201,
    response_model=DisbursementRead,
    responses=SUB_CREATE,
    summary="Record a disbursement, or reverse one",
)
async def record_disbursement(
    project_id: uuid.UUID,
    body: DisbursementCreate,
    principal: Writer,
    ctx: Write,
    _key: IdempotencyKey = None,
) -> Response:
    project = await service.get(ctx.session, principal, project_id, for_update=True)
    service.check_writable(principal, project)
    entry = await disbursements.record(ctx, project, body)
    return await ctx.commit(entry, status=201)


@router.get(
    "/disbursements",
    response_model=Page[DisbursementRead],
    responses=READ_ONE,
    summary="A project's disbursements",
)
async def list_disbursements(
    project_id: uuid.UUID, request: Request, principal: Reader, params: Listing
) -> Page[DisbursementRead]:
    async with request.app.state.db.session(write=False) as session:
        await service.get(session, principal, project_id)
        items, cursor = await disbursements.listing(session, project_id, params)
    return Page[DisbursementRead](items=items, next_cursor=cursor)


@router.post(
    "/participants",
    status_code=201,
    response_model=ParticipantRead,
    responses=SUB_CREATE,
    summary="Add a participating household",
)
async def add_participant(
    project_id: uuid.UUID,
    body: ParticipantCreate,
    principal: Writer,
    ctx: Write,
    _key: IdempotencyKey = None,
) -> Response:
    project = await service.get(ctx.session, principal, project_id, for_update=True)
    service.check_writable(principal, project)
    participant = await participants.add(ctx, project, body)
    return await ctx.commit(participant, status=201)


@router.get(
    "/participants",
    response_model=Page[ParticipantRead],
    responses=READ_ONE,
    summary="A project's participating households",
)
async def list_participants(
    project_id: uuid.UUID, request: Request, principal: Reader, params: Listing
) -> Page[ParticipantRead]:
    async with request.app.state.db.session(write=False) as session:
        await service.get(session, principal, project_id)
        items, cursor = await participants.listing(session, project_id, params)
    return Page[ParticipantRead](items=items, next_cursor=cursor)
