"""/api/v1/housing/cases/{id}/funding."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from housing.cases import repository as case_repo
from housing.cases.repository import cases
from housing.domain.vocabulary import FundingSource
from housing.funding import repository as repo
from housing.funding import service
from housing.funding.schemas import FundingCreate, FundingPage, FundingRead
from housing.web import READ, STEP
from mtqg_shared.auth import Reader
from mtqg_shared.kit import Listing, ReadSession, Write, answer, created, record
from mtqg_shared.kit.money import CapitalType, ProjectCode

router = APIRouter(prefix=f"{cases.collection}/{{case_id}}/funding", tags=["funding"])


@router.post(
    "",
    status_code=201,
    response_model=FundingRead,
    summary="Record money for a case, or reverse an entry",
    responses=STEP,
)
async def record_funding(case_id: uuid.UUID, body: FundingCreate, ctx: Write) -> Response:
    entry = await service.record(ctx, case_id, body)
    return await created(
        ctx, service.present(entry, None), location=repo.location(case_id, entry.id)
    )


@router.get(
    "",
    response_model=FundingPage,
    summary="List a case's funding entries",
    responses=READ,
)
async def list_funding(
    case_id: uuid.UUID,
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    source: Annotated[FundingSource | None, Query()] = None,
    project_code: Annotated[ProjectCode | None, Query()] = None,
    capital_type: Annotated[CapitalType | None, Query()] = None,
) -> Response:
    await case_repo.require_readable(session, principal, case_id)
    rows, cursor = await repo.page(
        session,
        case_id,
        listing,
        source=source,
        project_code=project_code,
        capital_type=capital_type,
    )
    return answer(FundingPage.model_validate({"items": rows, "next_cursor": cursor}))


@router.get(
    "/{entry_id}",
    response_model=FundingRead,
    summary="Read a funding entry",
    responses=READ,
)
async def read_funding(
    case_id: uuid.UUID, entry_id: uuid.UUID, principal: Reader, session: ReadSession
) -> Response:
    await case_repo.require_readable(session, principal, case_id)
    row = await repo.one(session, case_id, entry_id)
    return record(FundingRead.model_validate(row), row["version"])
