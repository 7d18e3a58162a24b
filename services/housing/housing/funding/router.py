"""/api/v1/housing/cases/{id}/funding."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from housing.funding import service
from housing.funding.schemas import FundingCreate, FundingPage, FundingRead
from housing.web import PREFIX
from mtqg_shared.auth import Reader, Writer
from mtqg_shared.db import ReadSession
from mtqg_shared.fields import IdempotencyKey
from mtqg_shared.openapi import problems
from mtqg_shared.pagination import Listing
from mtqg_shared.writes import Write

router = APIRouter(prefix=f"{PREFIX}/cases/{{case_id}}/funding", tags=["funding"])


@router.post(
    "",
    status_code=201,
    response_model=FundingRead,
    summary="Record money for a case, or reverse an entry",
    responses=problems(403, 404, 409),
)
async def record_funding(
    case_id: uuid.UUID,
    body: FundingCreate,
    principal: Writer,
    ctx: Write,
    _key: IdempotencyKey = None,
) -> Response:
    return await service.record(ctx, principal, case_id, body)


@router.get(
    "",
    response_model=FundingPage,
    summary="List a case's funding entries",
    responses=problems(403, 404),
)
async def list_funding(
    case_id: uuid.UUID, principal: Reader, session: ReadSession, listing: Listing
) -> FundingPage:
    items, cursor = await service.page(session, principal, case_id, listing)
    return FundingPage(items=items, next_cursor=cursor)


@router.get(
    "/{entry_id}",
    response_model=FundingRead,
    summary="Read a funding entry",
    responses=problems(403, 404),
)
async def read_funding(
    case_id: uuid.UUID,
    entry_id: uuid.UUID,
    principal: Reader,
    session: ReadSession,
    response: Response,
) -> FundingRead:
    entry = await service.read_one(session, principal, case_id, entry_id)
    response.headers["ETag"] = f'"{entry.version}"'
    return entry
