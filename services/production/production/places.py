"""Where production records lie, and the SQL conditions of the area rules.

Facilities and OCOP products lie in one commune (PlacedMixin). Zones (a commune or a legacy
district) and projects (one or more communes) may lie in several: their place rows hold each
current commune with the 2025-01 commune it was given as, so that a report for an old unit
counts the records given in the old geography inside it and a report for a new unit counts
every record with a current commune inside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, true

from mtqg_shared.admin_units import GEO_NEW, GEO_OLD, Area, PlacedCommune, admin_units
from mtqg_shared.areas import (
    geography_of,
    in_area,
    place_commune,
    readable,
    resolve_record_area,
)
from mtqg_shared.auth import Principal
from mtqg_shared.errors import validation_problem
from mtqg_shared.kit import InCommunes
from mtqg_shared.types import PlacedMixin


@dataclass(frozen=True, slots=True)
class Places:
    """The communes a record lies in: (current commune, 2025-01 commune or None) pairs."""

    rows: tuple[tuple[str, str | None], ...]
    geography: str

    @property
    def commune_codes(self) -> list[str]:
        return sorted({current for current, _ in self.rows})

    @property
    def legacy_commune_codes(self) -> list[str] | None:
        if self.geography != GEO_OLD:
            return None
        return [legacy for _, legacy in self.rows if legacy is not None]


@dataclass(frozen=True, slots=True)
class ZonePlaces(Places):
    area_code: str = ""
    legacy_commune_code: str | None = None
    legacy_district_code: str | None = None


def place_communes(
    principal: Principal,
    codes: Sequence[str],
    geography: str | None,
    on: dt.date | None,
    *,
    field: str = "body.commune_codes",
) -> Places:
    """Several communes in one geography; 422 for an unknown one, a repeated one, or one
    outside the caller's areas."""
    geo = geography_of(geography, on)
    rows: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for index, code in enumerate(codes):
        where = f"{field}.{index}"
        if code in seen:
            raise validation_problem(where, "listed_twice")
        seen.add(code)
        placed = place_commune(principal, code, geo, on, field=where)
        rows.append((placed.commune_code, placed.legacy_commune_code))
    return Places(rows=tuple(rows), geography=geo)


def legacy_districts(places: Places) -> list[str] | None:
    if places.geography != GEO_OLD:
        return None
    units = admin_units()
    return sorted(
        {
            district
            for _, legacy in places.rows
            if legacy is not None
            and (district := units.place_commune(legacy, GEO_OLD).legacy_district_code)
        }
    )


def place_zone(
    principal: Principal, area_code: str, geography: str | None, year: int
) -> ZonePlaces:
    """A zone's commune or legacy district; a zone's `year` before 2025 reads a commune code
    in 2025-01 unless a geography is given."""
    if len(area_code) not in (3, 5):
        raise validation_problem("body.area_code", "invalid_choice.zone_area")
    # The last day of the year: a year before 2025 falls before the reorganisation.
    area = resolve_record_area(principal, area_code, geography, dt.date(year, 12, 31))
    units = admin_units()
    if area.level == "district":
        rows = tuple(
            (units.place_commune(old, GEO_OLD).commune_code, old)
            for old in sorted(area.legacy_communes)
        )
        return ZonePlaces(
            rows=rows, geography=GEO_OLD, area_code=area.code, legacy_district_code=area.code
        )
    if area.is_legacy:
        placed = units.place_commune(area.code, GEO_OLD)
        return ZonePlaces(
            rows=((placed.commune_code, area.code),),
            geography=GEO_OLD,
            area_code=area.code,
            legacy_commune_code=area.code,
            legacy_district_code=placed.legacy_district_code,
        )
    return ZonePlaces(rows=((area.code, None),), geography=GEO_NEW, area_code=area.code)


def whole_province(area: Area | None) -> bool:
    return area is None or (area.geography == GEO_NEW and area.level == "province")


def spread(
    owner_id: Any,
    place_owner: Any,
    place_commune: Any,
    place_legacy_commune: Any,
    of: Callable[[Any], Sequence[str]],
) -> InCommunes:
    """The area rule of a record with place rows (or of an entry under such a record, with
    `owner_id` its parent column): readable when one of its communes is the caller's, inside
    an area when one of them lies in it (not necessarily the same one). No condition at all
    for a province-wide caller or the whole province."""

    def sql_readable(principal: Principal) -> ColumnElement[bool]:
        if principal.communes is None:
            return true()
        return exists().where(place_owner == owner_id, readable(principal, place_commune))

    def sql_within(area: Area) -> ColumnElement[bool]:
        if whole_province(area):
            return true()
        return exists().where(
            place_owner == owner_id, in_area(area, place_commune, place_legacy_commune)
        )

    return InCommunes(of=of, sql_readable=sql_readable, sql_within=sql_within)


def set_place(record: PlacedMixin, placed: PlacedCommune) -> None:
    record.commune_code = placed.commune_code
    record.legacy_commune_code = placed.legacy_commune_code
    record.legacy_district_code = placed.legacy_district_code


def given_place(record: PlacedMixin) -> tuple[str, str]:
    """The commune code a one-commune record was given as, and in which geography."""
    if record.legacy_commune_code is not None:
        return record.legacy_commune_code, GEO_OLD
    return record.commune_code, GEO_NEW


def new_place(record: PlacedMixin, given: dict[str, Any]) -> tuple[str, str | None]:
    """PATCH moving a one-commune record: a new code is read as on creation (in the geography
    given, else by the record's date); a geography alone re-reads the code it was given as."""
    if "commune_code" in given:
        return given["commune_code"], given.get("geography")
    code, _ = given_place(record)
    return code, given.get("geography")
