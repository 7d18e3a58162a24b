"""Commune profiles as a resource: every query about them. A profile is named by its commune
(as given, in its geography) and its year."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from labour import queries
from labour.common import PREFIX, columns_for
from labour.models import CommuneProfile
from labour.profiles.schemas import ProfileRead
from labour.queries import AnyRow, AnySelect
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource
from mtqg_shared.pagination import page_of

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


# Reads load plain rows of the profile's columns, from statements built once (per shape, for a
# list): a request passes only values. The rates are drawn from the figures by the service.
_c = CommuneProfile.__table__
_ANSWER: AnySelect = select(*columns_for(_c, ProfileRead))
_NAMED: AnySelect = _ANSWER.where(
    _c.c.geography == bindparam("geography"),
    _c.c.unit_code == bindparam("unit_code"),
    _c.c.year == bindparam("year"),
)


def _page(shape: Any) -> AnySelect:
    areas, filters, keys = shape
    stmt = _ANSWER.where(*queries.areas(areas, _c.c.commune_code, _c.c.legacy_commune_code))
    stmt = queries.where_given(stmt, filters, (_c.c.year,))
    return queries.keyed(stmt, keys, _c.c.created_at, _c.c.updated_at, _c.c.id)


_PAGE = queries.Shaped(_page)


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
) -> tuple[list[AnyRow], str | None]:
    areas, values = queries.area_shape(principal, area)
    filters, given = queries.given(("year", year))
    keys, bounds = queries.page_shape(listing)
    stmt = _PAGE((areas, filters, keys))
    return page_of((await session.execute(stmt, values | given | bounds)).all(), listing)
