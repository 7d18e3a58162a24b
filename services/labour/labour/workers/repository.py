"""Workers as a resource: every query about them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import with_expression

from labour.common import PREFIX
from labour.domain.workers import fold_name
from labour.models import Placement, Remittance, Worker
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource

workers = Resource(
    Worker,
    "worker",
    area=InCommune(Worker.commune_code, Worker.legacy_commune_code),
    audited=(
        "national_id",
        "full_name",
        "date_of_birth",
        "gender",
        "ethnicity",
        "commune_code",
        "legacy_commune_code",
        "legacy_district_code",
        "village",
        "household_code",
        "household_poverty",
        "phone",
    ),
    required=(
        "national_id",
        "full_name",
        "date_of_birth",
        "gender",
        "commune_code",
        "household_poverty",
    ),
    prefix=PREFIX,
    path="workers",
)

TAKEN = "A worker with this identity number already exists."


def remittances_total() -> ScalarSelect[Any]:
    """Everything a worker's placements sent home (a correlated sum, per row)."""
    return (
        select(func.coalesce(func.sum(Remittance.amount_vnd), 0))
        .join(Placement, Placement.id == Remittance.placement_id)
        .where(Placement.worker_id == Worker.id)
        .scalar_subquery()
    )


def with_total() -> Any:
    """Load option: the worker's `remittances_vnd`, summed in the same query."""
    return with_expression(Worker.remittances_vnd, remittances_total())


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    household_code: str | None,
    national_id: str | None,
    household_poverty: str | None,
    q: str | None,
) -> tuple[list[Worker], str | None]:
    """One page of workers with each one's remittance total, in one query."""
    stmt = workers.visible(principal, area).options(with_total())
    if household_code is not None:
        stmt = stmt.where(Worker.household_code == household_code)
    if national_id is not None:
        stmt = stmt.where(Worker.national_id == national_id)
    if household_poverty is not None:
        stmt = stmt.where(Worker.household_poverty == household_poverty)
    if q is not None:
        stmt = stmt.where(Worker.name_folded.contains(fold_name(q), autoescape=True))
    return await workers.page(session, stmt, listing)


async def read(session: AsyncSession, principal: Principal, worker_id: uuid.UUID) -> Worker:
    """The worker with their remittance total, in one query; 404 outside the caller's
    areas."""
    stmt = select(Worker).where(Worker.id == worker_id).options(with_total())
    worker = (await session.scalars(stmt)).first()
    if worker is None or not workers.area.may_read(principal, worker):
        raise workers.not_found()
    return worker


async def total_of(session: AsyncSession, worker_id: uuid.UUID) -> int:
    """What a worker's placements sent home (for a worker loaded without it)."""
    stmt = select(remittances_total()).select_from(Worker).where(Worker.id == worker_id)
    return int(await session.scalar(stmt) or 0)


async def national_id_taken(
    session: AsyncSession, national_id: str, except_id: uuid.UUID | None = None
) -> bool:
    stmt = select(Worker.id).where(Worker.national_id == national_id)
    if except_id is not None:
        stmt = stmt.where(Worker.id != except_id)
    return (await session.execute(stmt.limit(1))).first() is not None
