"""Commune profiles as a resource: every query about them. A profile is named by its commune
(as given, in its geography) and its year."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from labour.common import PREFIX
from labour.models import CommuneProfile
from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommune, ListParams, Resource

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


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    year: int | None,
) -> tuple[list[CommuneProfile], str | None]:
    stmt = profiles.visible(principal, area)
    if year is not None:
        stmt = stmt.where(CommuneProfile.year == year)
    return await profiles.page(session, stmt, listing)
