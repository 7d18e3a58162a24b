"""Where gender records lie: one commune each, given in either geography."""

from __future__ import annotations

from typing import Any

from gender.models import given_geography
from mtqg_shared.admin_units import GEO_NEW, GEO_OLD, PlacedCommune
from mtqg_shared.types import PlacedMixin


def set_place(record: PlacedMixin, placed: PlacedCommune) -> None:
    record.commune_code = placed.commune_code
    record.legacy_commune_code = placed.legacy_commune_code
    record.legacy_district_code = placed.legacy_district_code


def new_place(record: PlacedMixin, given: dict[str, Any]) -> tuple[str, str | None]:
    """PATCH moving a record: a new code is read as on creation (in the geography given, else
    by the record's date); a geography alone re-reads the code it was given as."""
    if "commune_code" in given:
        return given["commune_code"], given.get("geography")
    if record.legacy_commune_code is not None:
        return record.legacy_commune_code, given.get("geography")
    return record.commune_code, given.get("geography")


def with_geography(values: dict[str, Any]) -> dict[str, Any]:
    """A row's answer values with the geography its commune was given in."""
    values["geography"] = given_geography(values["legacy_commune_code"])
    return values


__all__ = ["GEO_NEW", "GEO_OLD", "new_place", "set_place", "with_geography"]
