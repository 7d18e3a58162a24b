"""/api/v1/gender/spending"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from gender.domain.vocabulary import CapitalType, SpendingSource
from gender.spending import service
from gender.spending.repository import spending
from gender.spending.schemas import SpendingCreate, SpendingPage, SpendingRead
from gender.web import CREATE, READ
from mtqg_shared.auth import Reader
from mtqg_shared.fields import AreaFilter, GeographyFilter
from mtqg_shared.kit import Listing, ReadSession, Write, answer, created, record
from mtqg_shared.kit.spending import ProjectCode

router = APIRouter(prefix=spending.collection, tags=["spending"])


@router.post(
    "",
    status_code=201,
    response_model=SpendingRead,
    responses=CREATE,
    summary="Record money spent, or reverse an entry",
)
async def record_spending(body: SpendingCreate, ctx: Write) -> Response:
    entry = await service.record(ctx, body)
    return await created(ctx, service.present(entry, None), location=spending.location(entry.id))


@router.get("", response_model=SpendingPage, responses=READ, summary="List spending entries")
async def list_spending(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    source: Annotated[SpendingSource | None, Query()] = None,
    project_code: Annotated[ProjectCode | None, Query()] = None,
    capital_type: Annotated[CapitalType | None, Query()] = None,
    activity_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Response:
    page = await service.page(
        session,
        principal,
        listing,
        area_code=area_code,
        geography=geography,
        source=source,
        project_code=project_code,
        capital_type=capital_type,
        activity_id=activity_id,
    )
    return answer(page)


@router.get(
    "/{entry_id}", response_model=SpendingRead, responses=READ, summary="Read a spending entry"
)
async def read_spending(entry_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await service.read(session, principal, entry_id)
    return record(service.present_row(row), row.version)
