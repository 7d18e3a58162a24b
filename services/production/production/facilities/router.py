"""/api/v1/production/facilities"""

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
from production.domain.vocabulary import FacilityKind
from production.facilities import service
from production.facilities.repository import facilities
from production.facilities.schemas import FacilityCreate, FacilityRead, FacilityUpdate
from production.web import CHANGE, CREATE, READ

router = APIRouter(prefix=facilities.collection, tags=["facilities"])


@router.post(
    "",
    status_code=201,
    response_model=FacilityRead,
    responses=CREATE,
    summary="Record a processing facility",
)
async def create_facility(body: FacilityCreate, ctx: Write) -> Response:
    facility = await service.create(ctx, body)
    return await created(ctx, service.present(facility), location=facilities.location(facility.id))


@router.get(
    "", response_model=Page[FacilityRead], responses=READ, summary="List processing facilities"
)
async def list_facilities(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    kind: Annotated[FacilityKind | None, Query()] = None,
) -> Response:
    page = await service.page(
        session, principal, listing, area_code=area_code, geography=geography, kind=kind
    )
    return answer(page)


@router.get(
    "/{facility_id}",
    response_model=FacilityRead,
    responses=READ,
    summary="Read a processing facility",
)
async def read_facility(
    facility_id: uuid.UUID, principal: Reader, session: ReadSession
) -> Response:
    row = await service.read(session, principal, facility_id)
    return record(service.present_row(row), row.version)


@router.patch(
    "/{facility_id}",
    response_model=FacilityRead,
    responses=CHANGE,
    summary="Change or move a processing facility",
)
async def update_facility(facility_id: uuid.UUID, body: FacilityUpdate, ctx: Change) -> Response:
    facility = await service.update(ctx, facility_id, body)
    return await saved(ctx, service.present(facility), version=facility.version)
