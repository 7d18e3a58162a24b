"""Creating and editing plans, and measuring them against the cases of their area."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from housing.domain import plans as domain
from housing.models import Plan, PlanCommune
from housing.plans import repository as repo
from housing.plans.repository import plans
from housing.plans.schemas import (
    MilestoneProgressRead,
    MilestoneRead,
    PlanCreate,
    PlanProgressRead,
    PlanRead,
    PlanUpdate,
)
from mtqg_shared.admin_units import Area, admin_units
from mtqg_shared.areas import resolve_record_area
from mtqg_shared.auth import Principal
from mtqg_shared.kit.present import present as from_record
from mtqg_shared.schemas import AreaRef
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext, refuse_nulls


def area_of(plan: Plan) -> Area:
    return admin_units().resolve_area(plan.area_code, plan.geography)


def present(plan: Plan, milestones: Sequence[domain.Milestone]) -> PlanRead:
    return from_record(
        PlanRead,
        plan,
        area=AreaRef(code=plan.area_code, name=area_of(plan).name),
        milestones=[
            MilestoneRead(due_on=m.due_on, completed_target=m.completed_target) for m in milestones
        ],
    )


def _trail(milestones: Sequence[domain.Milestone]) -> list[dict[str, Any]]:
    """Milestones as the audit trail keeps them."""
    return [
        {"due_on": m.due_on.isoformat(), "completed_target": m.completed_target} for m in milestones
    ]


def _milestones(body: PlanCreate | PlanUpdate) -> list[domain.Milestone]:
    return [domain.Milestone(m.due_on, m.completed_target) for m in body.milestones or ()]


async def create(ctx: WriteContext, body: PlanCreate) -> tuple[Plan, list[domain.Milestone]]:
    area = resolve_record_area(ctx.principal, body.area_code, body.geography)
    ordered = domain.check_plan(
        body.target_new_build, body.target_repair, body.deadline, _milestones(body)
    )
    plan = Plan(
        id=await plans.new_id(ctx.session, body.id),
        created_by=ctx.principal.key,
        area_code=area.code,
        geography=area.geography,
        title=body.title,
        target_new_build=body.target_new_build,
        target_repair=body.target_repair,
        deadline=body.deadline,
        places=[PlanCommune(commune_code=c) for c in sorted(area.current_communes)],
    )
    # A milestone due inside an approved period is locked (kit.periods).
    await plans.refuse_locked(ctx, plan, (m.due_on for m in ordered))
    await plans.add(ctx, plan, extra={"milestones": [None, _trail(ordered)]})
    repo.add_milestones(ctx.session, plan.id, ordered)
    await ctx.session.flush()
    return plan, ordered


async def update(
    ctx: WriteContext, plan_id: uuid.UUID, body: PlanUpdate
) -> tuple[Plan, list[domain.Milestone]]:
    plan = await plans.take(ctx, plan_id)
    refuse_nulls(body, plans.required)
    sent = body.model_fields_set
    current = (await repo.milestones_of(ctx.session, [plan.id]))[plan.id]
    ordered = domain.check_plan(
        plan.target_new_build if body.target_new_build is None else body.target_new_build,
        plan.target_repair if body.target_repair is None else body.target_repair,
        plan.deadline if body.deadline is None else body.deadline,
        _milestones(body) if "milestones" in sent else current,
    )
    before = plans.snapshot(plan)
    for name in ("title", "target_new_build", "target_repair", "deadline"):
        if name in sent:
            setattr(plan, name, getattr(body, name))
    extra = {}
    if _trail(ordered) != _trail(current):
        # The milestones added, removed or changed: none may be due inside an approved period.
        changed = set(ordered) ^ set(current)
        await plans.refuse_locked(ctx, plan, (m.due_on for m in changed))
        await repo.replace_milestones(ctx.session, plan.id, ordered)
        extra["milestones"] = [_trail(current), _trail(ordered)]
    plans.changed(ctx, plan, before, extra=extra)
    await ctx.session.flush()
    return plan, ordered


async def progress(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID
) -> PlanProgressRead:
    plan = await plans.read(session, principal, plan_id)
    milestones = (await repo.milestones_of(session, [plan.id]))[plan.id]
    completed, by_milestone = await repo.completed_counts(
        session, principal, area_of(plan), milestones
    )
    today = today_vn()
    result = domain.evaluate(
        plan.target_new_build + plan.target_repair, completed, milestones, by_milestone, today
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
