"""Placement queries: a placement is read with its worker's commune and its remittance sum."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from labour.models import CLOSED_STATUSES, Placement, PlacementStep, Remittance, Worker
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem


@dataclass(frozen=True, slots=True)
class PlacementRow:
    placement: Placement
    commune_code: str
    legacy_commune_code: str | None
    legacy_district_code: str | None
    remittances_vnd: int

    # page_of() reads these from the last row of a page.
    @property
    def id(self) -> uuid.UUID:
        return self.placement.id

    @property
    def created_at(self) -> Any:
        return self.placement.created_at

    @property
    def updated_at(self) -> Any:
        return self.placement.updated_at


def remittances_total() -> Any:
    return (
        select(func.coalesce(func.sum(Remittance.amount_vnd), 0))
        .where(Remittance.placement_id == Placement.id)
        .scalar_subquery()
    )


def rows_stmt() -> Select[Any]:
    return select(
        Placement,
        Worker.commune_code,
        Worker.legacy_commune_code,
        Worker.legacy_district_code,
        remittances_total().label("remittances_vnd"),
    ).join(Worker, Worker.id == Placement.worker_id)


def to_row(row: Any) -> PlacementRow:
    return PlacementRow(row[0], row[1], row[2], row[3], int(row[4]))


async def readable_row(
    session: AsyncSession, principal: Principal, placement_id: uuid.UUID
) -> PlacementRow:
    row = (await session.execute(rows_stmt().where(Placement.id == placement_id))).first()
    if row is None or not principal.can_read_any([row[1]]):
        raise Problem(404, "No such placement.")
    return to_row(row)


async def placement_and_worker(
    session: AsyncSession, principal: Principal, placement_id: uuid.UUID
) -> tuple[Placement, Worker]:
    """For a write: the placement locked against concurrent changes, and its worker; 404
    when either is missing or outside the caller's areas."""
    placement = await session.get(Placement, placement_id, with_for_update=True)
    worker = None if placement is None else await session.get(Worker, placement.worker_id)
    if placement is None or worker is None or not principal.can_read_any([worker.commune_code]):
        raise Problem(404, "No such placement.")
    return placement, worker


async def active_placement_of(session: AsyncSession, worker_id: uuid.UUID) -> uuid.UUID | None:
    stmt = select(Placement.id).where(
        Placement.worker_id == worker_id, Placement.status.not_in(CLOSED_STATUSES)
    )
    return (await session.execute(stmt.limit(1))).scalar_one_or_none()


async def last_seq(session: AsyncSession, placement_id: uuid.UUID) -> int:
    stmt = select(func.max(PlacementStep.seq)).where(PlacementStep.placement_id == placement_id)
    return int(await session.scalar(stmt) or 0)
