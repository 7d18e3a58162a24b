"""Processing facilities: where they are, what they make, how many jobs they give."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.areas import filter_area, place_commune
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Page, WriteContext
from mtqg_shared.rules import check_not_future
from mtqg_shared.types import today_vn
from mtqg_shared.writes import refuse_nulls
from production.facilities import repository as repo
from production.facilities.repository import facilities
from production.facilities.schemas import FacilityCreate, FacilityRead, FacilityUpdate
from production.models import Facility, given_geography
from production.places import new_place, set_place

_FIELDS = ("name", "kind", "products", "jobs", "established_on")


def present(facility: Facility) -> FacilityRead:
    return FacilityRead.model_validate(facility)


def _values(values: dict[str, Any]) -> dict[str, Any]:
    values["geography"] = given_geography(values["legacy_commune_code"])
    return values


def present_row(row: Row[Any]) -> FacilityRead:
    return FacilityRead.model_validate(_values(row._asdict()))


async def read(session: AsyncSession, principal: Principal, facility_id: uuid.UUID) -> Row[Any]:
    return await repo.rows.read(session, principal, facility_id)


async def create(ctx: WriteContext, body: FacilityCreate) -> Facility:
    if body.established_on is not None:
        check_not_future(body.established_on, today_vn(), "body.established_on")
    placed = place_commune(ctx.principal, body.commune_code, body.geography, body.established_on)
    facility = Facility(
        id=await facilities.new_id(ctx.session, body.id),
        created_by=ctx.principal.key,
        version=1,
        **{name: getattr(body, name) for name in _FIELDS},
    )
    set_place(facility, placed)
    return await facilities.add(ctx, facility)


async def update(ctx: WriteContext, facility_id: uuid.UUID, body: FacilityUpdate) -> Facility:
    facility = await facilities.take(ctx, facility_id)
    refuse_nulls(body, facilities.required)
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    before = facilities.snapshot(facility)
    if given.get("established_on") is not None:
        check_not_future(given["established_on"], today_vn(), "body.established_on")
    for name in _FIELDS:
        if name in given:
            setattr(facility, name, given[name])
    if "commune_code" in given or "geography" in given:
        code, geography = new_place(facility, given)
        set_place(facility, place_commune(ctx.principal, code, geography, facility.established_on))
    facilities.changed(ctx, facility, before)
    return facility


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area_code: str | None,
    geography: str | None,
    kind: str | None,
) -> Page[FacilityRead]:
    area = filter_area(principal, area_code, geography)
    rows, cursor = await repo.page(session, principal, listing, area=area, kind=kind)
    items = [_values(row) for row in rows]
    return Page[FacilityRead].model_validate({"items": items, "next_cursor": cursor})
