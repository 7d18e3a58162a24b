"""Zones as a resource: every query about them."""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import Table, delete, insert
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import ListParams, Resource
from mtqg_shared.kit.rows import AreaConditions, Equal, Params, Rows
from production.models import Zone, ZonePlace
from production.places import ZonePlaces, spread
from production.web import PREFIX

zones = Resource(
    Zone,
    "zone",
    area=spread(
        Zone.id,
        ZonePlace.zone_id,
        ZonePlace.commune_code,
        ZonePlace.legacy_commune_code,
        of=lambda zone: zone.commune_codes,
    ),
    # The contract's fields, as the audit trail shows them (hectares, not square metres).
    audited=(
        "name",
        "crop",
        "area_code",
        "geography",
        "commune_codes",
        "legacy_commune_code",
        "legacy_district_code",
        "year",
        "area_ha",
        "certified_area_ha",
        "certification",
        "linked_area_ha",
    ),
    required=("name", "crop", "area_code", "year", "area_ha"),
    prefix=PREFIX,
    path="zones",
)


# Reads: every column of the table (the answer shows them all, land in hectares).
rows = Rows(zones, tuple(Zone.__table__.c))
_zone, _place = Zone.__table__.c, ZonePlace.__table__.c
_area = AreaConditions.in_places(
    _zone.id, _place.zone_id, _place.commune_code, _place.legacy_commune_code
)
_filters = Equal(_zone.crop, _zone.year, _zone.certification)


async def page(
    session: AsyncSession,
    principal: Principal,
    listing: ListParams,
    *,
    area: Area | None,
    crop: str | None,
    year: int | None,
    certification: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    params: Params = {}
    conditions = _area.where(principal, area, params)
    _filters.add(conditions, params, crop=crop, year=year, certification=certification)
    return await rows.page(session, listing, conditions, params)


_INSERT_PLACES = insert(cast(Table, ZonePlace.__table__))


def place(zone: Zone, places: ZonePlaces) -> None:
    """The copy of the zone's communes kept on the record."""
    zone.area_code = places.area_code
    zone.legacy_commune_code = places.legacy_commune_code
    zone.legacy_district_code = places.legacy_district_code
    zone.commune_codes = places.commune_codes


async def insert_places(session: AsyncSession, zone_id: uuid.UUID, places: ZonePlaces) -> None:
    """The zone's place rows, in one statement (after the zone's own row is written)."""
    await session.execute(
        _INSERT_PLACES,
        [
            {"zone_id": zone_id, "commune_code": current, "legacy_commune_code": legacy}
            for current, legacy in places.rows
        ],
    )


async def replace_places(session: AsyncSession, zone: Zone, places: ZonePlaces) -> None:
    """A moved zone's place rows and the copy of its communes kept on the record."""
    await session.execute(delete(ZonePlace).where(ZonePlace.zone_id == zone.id))
    place(zone, places)
    await insert_places(session, zone.id, places)
