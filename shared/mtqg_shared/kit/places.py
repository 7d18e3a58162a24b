"""Where a one-commune record lies, the same for every service: the commune it was given (in
either geography), how a PATCH moves it, and the geography its answer says."""

from __future__ import annotations

from typing import Any

from mtqg_shared.admin_units import GEO_NEW, GEO_OLD, PlacedCommune
from mtqg_shared.types import PlacedMixin


def given_geography(legacy_commune_code: str | None) -> str:
    """The geography a record's commune was given in."""
    return GEO_OLD if legacy_commune_code is not None else GEO_NEW


class GivenPlace(PlacedMixin):
    """A one-commune record that answers the geography its commune was given in."""

    @property
    def geography(self) -> str:
        return given_geography(self.legacy_commune_code)


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


__all__ = [
    "GEO_NEW",
    "GEO_OLD",
    "GivenPlace",
    "given_geography",
    "new_place",
    "set_place",
    "with_geography",
]
