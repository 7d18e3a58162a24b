"""Processing facilities: where they are, what they make, how many jobs they give."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.areas import filter_area, place_commune, require_writable
from mtqg_shared.auth import Principal
from mtqg_shared.errors import not_found
from mtqg_shared.pagination import ListParams, keyset, page_of
from mtqg_shared.types import today_vn
from mtqg_shared.writes import (
    WriteContext,
    bump,
    diff,
    ensure_new_id,
    flush_or_conflict,
    refuse_nulls,
)
from production.domain.dates import check_not_future
from production.facilities.schemas import FacilityCreate, FacilityRead, FacilityUpdate
from production.models import Facility
from production.places import given_place, new_place, placed_conditions, set_place
from production.records import audit_fields

_FIELDS = ("name", "kind", "products", "jobs", "established_on")


def to_read(facility: Facility) -> FacilityRead:
    return FacilityRead.model_validate(
        {
            **{
                name: getattr(facility, name)
                for name in FacilityRead.model_fields
                if name != "geography"
            },
            "geography": given_place(facility)[1],
        }
    )


async def get(
    session: AsyncSession,
    principal: Principal,
    facility_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Facility:
    stmt = select(Facility).where(Facility.id == facility_id)
    if for_update:
        stmt = stmt.with_for_update()
    facility = (await session.execute(stmt)).scalar_one_or_none()
    if facility is None or not principal.can_read_any([facility.commune_code]):
        raise not_found("facility")
    return facility


def check_writable(principal: Principal, facility: Facility) -> None:
    require_writable(principal, [facility.commune_code], "facility")


async def create(ctx: WriteContext, body: FacilityCreate) -> FacilityRead:
    principal, session = ctx.principal, ctx.session
    if body.established_on is not None:
        check_not_future(body.established_on, today_vn(), "body.established_on")
    placed = place_commune(principal, body.commune_code, body.geography, body.established_on)
    facility = Facility(
        id=await ensure_new_id(session, Facility, body.id, "facility"),
        created_by=principal.key,
        version=1,
        **{name: getattr(body, name) for name in _FIELDS},
    )
    set_place(facility, placed)
    session.add(facility)
    await flush_or_conflict(session, "A facility with this id already exists.")
    read = to_read(facility)
    changes = diff({}, audit_fields(read))
    ctx.audit("create", "facility", facility.id, changes, [facility.commune_code])
    return read


async def update(ctx: WriteContext, facility: Facility, body: FacilityUpdate) -> FacilityRead:
    refuse_nulls(body, ("name", "commune_code", "kind", "products", "jobs"))
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    before = audit_fields(to_read(facility))
    old_commune = facility.commune_code
    if given.get("established_on") is not None:
        check_not_future(given["established_on"], today_vn(), "body.established_on")
    for name in _FIELDS:
        if name in given:
            setattr(facility, name, given[name])
    if "commune_code" in given or "geography" in given:
        code, geography = new_place(facility, given)
        placed = place_commune(ctx.principal, code, geography, facility.established_on)
        set_place(facility, placed)
    changes = diff(before, audit_fields(to_read(facility)))
    if changes:
        bump(facility)
        await flush_or_conflict(ctx.session, "The facility changed meanwhile.")
        communes = {old_commune, facility.commune_code}
        ctx.audit("update", "facility", facility.id, changes, communes)
    return to_read(facility)


async def listing(
    session: AsyncSession,
    principal: Principal,
    params: ListParams,
    *,
    area_code: str | None,
    geography: str | None,
    kind: str | None,
) -> tuple[list[FacilityRead], str | None]:
    area = filter_area(principal, area_code, geography)
    stmt = select(Facility).where(
        *placed_conditions(principal, area, Facility.commune_code, Facility.legacy_commune_code)
    )
    if kind is not None:
        stmt = stmt.where(Facility.kind == kind)
    stmt = keyset(stmt, params, Facility.created_at, Facility.updated_at, Facility.id)
    rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, params)
    return [to_read(facility) for facility in items], cursor
