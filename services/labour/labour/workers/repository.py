"""Worker queries."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from labour.domain.workers import fold_name
from labour.models import Placement, Remittance, Worker
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem


def remittances_total() -> Any:
    """Everything a worker's placements sent home (a correlated sum, per row)."""
    return (
        select(func.coalesce(func.sum(Remittance.amount_vnd), 0))
        .join(Placement, Placement.id == Remittance.placement_id)
        .where(Placement.worker_id == Worker.id)
        .scalar_subquery()
    )


def with_total() -> Select[Worker, int]:
    return select(Worker, remittances_total().label("remittances_vnd"))


async def readable_worker(
    session: AsyncSession, principal: Principal, worker_id: uuid.UUID
) -> Worker:
    """The worker, or 404 when it does not exist or lies outside the caller's areas."""
    worker = await session.get(Worker, worker_id)
    if worker is None or not principal.can_read_any([worker.commune_code]):
        raise Problem(404, "No such worker.")
    return worker


async def read_with_total(
    session: AsyncSession, principal: Principal, worker_id: uuid.UUID
) -> tuple[Worker, int]:
    row = (await session.execute(with_total().where(Worker.id == worker_id))).first()
    if row is None or not principal.can_read_any([row[0].commune_code]):
        raise Problem(404, "No such worker.")
    return row[0], int(row[1])


async def national_id_taken(
    session: AsyncSession, national_id: str, except_id: uuid.UUID | None = None
) -> bool:
    stmt = select(Worker.id).where(Worker.national_id == national_id)
    if except_id is not None:
        stmt = stmt.where(Worker.id != except_id)
    return (await session.execute(stmt.limit(1))).first() is not None


def name_contains(q: str) -> Any:
    return Worker.name_folded.contains(fold_name(q), autoescape=True)
