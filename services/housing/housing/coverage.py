"""Records that cover an area rather than one commune (plans, obstacles): the current
communes they cover live in a link table (loaded with the record as `places`), which is what
their area rule looks at."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, false, true

from mtqg_shared.admin_units import GEO_NEW, Area
from mtqg_shared.auth import Principal
from mtqg_shared.kit import InCommunes


def readable_via(
    principal: Principal, link: Any, owner_col: Any, owner_id: Any
) -> ColumnElement[bool]:
    """SQL: one of the record's communes lies in the caller's areas."""
    if principal.communes is None:
        return true()
    if not principal.communes:
        return false()
    return exists().where(owner_col == owner_id, link.commune_code.in_(sorted(principal.communes)))


def overlaps(area: Area, link: Any, owner_col: Any, owner_id: Any) -> ColumnElement[bool]:
    """SQL: the record covers some commune of `area` (a filter)."""
    if area.geography == GEO_NEW and area.level == "province":
        return true()
    return exists().where(
        owner_col == owner_id, link.commune_code.in_(sorted(area.current_communes))
    )


def covering(link: Any, owner_col: Any, owner_id: Any) -> InCommunes:
    """The area rule of a record whose communes are its `places` in `link`."""
    return InCommunes(
        of=lambda record: [place.commune_code for place in record.places],
        sql_readable=lambda principal: readable_via(principal, link, owner_col, owner_id),
        sql_within=lambda area: overlaps(area, link, owner_col, owner_id),
    )
