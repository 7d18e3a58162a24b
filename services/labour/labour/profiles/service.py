"""Putting a commune's yearly labour figures: created the first time, replaced after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from labour.common import invalid_many, values_of
from labour.domain.profiles import ProfileFigures, inconsistencies, rates_of
from labour.models import CommuneProfile
from labour.profiles import repository as repo
from labour.profiles.repository import FIGURES, profiles
from labour.profiles.schemas import ProfilePut, ProfileRead
from mtqg_shared.areas import geography_of, place_commune
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem
from mtqg_shared.kit.rows import AnyRow
from mtqg_shared.messages import msg
from mtqg_shared.pagination import Page
from mtqg_shared.rules import RuleViolation
from mtqg_shared.types import today_vn
from mtqg_shared.writes import WriteContext, diff, require_version


def figures_of(source: Any) -> ProfileFigures:
    return ProfileFigures(**{name: getattr(source, name) for name in FIGURES})


def present(profile: CommuneProfile) -> ProfileRead:
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


ProfilePage = Page[ProfileRead]


def _with_rates(values: dict[str, Any]) -> dict[str, Any]:
    rates = rates_of(ProfileFigures(**{name: values[name] for name in FIGURES}))
    values["working_age_rate"] = rates.working_age_rate
    values["employed_elsewhere_rate"] = rates.employed_elsewhere_rate
    values["poor_rate"] = rates.poor_rate
    values["near_poor_rate"] = rates.near_poor_rate
    return values


def present_row(row: AnyRow) -> ProfileRead:
    """A profile read as a row, with its rates, validated once into its answer."""
    return ProfileRead.model_validate(_with_rates(values_of((row,))[0]))


def present_page(items: list[dict[str, Any]], cursor: str | None) -> ProfilePage:
    """A page of profile rows (by column label), each with its rates, validated once into
    its answer."""
    items = [_with_rates(values) for values in items]
    return ProfilePage.model_validate({"items": items, "next_cursor": cursor})


def _check_year(year: int) -> None:
    if year > today_vn().year:
        raise RuleViolation("path.year", "in_future.year")


def year_geography(geography: str | None, year: int, field: str) -> str:
    """A profile's year decides its geography: before 2025 the old units, from 2025 the new
    ones (the year ends after the reorganisation)."""
    return geography_of(geography, dt.date(year, 12, 31), field)


async def read(
    session: AsyncSession, principal: Principal, commune_code: str, year: int, geography: str | None
) -> AnyRow:
    geo = year_geography(geography, year, "query.geography")
    row = await repo.row_of(session, geo, commune_code, year)
    if row is None or not profiles.area.may_read(principal, row):
        raise profiles.not_found()
    return row


async def put(
    ctx: WriteContext, commune_code: str, year: int, body: ProfilePut
) -> tuple[CommuneProfile, bool]:
    """(the profile, whether it was created). If-Match is optional here: a PUT may create,
    and a replace without it is the caller's choice; when sent it must name the current
    version (412 otherwise, and always when there is no profile yet)."""
    _check_year(year)
    geo = year_geography(body.geography, year, "body.geography")
    # Outside the caller's areas is 422 whether or not a profile exists there, so the answer
    # says nothing about records the caller cannot read.
    placed = place_commune(ctx.principal, commune_code, geo, None, field="path.commune_code")
    problems = inconsistencies(figures_of(body))
    if problems:
        raise invalid_many(problems)
    profile = await repo.find(ctx.session, geo, commune_code, year, lock=True)
    if profile is not None:
        if ctx.if_match is not None:
            require_version(ctx.if_match, profile.version)
        profiles.apply(ctx, profile, {name: getattr(body, name) for name in FIGURES})
        await ctx.session.flush()
        return profile, False
    if ctx.if_match is not None:
        # If-Match names a version; there is none yet (RFC 9110: the condition is false).
        raise Problem(412, msg("profile_none_to_match"))
    profile = CommuneProfile(
        id=await profiles.new_id(ctx.session, None),
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
    where = {"commune_code": commune_code, "geography": geo, "year": year}
    return (
        await profiles.add(
            ctx,
            profile,
            conflict=msg("profile_created_meanwhile"),
            extra=diff({}, where),
        ),
        True,
    )
