"""/api/v1/housing/obstacles."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from housing.domain.vocabulary import ObstacleStatus, Severity
from housing.obstacles import service
from housing.obstacles.schemas import ObstacleCreate, ObstaclePage, ObstacleRead, ObstacleUpdate
from housing.web import PREFIX
from mtqg_shared.areas import filter_area
from mtqg_shared.auth import Reader, Writer
from mtqg_shared.db import ReadSession
from mtqg_shared.fields import AreaFilter, GeographyFilter, IdempotencyKey, IfMatch
from mtqg_shared.openapi import problems
from mtqg_shared.pagination import Listing
from mtqg_shared.writes import Write

router = APIRouter(prefix=f"{PREFIX}/obstacles", tags=["obstacles"])


@router.post(
    "",
    status_code=201,
    response_model=ObstacleRead,
    summary="Report an obstacle for an area or a case",
    responses=problems(403, 409),
)
async def create_obstacle(
    body: ObstacleCreate, principal: Writer, ctx: Write, _key: IdempotencyKey = None
) -> Response:
    return await service.create(ctx, principal, body)


@router.get("", response_model=ObstaclePage, summary="List obstacles", responses=problems(403, 404))
async def list_obstacles(
    principal: Reader,
    session: ReadSession,
    listing: Listing,
    area_code: AreaFilter = None,
    geography: GeographyFilter = None,
    status: ObstacleStatus | None = None,
    severity: Severity | None = None,
    case_id: uuid.UUID | None = None,
) -> ObstaclePage:
    filters = service.ObstacleFilters(
        area=filter_area(principal, area_code, geography),
        status=status,
        severity=severity.value if severity is not None else None,
        case_id=case_id,
    )
    items, cursor = await service.page(session, principal, filters, listing)
    return ObstaclePage(items=items, next_cursor=cursor)


@router.get(
    "/{obstacle_id}",
    response_model=ObstacleRead,
    summary="Read an obstacle",
    responses=problems(403, 404),
)
async def read_obstacle(
    obstacle_id: uuid.UUID, principal: Reader, session: ReadSession, response: Response
) -> ObstacleRead:
    obstacle, _ = await service.readable_obstacle(session, principal, obstacle_id)
    response.headers["ETag"] = f'"{obstacle.version}"'
    return service.to_read(obstacle)


@router.patch(
    "/{obstacle_id}",
    response_model=ObstacleRead,
    summary="Edit or resolve an obstacle (If-Match required)",
    responses=problems(403, 404, 409, 412, 428),
)
async def update_obstacle(
    obstacle_id: uuid.UUID,
    body: ObstacleUpdate,
    request: Request,
    principal: Writer,
    ctx: Write,
    _if_match: IfMatch = None,
) -> Response:
    return await service.update(ctx, principal, request, obstacle_id, body)
