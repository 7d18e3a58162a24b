"""Where a record lies and who may see it: the area rules of the contract in one place.

A record lies in one or more current (2025-07) communes. It is readable when one of them lies
in the caller's areas and writable only when all of them do. Anything unreadable answers 404,
as if it did not exist; creating or moving a record outside one's areas is 422. A filter or
report `area_code` wholly outside the caller's areas is 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, false, true

from mtqg_shared.admin_units import (
    GEO_NEW,
    Area,
    OldUnitError,
    PlacedCommune,
    UnknownUnitError,
    admin_units,
)
from mtqg_shared.auth import Principal
from mtqg_shared.errors import FieldError, Problem, validation_problem
from mtqg_shared.messages import msg, word


def _unknown(field: str, exc: UnknownUnitError | OldUnitError) -> Problem:
    """422 for a code that names no unit of the geography it is read in."""
    return Problem(422, errors=[FieldError(field, "not_in_geography", exc.message)])


def geography_of(geography: str | None, on: dt.date | None, field: str = "body.geography") -> str:
    """An explicit geography wins; otherwise a record dated before 2025-07-01 is read in
    2025-01 and anything else in 2025-07."""
    try:
        return admin_units().geography_for(geography, on)
    except ValueError as exc:
        raise validation_problem(field, "invalid_choice.geography") from exc


def place_commune(
    principal: Principal,
    commune_code: str,
    geography: str | None,
    on: dt.date | None,
    *,
    field: str = "body.commune_code",
) -> PlacedCommune:
    """Resolve a record's commune and refuse (422) a place outside the caller's areas."""
    geo = geography_of(geography, on)
    try:
        placed = admin_units().place_commune(commune_code, geo)
    except UnknownUnitError as exc:
        raise _unknown(field, exc) from exc
    if not principal.can_write_all([placed.commune_code]):
        raise validation_problem(field, "not_in_your_areas.commune")
    return placed


def resolve_filter_area(
    principal: Principal,
    area_code: str,
    geography: str | None,
    *,
    field: str = "query.area_code",
) -> Area:
    """An `area_code` filter: 422 when it names no unit, 404 when wholly outside the caller's
    areas."""
    try:
        area = admin_units().resolve_area(area_code, geography)
    except (UnknownUnitError, OldUnitError) as exc:
        raise _unknown(field, exc) from exc
    except ValueError as exc:
        raise validation_problem(field, "invalid_choice.geography") from exc
    if not principal.covers(area.current_communes):
        raise Problem(404, msg("area_outside"))
    return area


def filter_area(principal: Principal, area_code: str | None, geography: str | None) -> Area | None:
    """An optional `area_code` filter (see `fields.AreaFilter`): None when absent; 422 when it
    names no unit or a geography comes without it; 404 when wholly outside the caller's areas."""
    if area_code is None:
        if geography is not None:
            raise validation_problem("query.geography", "required.with_area_code")
        return None
    return resolve_filter_area(principal, area_code, geography)


def resolve_record_area(
    principal: Principal,
    area_code: str,
    geography: str | None,
    on: dt.date | None = None,
    *,
    field: str = "body.area_code",
) -> Area:
    """The area a record is given for (a plan, an obstacle, a zone): 422 when unknown or not
    wholly inside the caller's areas."""
    if geography is None and len(area_code) == 5:
        geography = geography_of(None, on)
    try:
        area = admin_units().resolve_area(area_code, geography)
    except (UnknownUnitError, OldUnitError) as exc:
        raise _unknown(field, exc) from exc
    except ValueError as exc:
        raise validation_problem(field, "invalid_choice.geography") from exc
    if not principal.can_write_all(area.current_communes):
        raise validation_problem(field, "not_in_your_areas.area")
    return area


def readable_communes(principal: Principal) -> list[str] | None:
    """The current communes whose records the caller may read; None: all of them."""
    if principal.communes is None:
        return None
    return sorted(principal.communes)


def area_communes(area: Area) -> tuple[bool, list[str]] | None:
    """Which records lie in `area`: (True, old communes) for an old unit, which counts the
    records given in the old geography inside it; (False, current communes) for a new unit,
    which counts every record whose current commune is in it; None for the whole province."""
    if area.is_legacy:
        return True, sorted(area.legacy_communes)
    if area.geography == GEO_NEW and area.level == "province":
        return None
    return False, sorted(area.current_communes)


def readable(principal: Principal, commune_col: Any) -> ColumnElement[bool]:
    """SQL condition: the record's current commune is one the caller may read."""
    communes = readable_communes(principal)
    if communes is None:
        return true()
    if not communes:
        return false()
    return commune_col.in_(communes)  # type: ignore[no-any-return]


def in_area(area: Area, commune_col: Any, legacy_commune_col: Any) -> ColumnElement[bool]:
    """SQL condition: the record lies in `area` (see `area_communes`)."""
    inside = area_communes(area)
    if inside is None:
        return true()
    legacy, communes = inside
    column = legacy_commune_col if legacy else commune_col
    return column.in_(communes)  # type: ignore[no-any-return]


def can_read(principal: Principal, communes: Iterable[str]) -> bool:
    return principal.can_read_any(communes)


def require_readable(principal: Principal, communes: Iterable[str], what: str) -> None:
    """404 for a record outside the caller's areas, exactly as for a missing one."""
    if not principal.can_read_any(communes):
        raise Problem(404, msg("not_found", what=word(what)))


def require_writable(principal: Principal, communes: Iterable[str], what: str) -> None:
    """A record the caller can read but not wholly write: 403 (it is visible, so not 404)."""
    if not principal.can_write_all(communes):
        raise Problem(403, msg("partly_outside", what=word(what)))
