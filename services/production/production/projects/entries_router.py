"""/api/v1/production/projects/{id}/disbursements and /participants."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from mtqg_shared.auth import Reader
from mtqg_shared.kit import Listing, Page, ReadSession, Write, answer, created, record
from mtqg_shared.kit.money import CapitalType, ProjectCode
from production.domain.vocabulary import DisbursementSource
from production.projects import disbursements, participants
from production.projects.repository import location_under, projects
from production.projects.schemas import (
    DisbursementCreate,
    DisbursementRead,
    ParticipantCreate,
    ParticipantRead,
)
from production.web import READ, STEP

router = APIRouter(prefix=projects.collection + "/{project_id}", tags=["projects"])


@router.post(
    "/disbursements",
    status_code=201,
    response_model=DisbursementRead,
    responses=STEP,
    summary="Record a disbursement, or reverse one",
)
async def record_disbursement(
    project_id: uuid.UUID, body: DisbursementCreate, ctx: Write
) -> Response:
    entry = await disbursements.record(ctx, project_id, body)
    location = location_under(project_id, "disbursements", entry.id)
    return await created(ctx, disbursements.present(entry), location=location)


@router.get(
    "/disbursements",
    response_model=Page[DisbursementRead],
    responses=READ,
    summary="A project's disbursements",
)
async def list_disbursements(
    project_id: uuid.UUID,
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    source: Annotated[DisbursementSource | None, Query()] = None,
    project_code: Annotated[ProjectCode | None, Query()] = None,
    capital_type: Annotated[CapitalType | None, Query()] = None,
) -> Response:
    page = await disbursements.page(
        session,
        principal,
        project_id,
        listing,
        source=source,
        project_code=project_code,
        capital_type=capital_type,
    )
    return answer(page)


@router.get(
    "/disbursements/{entry_id}",
    response_model=DisbursementRead,
    responses=READ,
    summary="Read a disbursement",
)
async def read_disbursement(
    project_id: uuid.UUID, entry_id: uuid.UUID, principal: Reader, session: ReadSession
) -> Response:
    entry = await disbursements.one(session, principal, project_id, entry_id)
    return record(entry, entry.version)


@router.post(
    "/participants",
    status_code=201,
    response_model=ParticipantRead,
    responses=STEP,
    summary="Add a participating household",
)
async def add_participant(project_id: uuid.UUID, body: ParticipantCreate, ctx: Write) -> Response:
    participant = await participants.add(ctx, project_id, body)
    location = location_under(project_id, "participants", participant.id)
    return await created(ctx, participants.present(participant), location=location)


@router.get(
    "/participants",
    response_model=Page[ParticipantRead],
    responses=READ,
    summary="A project's participating households",
)
async def list_participants(
    project_id: uuid.UUID, principal: Reader, session: ReadSession, listing: Listing
) -> Response:
    return answer(await participants.page(session, principal, project_id, listing))


@router.get(
    "/participants/{participant_id}",
    response_model=ParticipantRead,
    responses=READ,
    summary="Read a participating household",
)
async def read_participant(
    project_id: uuid.UUID, participant_id: uuid.UUID, principal: Reader, session: ReadSession
) -> Response:
    participant = await participants.one(session, principal, project_id, participant_id)
    return record(participant, participant.version)
