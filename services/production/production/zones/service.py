"""Zones: placed in a commune or a legacy district, with certified and linked land inside."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.areas import filter_area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Page, WriteContext
from mtqg_shared.writes import refuse_nulls
from production.domain.land import check_zone_land, ha_to_m2, m2_to_ha
from production.models import Zone, zone_geography
from production.places import place_zone
from production.zones import repository as repo
from production.zones.repository import zones
from production.zones.schemas import ZoneCreate, ZoneRead, ZoneUpdate


def present(zone: Zone) -> ZoneRead:
    return ZoneRead.model_validate(zone)


def _values(values: dict[str, Any]) -> dict[str, Any]:
    """A zone's answer from its row's values: the contract's words for what is kept
    otherwise, as the model's properties give them."""
    values["geography"] = zone_geography(values["legacy_district_code"])
    values["area_ha"] = m2_to_ha(values["area_m2"]) or 0.0
    values["certified_area_ha"] = m2_to_ha(values["certified_m2"])
    values["linked_area_ha"] = m2_to_ha(values["linked_m2"])
    return values


def present_row(row: Row[Any]) -> ZoneRead:
    return ZoneRead.model_validate(_values(row._asdict()))


async def read(session: AsyncSession, principal: Principal, zone_id: uuid.UUID) -> Row[Any]:
    return await repo.rows.read(session, principal, zone_id)


def _m2(ha: float | None) -> int | None:
    return None if ha is None else ha_to_m2(ha)


async def create(ctx: WriteContext, body: ZoneCreate) -> Zone:
    places = place_zone(ctx.principal, body.area_code, body.geography, body.year)
    area_m2 = ha_to_m2(body.area_ha)
    certified_m2, linked_m2 = _m2(body.certified_area_ha), _m2(body.linked_area_ha)
    check_zone_land(area_m2, certified_m2, linked_m2, body.certification)
    zone = Zone(
        id=await zones.new_id(ctx.session, body.id),
        created_by=ctx.principal.key,
        version=1,
        name=body.name,
        crop=body.crop,
        year=body.year,
        area_m2=area_m2,
        certified_m2=certified_m2,
        linked_m2=linked_m2,
        certification=body.certification,
    )
    repo.place(zone, places)
    await zones.add(ctx, zone)
    await repo.insert_places(ctx.session, zone.id, places)
    return zone


async def update(ctx: WriteContext, zone_id: uuid.UUID, body: ZoneUpdate) -> Zone:
    zone = await zones.take(ctx, zone_id)
    refuse_nulls(body, zones.required)
    before = zones.snapshot(zone)
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    if "area_code" in given or "geography" in given:
        places = place_zone(
            ctx.principal, body.area_code or zone.area_code, body.geography, body.year or zone.year
        )
        await repo.replace_places(ctx.session, zone, places)
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
    zones.changed(ctx, zone, before)
    return zone


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area_code: str | None,
    geography: str | None,
    crop: str | None,
    year: int | None,
    certification: str | None,
) -> Page[ZoneRead]:
    area = filter_area(principal, area_code, geography)
    rows, cursor = await repo.page(
        session, principal, listing, area=area, crop=crop, year=year, certification=certification
    )
    items = [_values(row) for row in rows]
    return Page[ZoneRead].model_validate({"items": items, "next_cursor": cursor})
