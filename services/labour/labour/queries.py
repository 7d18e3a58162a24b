"""Statements built once per shape, for the reads a phone or the province makes most.

SQLAlchemy caches a statement's compiled SQL by its cache key, and that key is worked out once
per statement object: a statement built anew for every request (a `where`, an `order_by`, a
`limit` added each time) pays for its construction and for its cache key on every request. So
the lists and reads here take a statement made once for their *shape* (which optional parts
the request has: an area, a filter, a cursor) and pass every value as a bound parameter. The
conditions are the shared ones (`mtqg_shared.areas.readable` and `in_area`, the keyset of
`mtqg_shared.pagination`), said with parameters instead of literal values.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, bindparam, false, true, tuple_

from mtqg_shared.admin_units import GEO_NEW, Area
from mtqg_shared.auth import Principal
from mtqg_shared.pagination import ListParams, decode_cursor

# A statement and a row of any columns (answer rows are validated by name, not by position).
AnySelect = Select[*tuple[Any, ...]]
AnyRow = Row[*tuple[Any, ...]]


class Shaped:
    """`build(shape)` made once per shape (shapes are a few flags, so there are few)."""

    def __init__(self, build: Callable[[Any], AnySelect]) -> None:
        self._build = build
        self._made: dict[Hashable, AnySelect] = {}

    def __call__(self, shape: Hashable) -> AnySelect:
        stmt = self._made.get(shape)
        if stmt is None:
            stmt = self._made[shape] = self._build(shape)
        return stmt


def given(*filters: tuple[str, Any]) -> tuple[tuple[bool, ...], dict[str, Any]]:
    """Which of a list's optional equality filters the caller gave, and their values."""
    return tuple(v is not None for _, v in filters), {n: v for n, v in filters if v is not None}


def where_given(stmt: AnySelect, shape: Sequence[bool], columns: Sequence[Any]) -> AnySelect:
    """`mtqg_shared.kit.filters.where_given` for the shape `given` returned: `column = :name`
    (the parameter named after the column) for each filter given."""
    for wanted, column in zip(shape, columns, strict=True):
        if wanted:
            stmt = stmt.where(column == bindparam(column.key))
    return stmt


def like_part(text: str) -> str:
    """`text` as the pattern of `column.contains(bindparam(...), escape="/")`: what
    `contains(text, autoescape=True)` matches."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


# -- areas ------------------------------------------------------------------------------

AreaShape = tuple[str, str | None]


def area_shape(principal: Principal, area: Area | None) -> tuple[AreaShape, dict[str, Any]]:
    """Which area conditions a list has, and their values (see `areas`)."""
    values: dict[str, Any] = {}
    if principal.communes is None:
        reads = "all"
    elif not principal.communes:
        reads = "none"
    else:
        reads = "some"
        values["readable"] = sorted(principal.communes)
    within: str | None = None
    if area is not None:
        if area.is_legacy:
            within = "legacy"
            values["within"] = sorted(area.legacy_communes)
        elif area.geography == GEO_NEW and area.level == "province":
            within = "all"
        else:
            within = "current"
            values["within"] = sorted(area.current_communes)
    return (reads, within), values


def areas(shape: AreaShape, commune: Any, legacy_commune: Any) -> list[ColumnElement[bool]]:
    """`readable(principal, commune)` and `in_area(area, commune, legacy_commune)` of
    `mtqg_shared.areas`, for the shape `area_shape` gave."""
    reads, within = shape
    conditions: list[ColumnElement[bool]] = []
    if reads == "none":
        conditions.append(false())
    elif reads == "some":
        conditions.append(commune.in_(bindparam("readable", expanding=True)))
    if within == "legacy":
        conditions.append(legacy_commune.in_(bindparam("within", expanding=True)))
    elif within == "current":
        conditions.append(commune.in_(bindparam("within", expanding=True)))
    return conditions or [true()]


# -- keyset pages -----------------------------------------------------------------------

PageShape = tuple[str, bool, bool]


def page_shape(listing: ListParams) -> tuple[PageShape, dict[str, Any]]:
    """A page's order and whether it has a cursor or an `updated_after`, and their values
    (a cursor this service did not give out is 422, as `pagination.keyset` answers)."""
    values: dict[str, Any] = {"limit": listing.limit + 1}
    after = listing.order == "updated" and listing.updated_after is not None
    if after:
        values["updated_after"] = listing.updated_after
    if listing.cursor:
        values["at"], values["last"] = decode_cursor(listing.cursor)
    return (listing.order, bool(listing.cursor), after), values


def keyed(
    stmt: AnySelect, shape: PageShape, created_at: Any, updated_at: Any, id_col: Any
) -> AnySelect:
    """`pagination.keyset` with parameters: newest first, or by last change for sync, and
    limit + 1 rows (to know whether more follow)."""
    order, cursor, after = shape
    if order == "updated":
        if after:
            stmt = stmt.where(updated_at > bindparam("updated_after", type_=updated_at.type))
        if cursor:
            stmt = stmt.where(tuple_(updated_at, id_col) > _key(updated_at, id_col))
        ordered = stmt.order_by(updated_at.asc(), id_col.asc())
    else:
        if cursor:
            stmt = stmt.where(tuple_(created_at, id_col) < _key(created_at, id_col))
        ordered = stmt.order_by(created_at.desc(), id_col.desc())
    return ordered.limit(bindparam("limit"))


def _key(at_col: Any, id_col: Any) -> ColumnElement[Any]:
    # Bound with the columns' own types, so SQLite compares stored UTC text with UTC text.
    return tuple_(bindparam("at", type_=at_col.type), bindparam("last", type_=id_col.type))
