"""Reporting obstacles at once, and resolving them."""

from __future__ import annotations

import uuid

from housing.cases.repository import cases
from housing.domain import obstacles as domain
from housing.domain.vocabulary import ObstacleStatus
from housing.models import Obstacle, ObstacleCommune
from housing.obstacles.repository import obstacles
from housing.obstacles.schemas import ObstacleCreate, ObstacleRead, ObstacleUpdate
from mtqg_shared.admin_units import GEO_NEW, Area, admin_units
from mtqg_shared.areas import resolve_record_area
from mtqg_shared.kit.present import present as from_record
from mtqg_shared.messages import word
from mtqg_shared.rules import RuleViolation
from mtqg_shared.schemas import AreaRef
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext, refuse_nulls


def present(obstacle: Obstacle) -> ObstacleRead:
    area = admin_units().resolve_area(obstacle.area_code, obstacle.geography)
    return from_record(ObstacleRead, obstacle, area=AreaRef(code=area.code, name=area.name))


async def _area_and_case(ctx: WriteContext, body: ObstacleCreate) -> tuple[Area, uuid.UUID | None]:
    """Where the obstacle lies: the area given, else the commune of its case; a case must be
    one the caller may read and must lie inside the area."""
    principal = ctx.principal
    case = None
    if body.case_id is not None:
        case = await cases.find(ctx.session, body.case_id)
        if case is None or not cases.area.may_read(principal, case):
            raise RuleViolation("body.case_id", "not_found", what=word("case"))
    if body.area_code is not None:
        area = resolve_record_area(principal, body.area_code, body.geography)
    elif case is not None:
        if body.geography is not None:
            raise RuleViolation("body.geography", "required.with_area_code")
        area = resolve_record_area(principal, case.commune_code, GEO_NEW)
    else:
        raise RuleViolation("body.area_code", "required.unless_field", other="case_id")
    if case is not None and case.commune_code not in area.current_communes:
        raise RuleViolation("body.case_id", "not_in_your_areas.case_outside_area")
    return area, case.id if case is not None else None


async def create(ctx: WriteContext, body: ObstacleCreate) -> Obstacle:
    area, case_id = await _area_and_case(ctx, body)
    domain.check_reported_on(body.reported_on, today_vn())
    obstacle = Obstacle(
        id=await obstacles.new_id(ctx.session, body.id),
        created_by=ctx.principal.key,
        area_code=area.code,
        geography=area.geography,
        case_id=case_id,
        title=body.title,
        description=body.description,
        severity=body.severity.value,
        reported_on=body.reported_on,
        status=ObstacleStatus.OPEN.value,
        places=[ObstacleCommune(commune_code=c) for c in sorted(area.current_communes)],
    )
    return await obstacles.add(ctx, obstacle)


async def update(ctx: WriteContext, obstacle_id: uuid.UUID, body: ObstacleUpdate) -> Obstacle:
    obstacle = await obstacles.take(ctx, obstacle_id)
    refuse_nulls(body, obstacles.required)
    sent = body.model_fields_set
    before = obstacles.snapshot(obstacle)
    current = ObstacleStatus(obstacle.status)
    resolving = "resolution" in sent or body.status is ObstacleStatus.RESOLVED
    action = "update"
    if resolving:
        obstacle.resolved_on = domain.resolve(
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
        domain.check_reopen(current)
    if "resolved_on" in sent and not resolving:
        raise RuleViolation("body.resolved_on", "unknown_field.without", other="resolution")
    for name in ("title", "description", "severity"):
        if name in sent:
            setattr(obstacle, name, getattr(body, name))
    obstacles.changed(ctx, obstacle, before, action=action)
    await ctx.session.flush()
    return obstacle
