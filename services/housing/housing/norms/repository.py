"""Support norms as a resource: every query about them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import bindparam, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from housing.domain.vocabulary import BeneficiaryGroup, SupportType
from housing.models import Norm
from housing.web import PREFIX
from mtqg_shared.admin_units import admin_units
from mtqg_shared.kit import InCommunes, ListParams, Resource
from mtqg_shared.kit.rows import Equal, Params, Rows

# A norm binds every commune: everyone reads it, only writers of the whole province set it,
# and every admin reads its trail.
norms = Resource(
    Norm,
    "norm",
    area=InCommunes(
        of=lambda _norm: sorted(admin_units().all_current_communes),
        sql_readable=lambda _principal: true(),
        sql_within=lambda _area: true(),
    ),
    audited=("beneficiary_group", "support_type", "valid_from", "amount_vnd", "basis"),
    prefix=PREFIX,
    path="norms",
)


_norm = Norm.__table__
_later = _norm.alias("later")
# Built once, in Core over the table (plain rows, no ORM loading). Per norm row: the date the
# next norm of its group and type starts, or NULL.
_NEXT_START = (
    select(func.min(_later.c.valid_from))
    .where(
        _later.c.beneficiary_group == _norm.c.beneficiary_group,
        _later.c.support_type == _norm.c.support_type,
        _later.c.valid_from > _norm.c.valid_from,
    )
    .scalar_subquery()
    .label("next_start")
)
_ANSWER = select(*_norm.c, _NEXT_START)
_NEXT_OF = select(_NEXT_START).select_from(_norm).where(_norm.c.id == bindparam("norm_id"))
_ROWS = Rows(norms, list(_ANSWER.selected_columns))
_FILTERS = Equal(_norm.c.beneficiary_group, _norm.c.support_type)


async def page(
    session: AsyncSession,
    listing: ListParams,
    beneficiary_group: BeneficiaryGroup | None,
    support_type: SupportType | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of norms, each with the start of the next one: one query."""
    params: Params = {}
    conditions: list[Any] = []
    _FILTERS.add(conditions, params, beneficiary_group=beneficiary_group, support_type=support_type)
    return await _ROWS.page(session, listing, conditions, params)


async def at(
    session: AsyncSession,
    beneficiary_group: BeneficiaryGroup,
    support_type: SupportType,
    valid_from: dt.date,
) -> Norm | None:
    """The norm of a group and type from a date, locked for the PUT that replaces it."""
    stmt = select(Norm).where(
        Norm.beneficiary_group == beneficiary_group.value,
        Norm.support_type == support_type.value,
        Norm.valid_from == valid_from,
    )
    return (await session.scalars(stmt.with_for_update())).first()


async def next_start(session: AsyncSession, norm: Norm) -> dt.date | None:
    found: dt.date | None = await session.scalar(_NEXT_OF, {"norm_id": norm.id})
    return found


async def one(session: AsyncSession, norm_id: uuid.UUID) -> dict[str, Any]:
    """One norm with the start of the next one (every reader reads every norm); 404 when
    there is none."""
    row = await _ROWS.find(session, norm_id)
    if row is None:
        raise norms.not_found()
    return dict(row._asdict())
