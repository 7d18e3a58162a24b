"""Support norms as a resource: every query about them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from housing.domain.vocabulary import BeneficiaryGroup, SupportType
from housing.models import Norm
from housing.web import PREFIX
from mtqg_shared.admin_units import admin_units
from mtqg_shared.kit import InCommunes, ListParams, Resource
from mtqg_shared.pagination import page_of

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


def _next_start() -> ColumnElement[dt.date | None]:
    """Per norm row: the date the next norm of its group and type starts, or NULL."""
    later: Any = aliased(Norm)
    return (
        select(func.min(later.valid_from))
        .where(
            later.beneficiary_group == Norm.beneficiary_group,
            later.support_type == Norm.support_type,
            later.valid_from > Norm.valid_from,
        )
        .scalar_subquery()
    )


def _with_next(stmt: Select[Any]) -> Select[Any]:
    return stmt.add_columns(_next_start().label("next_start"))


async def page(
    session: AsyncSession,
    listing: ListParams,
    beneficiary_group: BeneficiaryGroup | None,
    support_type: SupportType | None,
) -> tuple[list[tuple[Norm, dt.date | None]], str | None]:
    """A page of norms, each with the start of the next one: one query."""
    stmt = select(Norm)
    if beneficiary_group is not None:
        stmt = stmt.where(Norm.beneficiary_group == beneficiary_group.value)
    if support_type is not None:
        stmt = stmt.where(Norm.support_type == support_type.value)
    rows = (await session.execute(_with_next(norms.keyset(stmt, listing)))).all()
    items, cursor = page_of([row[0] for row in rows], listing)
    following = {row[0].id: row[1] for row in rows}
    return [(norm, following[norm.id]) for norm in items], cursor


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
    stmt = _with_next(select(Norm.id)).where(Norm.id == norm.id)
    return (await session.execute(stmt)).one()[1]  # type: ignore[no-any-return]
