"""Workers as a resource: every query about them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from labour.common import PREFIX, columns_for
from labour.domain.workers import fold_name
from labour.models import Placement, Remittance, Worker
from labour.workers.schemas import WorkerRead
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource
from mtqg_shared.kit.rows import AnyRow, AreaConditions, Contains, Equal, Params, Rows
from mtqg_shared.messages import msg

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

TAKEN = msg("national_id_taken")


# Reads load plain rows of exactly what a worker's answer shows (no ORM entity is built), from
# statements built once: a request adds only its conditions and its page's keyset.
_w, _p, _r = Worker.__table__, Placement.__table__, Remittance.__table__
_TOTAL = (
    select(func.coalesce(func.sum(_r.c.amount_vnd), 0))
    .select_from(_r.join(_p, _p.c.id == _r.c.placement_id))
    .where(_p.c.worker_id == _w.c.id)
    .scalar_subquery()
    .label("remittances_vnd")
)
_ROWS = Rows(workers, (*columns_for(_w, WorkerRead, besides=("remittances_vnd",)), _TOTAL))
_AREA = AreaConditions.in_commune(_w.c.commune_code, _w.c.legacy_commune_code)
_FILTERS = Equal(_w.c.household_code, _w.c.national_id, _w.c.household_poverty)
_NAME = Contains(_w.c.name_folded)
_TOTAL_OF = (
    select(func.coalesce(func.sum(_r.c.amount_vnd), 0))
    .select_from(_r.join(_p, _p.c.id == _r.c.placement_id))
    .where(_p.c.worker_id == bindparam("id"))
)


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
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of workers with each one's remittance total, in one query."""
    params: Params = {}
    conditions = _AREA.where(principal, area, params)
    _FILTERS.add(
        conditions,
        params,
        household_code=household_code,
        national_id=national_id,
        household_poverty=household_poverty,
    )
    _NAME.add(conditions, params, None if q is None else fold_name(q))
    return await _ROWS.page(session, listing, conditions, params)


async def read(session: AsyncSession, principal: Principal, worker_id: uuid.UUID) -> AnyRow:
    """The worker's answer row with their remittance total, in one query; 404 outside the
    caller's areas."""
    return await _ROWS.read(session, principal, worker_id)


async def total_of(session: AsyncSession, worker_id: uuid.UUID) -> int:
    """What a worker's placements sent home (for a worker loaded as a record)."""
    return int(await session.scalar(_TOTAL_OF, {"id": worker_id}) or 0)


async def national_id_taken(
    session: AsyncSession, national_id: str, except_id: uuid.UUID | None = None
) -> bool:
    stmt = select(Worker.id).where(Worker.national_id == national_id)
    if except_id is not None:
        stmt = stmt.where(Worker.id != except_id)
    return (await session.execute(stmt.limit(1))).first() is not None
