"""/api/v1/production/zones"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from mtqg_shared.auth import Reader, Writer
from mtqg_shared.fields import AreaFilter, GeographyFilter, IdempotencyKey, IfMatch
from mtqg_shared.pagination import Listing, Page
from mtqg_shared.writes import Write, check_if_match, etag
from production.domain.vocabulary import Certification, Crop
from production.web import CREATE, LIST, READ_ONE, UPDATE
from production.zones import service
from production.zones.schemas import ZoneCreate, ZoneRead, ZoneUpdate

router = APIRouter(prefix="/api/v1/production/zones", tags=["zones"])


@router.post(
    "",
    status_code=201,
    response_model=ZoneRead,
    responses=CREATE,
    summary="Record a production zone",
)
async def create_zone(
    body: ZoneCreate, principal: Writer, ctx: Write, _key: IdempotencyKey = None
) -> Response:
    zone = await service.create(ctx, body)
    return await ctx.commit(zone, status=201, headers=etag(zone.version))


@router.get("", response_model=Page[ZoneRead], responses=LIST, summary="List zones")
async def list_zones(
    request: Request,
    principal: Reader,
    params: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    crop: Annotated[Crop | None, Query()] = None,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    certification: Annotated[Certification | None, Query()] = None,
) -> Page[ZoneRead]:
    async with request.app.state.db.session(write=False) as session:
        items, cursor = await service.listing(
            session,
            principal,
            params,
            area_code=area_code,
            geography=geography,
            crop=crop,
            year=year,
            certification=certification,
        )
    return Page[ZoneRead](items=items, next_cursor=cursor)


@router.get("/{zone_id}", response_model=ZoneRead, responses=READ_ONE, summary="Read a zone")
async def read_zone(
    zone_id: uuid.UUID, request: Request, response: Response, principal: Reader
) -> ZoneRead:
    async with request.app.state.db.session(write=False) as session:
        zone = await service.get(session, principal, zone_id)
    response.headers.update(etag(zone.version))
    return service.to_read(zone)


@router.patch(
    "/{zone_id}",
    response_model=ZoneRead,
    responses=UPDATE,
    summary="Change or move a zone",
)
async def update_zone(
    zone_id: uuid.UUID,
    body: ZoneUpdate,
    request: Request,
    principal: Writer,
    ctx: Write,
    _if_match: IfMatch = None,
) -> Response:
    zone = await service.get(ctx.session, principal, zone_id, for_update=True)
    service.check_writable(principal, zone)
    check_if_match(request, zone.version)
    read = await service.update(ctx, zone, body)
    return await ctx.commit(read, headers=etag(read.version))
