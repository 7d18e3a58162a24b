"""Reporting obstacles at once, and resolving them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from housing.cases import repository as cases
from housing.coverage import communes_of, overlaps, readable_via
from housing.domain import obstacles
from housing.domain.vocabulary import ObstacleStatus
from housing.models import Obstacle, ObstacleCommune
from housing.obstacles.schemas import ObstacleCreate, ObstacleRead, ObstacleUpdate
from housing.web import PREFIX
from mtqg_shared.admin_units import GEO_NEW, Area, admin_units
from mtqg_shared.areas import require_readable, require_writable, resolve_record_area
from mtqg_shared.auth import Principal
from mtqg_shared.errors import not_found
from mtqg_shared.pagination import ListParams, keyset, page_of
from mtqg_shared.rules import RuleViolation
from mtqg_shared.schemas import AreaRef
from mtqg_shared.types import today_vn
from mtqg_shared.writes import (
    WriteContext,
    bump,
    check_if_match,
    diff,
    ensure_new_id,
    etag,
    flush_or_conflict,
    refuse_nulls,
)

AUDITED = (
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
)


def _snapshot(obstacle: Obstacle) -> dict[str, Any]:
    return {name: getattr(obstacle, name) for name in AUDITED}


def to_read(obstacle: Obstacle) -> ObstacleRead:
    area = admin_units().resolve_area(obstacle.area_code, obstacle.geography)
    return ObstacleRead(
        id=obstacle.id,
        created_at=obstacle.created_at,
        updated_at=obstacle.updated_at,
        created_by=obstacle.created_by,
        version=obstacle.version,
        area_code=obstacle.area_code,
        geography=obstacle.geography,
        area=AreaRef(code=area.code, name=area.name),
        case_id=obstacle.case_id,
        title=obstacle.title,
        description=obstacle.description,
        severity=obstacle.severity,
        reported_on=obstacle.reported_on,
        status=obstacle.status,
        resolution=obstacle.resolution,
        resolved_on=obstacle.resolved_on,
    )


async def readable_obstacle(
    session: AsyncSession,
    principal: Principal,
    obstacle_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> tuple[Obstacle, list[str]]:
    stmt = select(Obstacle).where(Obstacle.id == obstacle_id)
    if for_update:
        stmt = stmt.with_for_update()
    obstacle = (await session.scalars(stmt)).first()
    if obstacle is None:
        raise not_found("obstacle")
    communes = await communes_of(session, ObstacleCommune, ObstacleCommune.obstacle_id, obstacle.id)
    require_readable(principal, communes, "obstacle")
    return obstacle, communes


@dataclass(frozen=True, slots=True)
class ObstacleFilters:
    area: Area | None = None
    status: ObstacleStatus | None = None
    severity: str | None = None
    case_id: uuid.UUID | None = None


async def page(
    session: AsyncSession, principal: Principal, filters: ObstacleFilters, listing: ListParams
) -> tuple[list[ObstacleRead], str | None]:
    link, owner = ObstacleCommune, ObstacleCommune.obstacle_id
    stmt = select(Obstacle).where(readable_via(principal, link, owner, Obstacle.id))
    if filters.area is not None:
        stmt = stmt.where(overlaps(filters.area, link, owner, Obstacle.id))
    if filters.status is not None:
        stmt = stmt.where(Obstacle.status == filters.status.value)
    if filters.severity is not None:
        stmt = stmt.where(Obstacle.severity == filters.severity)
    if filters.case_id is not None:
        stmt = stmt.where(Obstacle.case_id == filters.case_id)
    stmt = keyset(stmt, listing, Obstacle.created_at, Obstacle.updated_at, Obstacle.id)
    rows = (await session.scalars(stmt)).all()
    items, cursor = page_of(rows, listing)
    return [to_read(o) for o in items], cursor


async def _area_and_case(
    session: AsyncSession, principal: Principal, body: ObstacleCreate
) -> tuple[Area, uuid.UUID | None]:
    """Where the obstacle lies: the area given, else the commune of its case; a case must be
    one the caller may read and must lie inside the area."""
    case = None
    if body.case_id is not None:
        case = await cases.get(session, body.case_id)
        if case is None or not principal.can_read_any([case.commune_code]):
            raise RuleViolation("body.case_id", "no such case")
    if body.area_code is not None:
        area = resolve_record_area(principal, body.area_code, body.geography)
    elif case is not None:
        if body.geography is not None:
            raise RuleViolation("body.geography", "geography qualifies area_code; give both")
        area = resolve_record_area(principal, case.commune_code, GEO_NEW)
    else:
        raise RuleViolation("body.area_code", "required unless case_id is given")
    if case is not None and case.commune_code not in area.current_communes:
        raise RuleViolation("body.case_id", "the case lies outside the obstacle's area")
    return area, case.id if case is not None else None


async def create(ctx: WriteContext, principal: Principal, body: ObstacleCreate) -> Response:
    session = ctx.session
    area, case_id = await _area_and_case(session, principal, body)
    obstacles.check_reported_on(body.reported_on, today_vn())
    obstacle = Obstacle(
        id=await ensure_new_id(session, Obstacle, body.id, "obstacle"),
        created_by=principal.key,
        area_code=area.code,
        geography=area.geography,
        case_id=case_id,
        title=body.title,
        description=body.description,
        severity=body.severity.value,
        reported_on=body.reported_on,
        status=ObstacleStatus.OPEN.value,
    )
    session.add(obstacle)
    await flush_or_conflict(session, "An obstacle with this id already exists.")
    session.add_all(
        ObstacleCommune(obstacle_id=obstacle.id, commune_code=c)
        for c in sorted(area.current_communes)
    )
    await session.flush()
    ctx.audit(
        "create", "obstacle", obstacle.id, diff({}, _snapshot(obstacle)), area.current_communes
    )
    headers = etag(obstacle.version) | {"Location": f"{PREFIX}/obstacles/{obstacle.id}"}
    return await ctx.commit(to_read(obstacle), status=201, headers=headers)


async def update(
    ctx: WriteContext,
    principal: Principal,
    request: Request,
    obstacle_id: uuid.UUID,
    body: ObstacleUpdate,
) -> Response:
    session = ctx.session
    obstacle, communes = await readable_obstacle(session, principal, obstacle_id, for_update=True)
    require_writable(principal, communes, "obstacle")
    check_if_match(request, obstacle.version)
    values = body.model_dump(exclude_unset=True, mode="json")
    refuse_nulls(body, ObstacleUpdate.model_fields)
    before = _snapshot(obstacle)
    current = ObstacleStatus(obstacle.status)
    resolving = "resolution" in values or body.status is ObstacleStatus.RESOLVED
    action = "update"
    if resolving:
        obstacle.resolved_on = obstacles.resolve(
            current,
            body.resolution,
            body.resolved_on,
            reported_on=obstacle.reported_on,
            today=today_vn(),
        )
        obstacle.resolution = body.resolution
        obstacle.status = ObstacleStatus.RESOLVED.value
        action = "resolve"
    elif body.status is ObstacleStatus.OPEN:
        obstacles.check_reopen(current)
    if "resolved_on" in values and not resolving:
        raise RuleViolation("body.resolved_on", "only together with a resolution")
    for name in ("title", "description", "severity"):
        if name in values:
            setattr(obstacle, name, values[name])
    changes = diff(before, _snapshot(obstacle))
    if changes:
        bump(obstacle)
        ctx.audit(action, "obstacle", obstacle.id, changes, communes)
        await session.flush()
    return await ctx.commit(to_read(obstacle), headers=etag(obstacle.version))
