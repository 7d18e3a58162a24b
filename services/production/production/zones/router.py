"""/api/v1/production/zones"""

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
from production.domain.vocabulary import Certification, Crop
from production.web import CHANGE, CREATE, READ
from production.zones import service
from production.zones.repository import zones
from production.zones.schemas import ZoneCreate, ZoneRead, ZoneUpdate

router = APIRouter(prefix=zones.collection, tags=["zones"])


@router.post(
    "",
    status_code=201,
    response_model=ZoneRead,
    responses=CREATE,
    summary="Record a production zone",
)
async def create_zone(body: ZoneCreate, ctx: Write) -> Response:
    zone = await service.create(ctx, body)
    return await created(ctx, service.present(zone), location=zones.location(zone.id))


@router.get("", response_model=Page[ZoneRead], responses=READ, summary="List zones")
async def list_zones(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    crop: Annotated[Crop | None, Query()] = None,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    certification: Annotated[Certification | None, Query()] = None,
) -> Response:
    page = await service.page(
        session,
        principal,
        listing,
        area_code=area_code,
        geography=geography,
        crop=crop,
        year=year,
        certification=certification,
    )
    return answer(page)


@router.get("/{zone_id}", response_model=ZoneRead, responses=READ, summary="Read a zone")
async def read_zone(zone_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
    row = await service.read(session, principal, zone_id)
    return record(service.present_row(row), row.version)


@router.patch(
    "/{zone_id}",
    response_model=ZoneRead,
    responses=CHANGE,
    summary="Change or move a zone",
)
async def update_zone(zone_id: uuid.UUID, body: ZoneUpdate, ctx: Change) -> Response:
    zone = await service.update(ctx, zone_id, body)
    return await saved(ctx, service.present(zone), version=zone.version)
