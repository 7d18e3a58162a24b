"""Commune profiles as a resource: every query about them. A profile is named by its commune
(as given, in its geography) and its year."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from labour.common import PREFIX, columns_for
from labour.models import CommuneProfile
from labour.profiles.schemas import ProfileRead
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource
from mtqg_shared.kit.rows import AnyRow, AnySelect, AreaConditions, Equal, Params, Rows

FIGURES = (
    "population",
    "households",
    "working_age",
    "employed_elsewhere",
    "poor_households",
    "near_poor_households",
)

profiles = Resource(
    CommuneProfile,
    "commune profile",
    area=InCommune(CommuneProfile.commune_code, CommuneProfile.legacy_commune_code),
    audited=FIGURES,
    prefix=PREFIX,
    path="commune-profiles",
    item="commune-profiles/{unit_code}/{year}?geography={geography}",
)


def location(unit_code: str, year: int, geography: str) -> str:
    return f"{profiles.collection}/{unit_code}/{year}?geography={geography}"


async def find(
    session: AsyncSession, geography: str, unit_code: str, year: int, *, lock: bool = False
) -> CommuneProfile | None:
    stmt = select(CommuneProfile).where(
        CommuneProfile.geography == geography,
        CommuneProfile.unit_code == unit_code,
        CommuneProfile.year == year,
    )
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


# Reads load plain rows of the profile's columns, from statements built once: a request
# passes only values. The rates are drawn from the figures by the service.
_c = CommuneProfile.__table__
_ROWS = Rows(profiles, columns_for(_c, ProfileRead))
_AREA = AreaConditions.in_commune(_c.c.commune_code, _c.c.legacy_commune_code)
_FILTERS = Equal(_c.c.year)
_NAMED: AnySelect = select(*columns_for(_c, ProfileRead)).where(
    _c.c.geography == bindparam("geography"),
    _c.c.unit_code == bindparam("unit_code"),
    _c.c.year == bindparam("year"),
)


async def row_of(session: AsyncSession, geography: str, unit_code: str, year: int) -> AnyRow | None:
    """The profile's row, for a read."""
    values = {"geography": geography, "unit_code": unit_code, "year": year}
    return (await session.execute(_NAMED, values)).first()


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    year: int | None,
) -> tuple[list[dict[str, Any]], str | None]:
    params: Params = {}
    conditions = _AREA.where(principal, area, params)
    _FILTERS.add(conditions, params, year=year)
    return await _ROWS.page(session, listing, conditions, params)
