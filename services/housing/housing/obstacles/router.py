"""/api/v1/housing/obstacles."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from housing.domain.vocabulary import ObstacleStatus, Severity
from housing.obstacles import repository as repo
from housing.obstacles import service
from housing.obstacles.repository import obstacles
from housing.obstacles.schemas import ObstacleCreate, ObstacleRead, ObstacleUpdate
from housing.web import CHANGE, CREATE, READ
from mtqg_shared.areas import filter_area
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

router = APIRouter(prefix=obstacles.collection, tags=["obstacles"])


@router.post(
    "",
    status_code=201,
    response_model=ObstacleRead,
    summary="Report an obstacle for an area or a case",
    responses=CREATE,
)
async def create_obstacle(body: ObstacleCreate, ctx: Write) -> Response:
    obstacle = await service.create(ctx, body)
    return await created(ctx, service.present(obstacle), location=obstacles.location(obstacle.id))


@router.get("", response_model=Page[ObstacleRead], summary="List obstacles", responses=READ)
async def list_obstacles(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    status: ObstacleStatus | None = None,
    severity: Severity | None = None,
    case_id: uuid.UUID | None = None,
) -> Response:
    filters = repo.ObstacleFilters(
        area=filter_area(principal, area_code, geography),
        status=status,
        severity=severity.value if severity is not None else None,
        case_id=case_id,
    )
    items, cursor = await repo.page(session, principal, filters, listing)
    reads = [service.present(o) for o in items]
    return answer(Page[ObstacleRead](items=reads, next_cursor=cursor))


@router.get(
    "/{obstacle_id}", response_model=ObstacleRead, summary="Read an obstacle", responses=READ
)
async def read_obstacle(
    obstacle_id: uuid.UUID, principal: Reader, session: ReadSession
) -> Response:
    obstacle = await obstacles.read(session, principal, obstacle_id)
    return record(service.present(obstacle), obstacle.version)


@router.patch(
    "/{obstacle_id}",
    response_model=ObstacleRead,
    summary="Edit or resolve an obstacle (If-Match required)",
    responses=CHANGE,
)
async def update_obstacle(obstacle_id: uuid.UUID, body: ObstacleUpdate, ctx: Change) -> Response:
    obstacle = await service.update(ctx, obstacle_id, body)
    return await saved(ctx, service.present(obstacle), version=obstacle.version)
