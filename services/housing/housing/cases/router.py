"""/api/v1/housing/cases and their status steps."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from housing.cases import repository as repo
from housing.cases import service
from housing.cases.schemas import (
    CaseCreate,
    CasePage,
    CaseRead,
    CaseUpdate,
    TransitionCreate,
    TransitionPage,
    TransitionRead,
)
from housing.domain.vocabulary import BeneficiaryGroup, CaseStatus, SupportType
from housing.web import PREFIX
from mtqg_shared.areas import filter_area
from mtqg_shared.auth import Reader, Writer
from mtqg_shared.db import ReadSession
from mtqg_shared.fields import AreaFilter, GeographyFilter, HouseholdCode, IdempotencyKey, IfMatch
from mtqg_shared.openapi import problems
from mtqg_shared.pagination import Listing, page_of
from mtqg_shared.writes import Write

router = APIRouter(prefix=f"{PREFIX}/cases", tags=["cases"])


@router.post(
    "",
    status_code=201,
    response_model=CaseRead,
    summary="Register a household's case",
    responses=problems(403, 409),
)
async def create_case(
    body: CaseCreate, principal: Writer, ctx: Write, _key: IdempotencyKey = None
) -> Response:
    return await service.create(ctx, principal, body)


@router.get("", response_model=CasePage, summary="List cases", responses=problems(403, 404))
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
) -> CasePage:
    filters = repo.CaseFilters(
        area=filter_area(principal, area_code, geography),
        status=status,
        beneficiary_group=beneficiary_group,
        support_type=support_type,
        household_code=household_code,
    )
    rows = await repo.page(session, principal, filters, listing)
    items, cursor = page_of(rows, listing)
    return CasePage(items=await service.reads(session, items), next_cursor=cursor)


@router.get(
    "/{case_id}", response_model=CaseRead, summary="Read a case", responses=problems(403, 404)
)
async def read_case(
    case_id: uuid.UUID, principal: Reader, session: ReadSession, response: Response
) -> CaseRead:
    case = await service.readable_case(session, principal, case_id)
    (read,) = await service.reads(session, [case])
    response.headers["ETag"] = f'"{case.version}"'
    return read


@router.patch(
    "/{case_id}",
    response_model=CaseRead,
    summary="Edit a case (If-Match required)",
    responses=problems(403, 404, 409, 412, 428),
)
async def update_case(
    case_id: uuid.UUID,
    body: CaseUpdate,
    request: Request,
    principal: Writer,
    ctx: Write,
    _if_match: IfMatch = None,
) -> Response:
    return await service.update(ctx, principal, request, case_id, body)


@router.post(
    "/{case_id}/transitions",
    status_code=201,
    response_model=TransitionRead,
    summary="Move a case along its status path",
    responses=problems(403, 404, 409),
)
async def move_case(
    case_id: uuid.UUID,
    body: TransitionCreate,
    principal: Writer,
    ctx: Write,
    _key: IdempotencyKey = None,
) -> Response:
    return await service.move(ctx, principal, case_id, body)


@router.get(
    "/{case_id}/transitions",
    response_model=TransitionPage,
    summary="List a case's status steps",
    responses=problems(403, 404),
)
async def list_transitions(
    case_id: uuid.UUID, principal: Reader, session: ReadSession, listing: Listing
) -> TransitionPage:
    await service.readable_case(session, principal, case_id)
    rows = await repo.transitions_page(session, case_id, listing)
    items, cursor = page_of(rows, listing)
    return TransitionPage(items=[service.transition_read(t) for t in items], next_cursor=cursor)
