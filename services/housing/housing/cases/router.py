"""/api/v1/housing/cases and their status steps."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from housing.cases import repository as repo
from housing.cases import service
from housing.cases.repository import cases
from housing.cases.schemas import (
    CaseCreate,
    CasePage,
    CaseRead,
    CaseUpdate,
    TransitionCreate,
    TransitionRead,
)
from housing.domain.vocabulary import BeneficiaryGroup, CaseStatus, SupportType
from housing.web import CHANGE, CREATE, READ, STEP
from mtqg_shared.areas import filter_area
from mtqg_shared.auth import Reader
from mtqg_shared.fields import AreaFilter, GeographyFilter, HouseholdCode
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

router = APIRouter(prefix=cases.collection, tags=["cases"])


@router.post(
    "",
    status_code=201,
    response_model=CaseRead,
    summary="Register a household's case",
    responses=CREATE,
)
async def create_case(body: CaseCreate, ctx: Write) -> Response:
    row = await service.create(ctx, body)
    return await created(ctx, service.present(row), location=cases.location(row["id"]))


@router.get("", response_model=CasePage, summary="List cases", responses=READ)
async def list_cases(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    status: CaseStatus | None = None,
    beneficiary_group: BeneficiaryGroup | None = None,
    support_type: SupportType | None = None,
    household_code: Annotated[HouseholdCode | None, Query()] = None,
) -> Response:
    filters = repo.CaseFilters(
        area=filter_area(principal, area_code, geography),
        status=status,
        beneficiary_group=beneficiary_group,
        support_type=support_type,
        household_code=household_code,
    )
    rows, cursor = await repo.page(session, principal, filters, listing)
    return answer(service.page(rows, cursor))


@router.get("/{case_id}", response_model=CaseRead, summary="Read a case", responses=READ)
async def read_case(case_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await repo.read(session, principal, case_id)
    return record(service.present(row), row["version"])


@router.patch(
    "/{case_id}",
    response_model=CaseRead,
    summary="Edit a case (If-Match required)",
    responses=CHANGE,
)
async def update_case(case_id: uuid.UUID, body: CaseUpdate, ctx: Change) -> Response:
    row = await service.update(ctx, case_id, body)
    return await saved(ctx, service.present(row), version=row["version"])


@router.post(
    "/{case_id}/transitions",
    status_code=201,
    response_model=TransitionRead,
    summary="Move a case along its status path",
    responses=STEP,
)
async def move_case(case_id: uuid.UUID, body: TransitionCreate, ctx: Write) -> Response:
    step = await service.move(ctx, case_id, body)
    location = f"{cases.location(case_id)}/transitions/{step.id}"
    return await created(ctx, service.present_step(step), location=location)


@router.get(
    "/{case_id}/transitions",
    response_model=Page[TransitionRead],
    summary="List a case's status steps",
    responses=READ,
)
async def list_transitions(
    case_id: uuid.UUID, principal: Reader, session: ReadSession, listing: Listing
) -> Response:
    await cases.read(session, principal, case_id)
    steps, cursor = await repo.transitions_page(session, case_id, listing)
    return answer(
        Page[TransitionRead](items=[service.present_step(s) for s in steps], next_cursor=cursor)
    )


@router.get(
    "/{case_id}/transitions/{transition_id}",
    response_model=TransitionRead,
    summary="Read one status step of a case",
    responses=READ,
)
async def read_transition(
    case_id: uuid.UUID, transition_id: uuid.UUID, principal: Reader, session: ReadSession
) -> Response:
    await cases.read(session, principal, case_id)
    step = await repo.step_of(session, case_id, transition_id)
    return record(service.present_step(step), step.version)
