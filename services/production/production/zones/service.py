"""Zones: placed in a commune or a legacy district, with certified and linked land inside."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.areas import filter_area, require_writable
from mtqg_shared.auth import Principal
from mtqg_shared.errors import not_found
from mtqg_shared.pagination import ListParams, keyset, page_of
from mtqg_shared.writes import (
    WriteContext,
    bump,
    diff,
    ensure_new_id,
    flush_or_conflict,
    refuse_nulls,
)
from production.domain.land import check_zone_land, ha_to_m2, m2_to_ha
from production.models import Zone, ZonePlace
from production.places import ZonePlaces, place_zone, spread_conditions
from production.records import audit_fields
from production.zones.schemas import ZoneCreate, ZoneRead, ZoneUpdate


def to_read(zone: Zone) -> ZoneRead:
    return ZoneRead(
        id=zone.id,
        created_at=zone.created_at,
        updated_at=zone.updated_at,
        created_by=zone.created_by,
        version=zone.version,
        name=zone.name,
        crop=zone.crop,
        area_code=zone.area_code,
        geography="2025-01" if zone.legacy_district_code else "2025-07",
        commune_codes=zone.commune_codes,
        legacy_commune_code=zone.legacy_commune_code,
        legacy_district_code=zone.legacy_district_code,
        year=zone.year,
        area_ha=m2_to_ha(zone.area_m2) or 0.0,
        certified_area_ha=m2_to_ha(zone.certified_m2),
        certification=zone.certification,
        linked_area_ha=m2_to_ha(zone.linked_m2),
    )


def _m2(ha: float | None) -> int | None:
    return None if ha is None else ha_to_m2(ha)


def _set_places(session: AsyncSession, zone: Zone, places: ZonePlaces) -> None:
    zone.area_code = places.area_code
    zone.legacy_commune_code = places.legacy_commune_code
    zone.legacy_district_code = places.legacy_district_code
    zone.commune_codes = places.commune_codes
    session.add_all(
        ZonePlace(zone_id=zone.id, commune_code=current, legacy_commune_code=legacy)
        for current, legacy in places.rows
    )


async def get(
    session: AsyncSession, principal: Principal, zone_id: uuid.UUID, *, for_update: bool = False
) -> Zone:
    """The zone, or 404 when it does not exist or lies wholly outside the caller's areas."""
    stmt = select(Zone).where(Zone.id == zone_id)
    if for_update:
        stmt = stmt.with_for_update()
    zone = (await session.execute(stmt)).scalar_one_or_none()
    if zone is None or not principal.can_read_any(zone.commune_codes):
        raise not_found("zone")
    return zone


async def create(ctx: WriteContext, body: ZoneCreate) -> ZoneRead:
    principal, session = ctx.principal, ctx.session
    places = place_zone(principal, body.area_code, body.geography, body.year)
    area_m2 = ha_to_m2(body.area_ha)
    certified_m2, linked_m2 = _m2(body.certified_area_ha), _m2(body.linked_area_ha)
    check_zone_land(area_m2, certified_m2, linked_m2, body.certification)
    zone = Zone(
        id=await ensure_new_id(session, Zone, body.id, "zone"),
        created_by=principal.key,
        version=1,
        name=body.name,
        crop=body.crop,
        year=body.year,
        area_m2=area_m2,
        certified_m2=certified_m2,
        linked_m2=linked_m2,
        certification=body.certification,
    )
    session.add(zone)
    _set_places(session, zone, places)
    await flush_or_conflict(session, "A zone with this id already exists.")
    read = to_read(zone)
    ctx.audit("create", "zone", zone.id, diff({}, audit_fields(read)), zone.commune_codes)
    return read


async def update(ctx: WriteContext, zone: Zone, body: ZoneUpdate) -> ZoneRead:
    principal, session = ctx.principal, ctx.session
    refuse_nulls(body, ("name", "crop", "area_code", "year", "area_ha"))
    before = audit_fields(to_read(zone))
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    old_communes = list(zone.commune_codes)
    if "area_code" in given or "geography" in given:
        places = place_zone(
            principal,
            body.area_code or zone.area_code,
            body.geography,
            body.year or zone.year,
        )
        await session.execute(delete(ZonePlace).where(ZonePlace.zone_id == zone.id))
        _set_places(session, zone, places)
    for name in ("name", "crop", "year", "certification"):
        if name in given:
            setattr(zone, name, given[name])
    for name, column in (
        ("area_ha", "area_m2"),
        ("certified_area_ha", "certified_m2"),
        ("linked_area_ha", "linked_m2"),
    ):
        if name in given:
            setattr(zone, column, _m2(given[name]))
    check_zone_land(zone.area_m2, zone.certified_m2, zone.linked_m2, zone.certification)
    changes = diff(before, audit_fields(to_read(zone)))
    if changes:
        bump(zone)
        await flush_or_conflict(session, "The zone changed meanwhile.")
        ctx.audit("update", "zone", zone.id, changes, {*old_communes, *zone.commune_codes})
    return to_read(zone)


def check_writable(principal: Principal, zone: Zone) -> None:
    require_writable(principal, zone.commune_codes, "zone")


async def listing(
    session: AsyncSession,
    principal: Principal,
    params: ListParams,
    *,
    area_code: str | None,
    geography: str | None,
    crop: str | None,
    year: int | None,
    certification: str | None,
) -> tuple[list[ZoneRead], str | None]:
    area = filter_area(principal, area_code, geography)
    stmt = select(Zone).where(
        *spread_conditions(
            principal,
            area,
            Zone.id,
            ZonePlace.zone_id,
            ZonePlace.commune_code,
            ZonePlace.legacy_commune_code,
        )
    )
    if crop is not None:
        stmt = stmt.where(Zone.crop == crop)
    if year is not None:
        stmt = stmt.where(Zone.year == year)
    if certification is not None:
        stmt = stmt.where(Zone.certification == certification)
    stmt = keyset(stmt, params, Zone.created_at, Zone.updated_at, Zone.id)
    rows = (await session.execute(stmt)).scalars().all()
    items, cursor = page_of(rows, params)
    return [to_read(zone) for zone in items], cursor
