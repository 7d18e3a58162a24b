"""Obstacles as a resource: every query about them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from housing.coverage import covering
from housing.domain.vocabulary import ObstacleStatus
from housing.models import Obstacle, ObstacleCommune
from housing.web import PREFIX
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Resource

obstacles = Resource(
    Obstacle,
    "obstacle",
    area=covering(ObstacleCommune, ObstacleCommune.obstacle_id, Obstacle.id),
    audited=(
        "area_code",
        "geography",
        "case_id",
        "title",
        "description",
        "severity",
        "reported_on",
        "status",
        "resolution",
        "resolved_on",
    ),
    required=("title", "description", "severity", "status", "resolution", "resolved_on"),
    dated="reported_on",
    prefix=PREFIX,
    path="obstacles",
)


@dataclass(frozen=True, slots=True)
class ObstacleFilters:
    area: Area | None = None
    status: ObstacleStatus | None = None
    severity: str | None = None
    case_id: uuid.UUID | None = None


async def page(
    session: AsyncSession, principal: Principal, filters: ObstacleFilters, listing: ListParams
) -> tuple[list[Obstacle], str | None]:
    # A list filters by area in SQL: the places of each obstacle are not loaded (nor needed).
    stmt = obstacles.visible(principal, filters.area).options(raiseload(Obstacle.places))
    if filters.status is not None:
        stmt = stmt.where(Obstacle.status == filters.status.value)
    if filters.severity is not None:
        stmt = stmt.where(Obstacle.severity == filters.severity)
    if filters.case_id is not None:
        stmt = stmt.where(Obstacle.case_id == filters.case_id)
    return await obstacles.page(session, stmt, listing)
