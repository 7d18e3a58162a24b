"""/api/v1/production/facilities"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from mtqg_shared.auth import Reader, Writer
from mtqg_shared.fields import AreaFilter, GeographyFilter, IdempotencyKey, IfMatch
from mtqg_shared.pagination import Listing, Page
from mtqg_shared.writes import Write, check_if_match, etag
from production.domain.vocabulary import FacilityKind
from production.facilities import service
from production.facilities.schemas import FacilityCreate, FacilityRead, FacilityUpdate
from production.web import CREATE, LIST, READ_ONE, UPDATE

router = APIRouter(prefix="/api/v1/production/facilities", tags=["facilities"])


@router.post(
    "",
    status_code=201,
    response_model=FacilityRead,
    responses=CREATE,
    summary="Record a processing facility",
)
async def create_facility(
    body: FacilityCreate, principal: Writer, ctx: Write, _key: IdempotencyKey = None
) -> Response:
    facility = await service.create(ctx, body)
    return await ctx.commit(facility, status=201, headers=etag(facility.version))


@router.get(
    "", response_model=Page[FacilityRead], responses=LIST, summary="List processing facilities"
)
async def list_facilities(
    request: Request,
    principal: Reader,
    params: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    kind: Annotated[FacilityKind | None, Query()] = None,
) -> Page[FacilityRead]:
    async with request.app.state.db.session(write=False) as session:
        items, cursor = await service.listing(
            session, principal, params, area_code=area_code, geography=geography, kind=kind
        )
    return Page[FacilityRead](items=items, next_cursor=cursor)


@router.get(
    "/{facility_id}",
    response_model=FacilityRead,
    responses=READ_ONE,
    summary="Read a processing facility",
)
async def read_facility(
    facility_id: uuid.UUID, request: Request, response: Response, principal: Reader
) -> FacilityRead:
    async with request.app.state.db.session(write=False) as session:
        facility = await service.get(session, principal, facility_id)
    response.headers.update(etag(facility.version))
    return service.to_read(facility)


@router.patch(
    "/{facility_id}",
    response_model=FacilityRead,
    responses=UPDATE,
    summary="Change or move a processing facility",
)
async def update_facility(
    facility_id: uuid.UUID,
    body: FacilityUpdate,
    request: Request,
    principal: Writer,
    ctx: Write,
    _if_match: IfMatch = None,
) -> Response:
    facility = await service.get(ctx.session, principal, facility_id, for_update=True)
    service.check_writable(principal, facility)
    check_if_match(request, facility.version)
    read = await service.update(ctx, facility, body)
    return await ctx.commit(read, headers=etag(read.version))
