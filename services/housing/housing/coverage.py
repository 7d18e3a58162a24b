"""Records that cover an area rather than one commune (plans, obstacles): the current
communes they cover live in a link table, which is what the area rules look at."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, false, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import GEO_NEW, Area
from mtqg_shared.auth import Principal


def readable_via(
    principal: Principal, link: Any, owner_col: Any, owner_id: Any
) -> ColumnElement[bool]:
    """SQL: one of the record's communes lies in the caller's areas."""
    if principal.communes is None:
        return true()
    if not principal.communes:
        return false()
    return exists().where(owner_col == owner_id, link.commune_code.in_(sorted(principal.communes)))


def overlaps(area: Area, link: Any, owner_col: Any, owner_id: Any) -> ColumnElement[bool]:
    """SQL: the record covers some commune of `area` (a filter)."""
    if area.geography == GEO_NEW and area.level == "province":
        return true()
    return exists().where(
        owner_col == owner_id, link.commune_code.in_(sorted(area.current_communes))
    )


async def communes_of(session: AsyncSession, link: Any, owner_col: Any, owner_id: Any) -> list[str]:
    stmt = select(link.commune_code).where(owner_col == owner_id)
    return list((await session.scalars(stmt)).all())
