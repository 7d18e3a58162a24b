"""Putting a commune's yearly labour figures: created the first time, replaced after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from labour.common import invalid_many
from labour.domain.profiles import ProfileFigures, inconsistencies, rates_of
from labour.models import CommuneProfile
from labour.profiles.schemas import ProfilePut, ProfileRead
from mtqg_shared.admin_units import PlacedCommune
from mtqg_shared.areas import geography_of, place_commune
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem
from mtqg_shared.rules import RuleViolation
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext, bump, check_if_match, diff, flush_or_conflict

ENTITY = "commune_profile"
FIGURES = (
    "population",
    "households",
    "working_age",
    "employed_elsewhere",
    "poor_households",
    "near_poor_households",
)


def figures_of(source: Any) -> ProfileFigures:
    return ProfileFigures(**{name: getattr(source, name) for name in FIGURES})


def to_read(profile: CommuneProfile) -> ProfileRead:
    rates = rates_of(figures_of(profile))
    return ProfileRead(
        id=profile.id,
        created_at=profile.created_at,
        updated_at=profile.updated_at,
        created_by=profile.created_by,
        version=profile.version,
        commune_code=profile.commune_code,
        legacy_commune_code=profile.legacy_commune_code,
        legacy_district_code=profile.legacy_district_code,
        geography=profile.geography,
        year=profile.year,
        **{name: getattr(profile, name) for name in FIGURES},
        working_age_rate=rates.working_age_rate,
        employed_elsewhere_rate=rates.employed_elsewhere_rate,
        poor_rate=rates.poor_rate,
        near_poor_rate=rates.near_poor_rate,
    )


def _check_year(year: int) -> None:
    if year > today_vn().year:
        raise RuleViolation("path.year", "A profile cannot be for a future year.")


def year_geography(geography: str | None, year: int, field: str) -> str:
    """A profile's year decides its geography: before 2025 the old units, from 2025 the new
    ones (the year ends after the reorganisation)."""
    return geography_of(geography, dt.date(year, 12, 31), field)


async def find(
    session: AsyncSession, geography: str, unit_code: str, year: int, *, for_update: bool = False
) -> CommuneProfile | None:
    stmt = select(CommuneProfile).where(
        CommuneProfile.geography == geography,
        CommuneProfile.unit_code == unit_code,
        CommuneProfile.year == year,
    )
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def readable_profile(
    session: AsyncSession, principal: Principal, commune_code: str, year: int, geography: str | None
) -> CommuneProfile:
    geo = year_geography(geography, year, "query.geography")
    profile = await find(session, geo, commune_code, year)
    if profile is None or not principal.can_read_any([profile.commune_code]):
        raise Problem(404, "No such commune profile.")
    return profile


def _place(
    principal: Principal, commune_code: str, year: int, body: ProfilePut
) -> tuple[str, PlacedCommune]:
    geo = year_geography(body.geography, year, "body.geography")
    # Outside the caller's areas is 422 whether or not a profile exists there, so the answer
    # says nothing about records the caller cannot read.
    placed = place_commune(principal, commune_code, geo, None, field="path.commune_code")
    return geo, placed


async def put(
    ctx: WriteContext, request: Request, commune_code: str, year: int, body: ProfilePut
) -> tuple[CommuneProfile, bool]:
    """(the profile, whether it was created)."""
    _check_year(year)
    geo, placed = _place(ctx.principal, commune_code, year, body)
    problems = inconsistencies(figures_of(body))
    if problems:
        raise invalid_many(problems)
    profile = await find(ctx.session, geo, commune_code, year, for_update=True)
    if profile is not None:
        if request.headers.get("if-match") is not None:
            check_if_match(request, profile.version)
        before = {name: getattr(profile, name) for name in FIGURES}
        for name in FIGURES:
            setattr(profile, name, getattr(body, name))
        changes = diff(before, {name: getattr(profile, name) for name in FIGURES})
        if changes:
            bump(profile)
            ctx.audit("update", ENTITY, profile.id, changes, [profile.commune_code])
            await ctx.session.flush()
        return profile, False
    if request.headers.get("if-match") is not None:
        # If-Match names a version; there is none yet (RFC 9110: the condition is false).
        raise Problem(412, "There is no profile yet to match; send the PUT without If-Match.")
    profile = CommuneProfile(
        created_by=ctx.principal.key,
        version=1,
        commune_code=placed.commune_code,
        legacy_commune_code=placed.legacy_commune_code,
        legacy_district_code=placed.legacy_district_code,
        unit_code=commune_code,
        geography=geo,
        year=year,
        **{name: getattr(body, name) for name in FIGURES},
    )
    ctx.session.add(profile)
    await flush_or_conflict(ctx.session, "This profile was created meanwhile; put it again.")
    values = {"commune_code": commune_code, "geography": geo, "year": year}
    values |= {name: getattr(profile, name) for name in FIGURES}
    ctx.audit("create", ENTITY, profile.id, diff({}, values), [profile.commune_code])
    return profile, True
