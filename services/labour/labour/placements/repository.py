"""Placements and their status steps as resources: every query about them. A placement lies
where its worker lives, so it is read with its worker (one join) and placed by the worker's
commune."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, bindparam, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from labour.common import PREFIX, columns_for
from labour.domain.status import CLOSED
from labour.models import Partner, Placement, PlacementStep, Remittance, Worker
from labour.placements.schemas import PlacementRead, TransitionRead
from mtqg_shared.admin_units import Area
from mtqg_shared.areas import in_area, readable
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommunes, ListParams, Resource
from mtqg_shared.kit.rows import AnyRow, AnySelect, AreaConditions, Equal, Params, Rows
from mtqg_shared.messages import Msg, msg
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
    dated="registered_on",
    counted=(
        "worker_id",
        "destination_country",
        "scheme",
        "monthly_salary_vnd",
        "departed_on",
        "returned_on",
        "withdrawn_on",
    ),
    stepped="last_step_on",
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

ACTIVE_EXISTS = msg("placement_active_exists")


# Reads load plain rows of exactly what an answer shows (no ORM entity is built), from
# statements built once: a request passes only values.
_p, _w, _s, _r = (m.__table__ for m in (Placement, Worker, PlacementStep, Remittance))
_WITH_WORKER = _p.join(_w, _w.c.id == _p.c.worker_id)
_TOTAL = (
    select(func.coalesce(func.sum(_r.c.amount_vnd), 0))
    .where(_r.c.placement_id == _p.c.id)
    .scalar_subquery()
    .label("remittances_vnd")
)
# A placement lies where its worker lives: its place is the worker's.
_ROWS = Rows(
    placements,
    (
        *columns_for(_p, PlacementRead, besides=("remittances_vnd",)),
        _w.c.commune_code,
        _w.c.legacy_commune_code,
        _w.c.legacy_district_code,
        _TOTAL,
    ),
    from_=_WITH_WORKER,
)
_AREA = AreaConditions.in_commune(_w.c.commune_code, _w.c.legacy_commune_code)
_FILTERS = Equal(
    _p.c.status,
    _p.c.destination_country,
    _p.c.scheme,
    _p.c.worker_id,
    _p.c.partner_id,
    _w.c.household_code,
)
_TOTAL_OF = select(func.coalesce(func.sum(_r.c.amount_vnd), 0)).where(
    _r.c.placement_id == bindparam("id")
)
_COMMUNE = select(_w.c.commune_code).select_from(_WITH_WORKER).where(_p.c.id == bindparam("id"))


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
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of placements with their workers' places and remittance sums, in one
    query."""
    params: Params = {}
    conditions = _AREA.where(principal, area, params)
    _FILTERS.add(
        conditions,
        params,
        status=status,
        destination_country=destination_country,
        scheme=scheme,
        worker_id=worker_id,
        partner_id=partner_id,
        household_code=household_code,
    )
    return await _ROWS.page(session, listing, conditions, params)


async def read(session: AsyncSession, principal: Principal, placement_id: uuid.UUID) -> AnyRow:
    """The placement's answer row with its worker's place and remittance sum, in one query;
    404 outside the caller's areas."""
    row = await _ROWS.find(session, placement_id)
    if row is None or not principal.can_read_any((row.commune_code,)):
        raise placements.not_found()
    return row


async def require_readable(
    session: AsyncSession, principal: Principal, placement_id: uuid.UUID
) -> None:
    """404 unless the placement exists within the caller's areas (for a read of a record kept
    under it: a step, a remittance), reading only its worker's commune."""
    commune = await session.scalar(_COMMUNE, {"id": placement_id})
    if commune is None or not principal.can_read_any((commune,)):
        raise placements.not_found()


async def total_of(session: AsyncSession, placement_id: uuid.UUID) -> int:
    """What a placement's worker sent home (for a placement loaded as a record)."""
    return int(await session.scalar(_TOTAL_OF, {"id": placement_id}) or 0)


# What a new placement needs to know, in one query: its worker (or no row), the worker's
# active placement if any, and whether the partner it names exists.
_pt = Partner.__table__
_ACTIVE = (
    select(_p.c.id)
    .where(_p.c.worker_id == _w.c.id, _p.c.status.not_in(sorted(CLOSED)))
    .limit(1)
    .scalar_subquery()
    .label("active")
)
_PARTNER = exists().where(_pt.c.id == bindparam("partner")).label("partner_exists")
_FOR_NEW: AnySelect = select(Worker, _ACTIVE, _PARTNER).where(Worker.id == bindparam("worker"))


async def for_new_placement(
    session: AsyncSession, worker_id: uuid.UUID, partner_id: uuid.UUID | None
) -> tuple[Worker | None, uuid.UUID | None, bool]:
    """(the worker, their active placement's id or None, whether `partner_id` names a
    partner) for a new placement; the worker is None when there is no such worker."""
    row = (await session.execute(_FOR_NEW, {"worker": worker_id, "partner": partner_id})).first()
    if row is None:
        return None, None, False
    return row[0], row.active, bool(row.partner_exists)


async def last_seq(session: AsyncSession, placement_id: uuid.UUID) -> int:
    stmt = select(func.max(PlacementStep.seq)).where(PlacementStep.placement_id == placement_id)
    return int(await session.scalar(stmt) or 0)


async def add_step(session: AsyncSession, step: PlacementStep, conflict: Msg) -> None:
    """Insert a step (its audit is the placement's): a racing step that took the same `seq`
    first is 409 `conflict`."""
    session.add(step)
    await flush_or_conflict(session, conflict, type="invalid-state")


# A placement's steps: read under it (its area was checked on the placement).
_STEPS = Rows(
    steps,
    (
        *columns_for(_s, TransitionRead),
        _s.c.from_status.label("from_"),
        _s.c.to_status.label("to"),
        _s.c.on_date.label("on"),
        _s.c.created_by.label("actor"),
    ),
    where=(_s.c.placement_id == bindparam("placement", type_=_s.c.placement_id.type),),
)


async def steps_page(
    session: AsyncSession, placement_id: uuid.UUID, listing: ListParams
) -> tuple[list[dict[str, Any]], str | None]:
    """A placement's steps as answer rows (its area was checked on the placement)."""
    return await _STEPS.page(session, listing, params={"placement": placement_id})


async def step(session: AsyncSession, placement_id: uuid.UUID, step_id: uuid.UUID) -> AnyRow | None:
    """One step of the placement as an answer row (its area was checked on the placement)."""
    return await _STEPS.find(session, step_id, {"placement": placement_id})
