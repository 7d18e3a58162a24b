"""Creating and editing plans, and measuring them against the cases of their area."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import and_, case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from housing.coverage import communes_of, overlaps, readable_via
from housing.domain import plans
from housing.domain.status import COMPLETED
from housing.models import Case, Plan, PlanCommune, PlanMilestone
from housing.plans.schemas import (
    MilestoneProgressRead,
    MilestoneRead,
    PlanCreate,
    PlanProgressRead,
    PlanRead,
    PlanUpdate,
)
from housing.web import PREFIX
from mtqg_shared.admin_units import Area, admin_units
from mtqg_shared.areas import (
    in_area,
    readable,
    require_readable,
    require_writable,
    resolve_record_area,
)
from mtqg_shared.auth import Principal
from mtqg_shared.errors import not_found
from mtqg_shared.pagination import ListParams, keyset, page_of
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


def area_of(plan: Plan) -> Area:
    return admin_units().resolve_area(plan.area_code, plan.geography)


async def milestones_of(
    session: AsyncSession, plan_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[plans.Milestone]]:
    found: dict[uuid.UUID, list[plans.Milestone]] = defaultdict(list)
    if plan_ids:
        stmt = (
            select(PlanMilestone)
            .where(PlanMilestone.plan_id.in_(plan_ids))
            .order_by(PlanMilestone.plan_id, PlanMilestone.due_on)
        )
        for m in (await session.scalars(stmt)).all():
            found[m.plan_id].append(plans.Milestone(m.due_on, m.completed_target))
    return found


def to_read(plan: Plan, milestones: Sequence[plans.Milestone]) -> PlanRead:
    return PlanRead(
        id=plan.id,
        created_at=plan.created_at,
        updated_at=plan.updated_at,
        created_by=plan.created_by,
        version=plan.version,
        area_code=plan.area_code,
        geography=plan.geography,
        area=AreaRef(code=plan.area_code, name=area_of(plan).name),
        title=plan.title,
        target_new_build=plan.target_new_build,
        target_repair=plan.target_repair,
        deadline=plan.deadline,
        milestones=[
            MilestoneRead(due_on=m.due_on, completed_target=m.completed_target) for m in milestones
        ],
    )


def _snapshot(plan: Plan, milestones: Sequence[plans.Milestone]) -> dict[str, Any]:
    return {
        "area_code": plan.area_code,
        "geography": plan.geography,
        "title": plan.title,
        "target_new_build": plan.target_new_build,
        "target_repair": plan.target_repair,
        "deadline": plan.deadline,
        "milestones": [
            {"due_on": m.due_on.isoformat(), "completed_target": m.completed_target}
            for m in milestones
        ],
    }


async def readable_plan(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, *, for_update: bool = False
) -> tuple[Plan, list[str]]:
    stmt = select(Plan).where(Plan.id == plan_id)
    if for_update:
        stmt = stmt.with_for_update()
    plan = (await session.scalars(stmt)).first()
    if plan is None:
        raise not_found("plan")
    communes = await communes_of(session, PlanCommune, PlanCommune.plan_id, plan.id)
    require_readable(principal, communes, "plan")
    return plan, communes


async def page(
    session: AsyncSession, principal: Principal, area: Area | None, listing: ListParams
) -> tuple[list[PlanRead], str | None]:
    stmt = select(Plan).where(readable_via(principal, PlanCommune, PlanCommune.plan_id, Plan.id))
    if area is not None:
        stmt = stmt.where(overlaps(area, PlanCommune, PlanCommune.plan_id, Plan.id))
    stmt = keyset(stmt, listing, Plan.created_at, Plan.updated_at, Plan.id)
    rows = (await session.scalars(stmt)).all()
    items, cursor = page_of(rows, listing)
    milestones = await milestones_of(session, [p.id for p in items])
    return [to_read(p, milestones[p.id]) for p in items], cursor


def _milestones(body: PlanCreate | PlanUpdate) -> list[plans.Milestone]:
    return [plans.Milestone(m.due_on, m.completed_target) for m in body.milestones or ()]


def _store_milestones(
    session: AsyncSession, plan_id: uuid.UUID, ms: Sequence[plans.Milestone]
) -> None:
    for m in ms:
        session.add(
            PlanMilestone(plan_id=plan_id, due_on=m.due_on, completed_target=m.completed_target)
        )


async def create(ctx: WriteContext, principal: Principal, body: PlanCreate) -> Response:
    session = ctx.session
    area = resolve_record_area(principal, body.area_code, body.geography)
    ordered = plans.check_plan(
        body.target_new_build, body.target_repair, body.deadline, _milestones(body)
    )
    plan = Plan(
        id=await ensure_new_id(session, Plan, body.id, "plan"),
        created_by=principal.key,
        area_code=area.code,
        geography=area.geography,
        title=body.title,
        target_new_build=body.target_new_build,
        target_repair=body.target_repair,
        deadline=body.deadline,
    )
    session.add(plan)
    await flush_or_conflict(session, "A plan with this id already exists.")
    session.add_all(
        PlanCommune(plan_id=plan.id, commune_code=c) for c in sorted(area.current_communes)
    )
    _store_milestones(session, plan.id, ordered)
    await session.flush()
    ctx.audit("create", "plan", plan.id, diff({}, _snapshot(plan, ordered)), area.current_communes)
    headers = etag(plan.version) | {"Location": f"{PREFIX}/plans/{plan.id}"}
    return await ctx.commit(to_read(plan, ordered), status=201, headers=headers)


async def update(
    ctx: WriteContext, principal: Principal, request: Request, plan_id: uuid.UUID, body: PlanUpdate
) -> Response:
    session = ctx.session
    plan, communes = await readable_plan(session, principal, plan_id, for_update=True)
    require_writable(principal, communes, "plan")
    check_if_match(request, plan.version)
    values = body.model_dump(exclude_unset=True)
    refuse_nulls(body, PlanUpdate.model_fields)
    current = (await milestones_of(session, [plan.id]))[plan.id]
    before = _snapshot(plan, current)
    milestones = _milestones(body) if "milestones" in values else current
    ordered = plans.check_plan(
        values.get("target_new_build", plan.target_new_build),
        values.get("target_repair", plan.target_repair),
        values.get("deadline", plan.deadline),
        milestones,
    )
    for name in ("title", "target_new_build", "target_repair", "deadline"):
        if name in values:
            setattr(plan, name, values[name])
    changes = diff(before, _snapshot(plan, ordered))
    if changes:
        if "milestones" in changes:
            await session.execute(delete(PlanMilestone).where(PlanMilestone.plan_id == plan.id))
            _store_milestones(session, plan.id, ordered)
        bump(plan)
        ctx.audit("update", "plan", plan.id, changes, communes)
        await session.flush()
    return await ctx.commit(to_read(plan, ordered), headers=etag(plan.version))


async def progress(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID
) -> PlanProgressRead:
    """One aggregate over the area's cases: completed now, and completed by each milestone."""
    plan, _ = await readable_plan(session, principal, plan_id)
    milestones = (await milestones_of(session, [plan.id]))[plan.id]
    done = Case.status.in_(sorted(COMPLETED))
    columns = [func.coalesce(func.sum(case((done, 1), else_=0)), 0)]
    columns += [
        func.coalesce(func.sum(case((and_(done, Case.completed_on <= m.due_on), 1), else_=0)), 0)
        for m in milestones
    ]
    # Cancelled cases never reach completed, so counting completed ones leaves them out.
    stmt = select(*columns).where(
        in_area(area_of(plan), Case.commune_code, Case.legacy_commune_code),
        readable(principal, Case.commune_code),
    )
    row = (await session.execute(stmt)).one()
    today = today_vn()
    result = plans.evaluate(
        plan.target_new_build + plan.target_repair,
        int(row[0]),
        milestones,
        [int(n) for n in row[1:]],
        today,
    )
    return PlanProgressRead(
        plan_id=plan.id,
        as_of=today,
        target=result.target,
        completed=result.completed,
        completion_rate=result.completion_rate,
        milestones=[
            MilestoneProgressRead(
                due_on=m.due_on,
                completed_target=m.completed_target,
                completed_actual=m.completed_actual,
                met=m.met,
            )
            for m in result.milestones
        ],
        on_track=result.on_track,
    )
