"""Placements and their status steps as resources: every query about them. A placement lies
where its worker lives, so it is read with its worker (one join) and placed by the worker's
commune."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager, with_expression

from labour.common import PREFIX
from labour.domain.status import CLOSED
from labour.models import Placement, PlacementStep, Remittance, Worker
from mtqg_shared.admin_units import Area
from mtqg_shared.areas import in_area, readable
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommunes, ListParams, Resource
from mtqg_shared.writes import flush_or_conflict


def _of_worker(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """A condition on the worker, said of a placement (any statement over placements)."""
    return Placement.worker_id.in_(select(Worker.id).where(condition))


placements = Resource(
    Placement,
    "placement",
    area=InCommunes(
        of=lambda p: (p.worker.commune_code,),
        sql_readable=lambda principal: _of_worker(readable(principal, Worker.commune_code)),
        sql_within=lambda area: _of_worker(
            in_area(area, Worker.commune_code, Worker.legacy_commune_code)
        ),
    ),
    audited=(
        "worker_id",
        "destination_country",
        "scheme",
        "partner_id",
        "employer",
        "sector",
        "contract_months",
        "monthly_salary_vnd",
        "registered_on",
        "status",
        "departed_on",
        "returned_on",
        "withdrawn_on",
        "notes",
    ),
    required=("destination_country", "scheme"),
    prefix=PREFIX,
    path="placements",
)


def under_placement(placement_id: Any, placement_of: Any) -> InCommunes:
    """The area of a record kept under a placement (a step, a remittance): its worker's
    commune; `placement_of` reads the placement from a loaded record."""
    return InCommunes(
        of=lambda r: (placement_of(r).worker.commune_code,),
        sql_readable=lambda principal: placement_id.in_(
            select(Placement.id).where(placements.area.readable(principal))
        ),
        sql_within=lambda area: placement_id.in_(
            select(Placement.id).where(placements.area.within(area))
        ),
    )


# A step is read and written under its placement (whose area it shares).
steps = Resource(
    PlacementStep,
    "transition",
    area=under_placement(PlacementStep.placement_id, lambda s: s.placement),
    audited=("placement_id", "seq", "from_status", "to_status", "on_date", "note"),
    prefix=PREFIX,
    path="placements",
)

ACTIVE_EXISTS = "This worker already has an active placement."


def remittances_total() -> ScalarSelect[Any]:
    return (
        select(func.coalesce(func.sum(Remittance.amount_vnd), 0))
        .where(Remittance.placement_id == Placement.id)
        .scalar_subquery()
    )


def with_total() -> Any:
    """Load option: the placement's `remittances_vnd`, summed in the same query."""
    return with_expression(Placement.remittances_vnd, remittances_total())


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    status: str | None,
    destination_country: str | None,
    scheme: str | None,
    worker_id: uuid.UUID | None,
    partner_id: uuid.UUID | None,
    household_code: str | None,
) -> tuple[list[Placement], str | None]:
    """One page of placements with their workers and remittance sums, in one query."""
    w = Worker
    stmt = (
        select(Placement)
        .join(Placement.worker)
        .options(
            # A page shows the worker's place only: the rest of the worker is not loaded.
            contains_eager(Placement.worker).load_only(
                w.commune_code, w.legacy_commune_code, w.legacy_district_code
            ),
            with_total(),
        )
        .where(readable(principal, w.commune_code))
    )
    if area is not None:
        stmt = stmt.where(in_area(area, w.commune_code, w.legacy_commune_code))
    if status is not None:
        stmt = stmt.where(Placement.status == status)
    if destination_country is not None:
        stmt = stmt.where(Placement.destination_country == destination_country)
    if scheme is not None:
        stmt = stmt.where(Placement.scheme == scheme)
    if worker_id is not None:
        stmt = stmt.where(Placement.worker_id == worker_id)
    if partner_id is not None:
        stmt = stmt.where(Placement.partner_id == partner_id)
    if household_code is not None:
        stmt = stmt.where(w.household_code == household_code)
    return await placements.page(session, stmt, listing)


async def read(session: AsyncSession, principal: Principal, placement_id: uuid.UUID) -> Placement:
    """The placement with its worker and remittance sum, in one query; 404 outside the
    caller's areas."""
    stmt = select(Placement).where(Placement.id == placement_id).options(with_total())
    placement = (await session.scalars(stmt)).first()
    if placement is None or not placements.area.may_read(principal, placement):
        raise placements.not_found()
    return placement


async def total_of(session: AsyncSession, placement_id: uuid.UUID) -> int:
    """What a placement's worker sent home (for a placement loaded without it)."""
    stmt = select(func.coalesce(func.sum(Remittance.amount_vnd), 0)).where(
        Remittance.placement_id == placement_id
    )
    return int(await session.scalar(stmt) or 0)


async def active_placement_of(session: AsyncSession, worker_id: uuid.UUID) -> uuid.UUID | None:
    stmt = select(Placement.id).where(
        Placement.worker_id == worker_id, Placement.status.not_in(sorted(CLOSED))
    )
    return (await session.execute(stmt.limit(1))).scalar_one_or_none()


async def last_seq(session: AsyncSession, placement_id: uuid.UUID) -> int:
    stmt = select(func.max(PlacementStep.seq)).where(PlacementStep.placement_id == placement_id)
    return int(await session.scalar(stmt) or 0)


async def add_step(session: AsyncSession, step: PlacementStep, conflict: str) -> None:
    """Insert a step (its audit is the placement's): a racing step that took the same `seq`
    first is 409 `conflict`."""
    session.add(step)
    await flush_or_conflict(session, conflict, type="invalid-state")


async def steps_page(
    session: AsyncSession, placement_id: uuid.UUID, listing: ListParams
) -> tuple[list[PlacementStep], str | None]:
    """A placement's steps (its area was checked on the placement)."""
    stmt = select(PlacementStep).where(PlacementStep.placement_id == placement_id)
    return await steps.page(session, stmt, listing)
