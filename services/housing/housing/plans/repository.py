"""Plans as a resource: every query about them and their milestones."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import and_, case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from housing.coverage import covering
from housing.domain import plans as domain
from housing.domain.status import COMPLETED
from housing.models import Case, Plan, PlanCommune, PlanMilestone
from housing.web import PREFIX
from mtqg_shared.admin_units import Area
from mtqg_shared.areas import in_area, readable
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Resource

plans = Resource(
    Plan,
    "plan",
    area=covering(PlanCommune, PlanCommune.plan_id, Plan.id),
    audited=("area_code", "geography", "title", "target_new_build", "target_repair", "deadline"),
    required=("title", "target_new_build", "target_repair", "deadline", "milestones"),
    prefix=PREFIX,
    path="plans",
)


async def milestones_of(
    session: AsyncSession, plan_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[domain.Milestone]]:
    """The milestones of these plans in date order, in one query."""
    found: dict[uuid.UUID, list[domain.Milestone]] = defaultdict(list)
    if plan_ids:
        stmt = (
            select(PlanMilestone)
            .where(PlanMilestone.plan_id.in_(plan_ids))
            .order_by(PlanMilestone.plan_id, PlanMilestone.due_on)
        )
        for m in (await session.scalars(stmt)).all():
            found[m.plan_id].append(domain.Milestone(m.due_on, m.completed_target))
    return found


async def page(
    session: AsyncSession, principal: Principal, area: Area | None, listing: ListParams
) -> tuple[list[Plan], str | None]:
    # A list filters by area in SQL: the places of each plan are not loaded (nor needed).
    stmt = plans.visible(principal, area).options(raiseload(Plan.places))
    return await plans.page(session, stmt, listing)


async def replace_milestones(
    session: AsyncSession, plan_id: uuid.UUID, milestones: Sequence[domain.Milestone]
) -> None:
    await session.execute(delete(PlanMilestone).where(PlanMilestone.plan_id == plan_id))
    add_milestones(session, plan_id, milestones)


def add_milestones(
    session: AsyncSession, plan_id: uuid.UUID, milestones: Sequence[domain.Milestone]
) -> None:
    session.add_all(
        PlanMilestone(plan_id=plan_id, due_on=m.due_on, completed_target=m.completed_target)
        for m in milestones
    )


async def completed_counts(
    session: AsyncSession,
    principal: Principal,
    area: Area,
    milestones: Sequence[domain.Milestone],
) -> tuple[int, list[int]]:
    """One aggregate over the area's cases the caller may read: completed now, and completed
    by each milestone's date. Cancelled cases never reach completed, so counting completed
    ones leaves them out."""
    done = Case.status.in_(sorted(COMPLETED))
    columns = [func.coalesce(func.sum(case((done, 1), else_=0)), 0)]
    columns += [
        func.coalesce(func.sum(case((and_(done, Case.completed_on <= m.due_on), 1), else_=0)), 0)
        for m in milestones
    ]
    stmt = select(*columns).where(
        in_area(area, Case.commune_code, Case.legacy_commune_code),
        readable(principal, Case.commune_code),
    )
    row = (await session.execute(stmt)).one()
    return int(row[0]), [int(n) for n in row[1:]]
