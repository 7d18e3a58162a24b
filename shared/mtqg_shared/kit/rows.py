"""Reads built once: a resource's list pages and single reads as statements made at import
time (SQLAlchemy constructs are immutable and reusable), completed per request only by
the cheap parts (a filter's `where`, the cursor's condition) and by parameters, and loaded as
plain rows of exactly the columns its answer shows. The statements name tables' columns
(`Model.__table__.c`), never the ORM's attributes: the session then runs them on its connection
as they are, without the ORM's compile and loading steps.

Building statements, loading ORM entities and reading each field by `getattr` were most of a
read's CPU; the rules stay the kit's: a single read is 404 unless the resource's area rule lets
the caller read the row, a page is cut as `mtqg_shared.pagination.keyset` cuts it (the same
order, cursor and `updated_after`), and a caller's areas or an `area_code` filter narrow a list
by the same decision as `mtqg_shared.areas.readable` and `in_area` (`readable_communes`,
`area_communes`), given here as parameters of conditions built once.

A list page's statement is made once per shape (its order, whether it has a cursor or an
`updated_after`, which of the built-once conditions it has) and kept: SQLAlchemy works out a
statement's cache key once per statement object, so a request whose shape was seen before
pays neither for building its statement nor for its key.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Integer,
    Row,
    Select,
    String,
    bindparam,
    exists,
    tuple_,
)
from sqlalchemy import select as sql_select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import Area
from mtqg_shared.areas import area_communes, readable_communes
from mtqg_shared.auth import Principal
from mtqg_shared.kit.resource import Resource
from mtqg_shared.pagination import ListParams, decode_cursor, page_of

Params = dict[str, Any]
# A statement and a row of any columns (answer rows are validated by name, not by position).
AnySelect = Select[*tuple[Any, ...]]
AnyRow = Row[*tuple[Any, ...]]

# Shapes of list pages kept per resource at most (conditions built once give a few dozen).
_SHAPES = 256


def _communes(name: str) -> Any:
    return bindparam(name, type_=String(), expanding=True)


@dataclass(frozen=True, slots=True)
class AreaConditions:
    """A resource's area rule as conditions built once, their communes given as parameters:
    the caller's areas (`readable`) and an `area_code` filter given in the current geography
    (`in_current`) or in 2025-01 (`in_legacy`)."""

    readable: ColumnElement[bool]
    in_current: ColumnElement[bool]
    in_legacy: ColumnElement[bool]

    @classmethod
    def in_commune(cls, commune: Any, legacy_commune: Any) -> AreaConditions:
        """A record in one commune (`PlacedMixin` columns)."""
        return cls(
            readable=commune.in_(_communes("readable_communes")),
            in_current=commune.in_(_communes("area_communes")),
            in_legacy=legacy_commune.in_(_communes("area_legacy_communes")),
        )

    @classmethod
    def in_places(
        cls, owner_id: Any, place_owner: Any, place_commune: Any, place_legacy: Any
    ) -> AreaConditions:
        """A record with place rows (one per commune it spans): one of them must match."""

        def one(condition: ColumnElement[bool]) -> ColumnElement[bool]:
            return exists().where(place_owner == owner_id, condition)

        return cls(
            readable=one(place_commune.in_(_communes("readable_communes"))),
            in_current=one(place_commune.in_(_communes("area_communes"))),
            in_legacy=one(place_legacy.in_(_communes("area_legacy_communes"))),
        )

    def where(
        self, principal: Principal, area: Area | None, params: Params
    ) -> list[ColumnElement[bool]]:
        """The conditions for this caller and filter (none for a province-wide caller and the
        whole province), their communes added to `params`."""
        conditions: list[ColumnElement[bool]] = []
        mine = readable_communes(principal)
        if mine is not None:
            conditions.append(self.readable)
            params["readable_communes"] = mine
        if area is None:
            return conditions
        inside = area_communes(area)
        if inside is not None:
            legacy, communes = inside
            if legacy:
                conditions.append(self.in_legacy)
                params["area_legacy_communes"] = communes
            else:
                conditions.append(self.in_current)
                params["area_communes"] = communes
        return conditions


class Equal:
    """A list's optional equality filters, each condition built once: `add` keeps those of
    the query parameters the caller gave."""

    def __init__(self, *columns: Any) -> None:
        self.conditions: dict[str, ColumnElement[bool]] = {
            column.key: column == bindparam(f"eq_{column.key}", type_=column.type)
            for column in columns
        }

    def add(self, conditions: list[ColumnElement[bool]], params: Params, **given: Any) -> None:
        for name, value in given.items():
            if value is not None:
                conditions.append(self.conditions[name])
                params[f"eq_{name}"] = value


class Contains:
    """A list's optional text search: the column contains the caller's text literally (what
    `column.contains(text, autoescape=True)` matches: `%`, `_` and `/` are no wildcards),
    the condition built once and the text given as a parameter."""

    def __init__(self, column: Any, name: str = "q") -> None:
        self.name = f"contains_{name}"
        self.condition: ColumnElement[bool] = column.contains(
            bindparam(self.name, type_=column.type), escape="/"
        )

    def add(self, conditions: list[ColumnElement[bool]], params: Params, text: str | None) -> None:
        if text is not None:
            conditions.append(self.condition)
            params[self.name] = text.replace("/", "//").replace("%", "/%").replace("_", "/_")


class Rows:
    """The list pages and single reads of one resource, as rows of `columns` (labelled by the
    answer's field names where the table's differ).

    `from_` is what the columns are read from when that is more than the resource's table (a
    join, for columns of a related table); `where` narrows every read (the rows under one
    parent: its id is then a parameter of each `find` and `page`)."""

    def __init__(
        self,
        resource: Resource[Any],
        columns: Sequence[Any],
        *,
        from_: FromClause | None = None,
        where: Sequence[ColumnElement[bool]] = (),
    ) -> None:
        # The table's columns, not the model's attributes: a statement that names no ORM
        # entity runs on the connection directly, without the ORM's loading of its rows.
        m: Any = resource.model.__table__.c
        self.resource = resource
        base = sql_select(*columns)
        if from_ is not None:
            base = base.select_from(from_)
        if where:
            base = base.where(*where)
        self.by_id = base.where(m.id == bindparam("id", type_=m.id.type))
        limit = bindparam("limit", type_=Integer())
        self.newest_first = base.order_by(m.created_at.desc(), m.id.desc()).limit(limit)
        self.by_update = base.order_by(m.updated_at.asc(), m.id.asc()).limit(limit)
        at, last = (
            bindparam("cursor_at", type_=m.created_at.type),
            bindparam("cursor_id", type_=m.id.type),
        )
        self.before = tuple_(m.created_at, m.id) < tuple_(at, last)
        self.after = tuple_(m.updated_at, m.id) > tuple_(
            bindparam("cursor_at", type_=m.updated_at.type), last
        )
        self.updated_after = m.updated_at > bindparam("updated_after", type_=m.updated_at.type)
        self._shapes: dict[tuple[Any, ...], AnySelect] = {}

    async def find(
        self, session: AsyncSession, id_: uuid.UUID, params: Params | None = None
    ) -> AnyRow | None:
        """The row (with `params`: those of `where`), or None."""
        values = {"id": id_} if params is None else params | {"id": id_}
        return (await session.execute(self.by_id, values)).first()

    async def read(self, session: AsyncSession, principal: Principal, id_: uuid.UUID) -> AnyRow:
        """The row, or 404 when it does not exist or the resource's rules hide it from the
        caller (its areas; a sensitive resource's role)."""
        row = await self.find(session, id_)
        if row is None or not self.resource.may_read(principal, row):
            raise self.resource.not_found()
        return row

    async def page(
        self,
        session: AsyncSession,
        listing: ListParams,
        conditions: Sequence[ColumnElement[bool]] = (),
        params: Params | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the rows meeting `conditions` (with their `params`), in the order the
        listing asks for, each as a dict by column label, and the cursor of the next."""
        values: Params = dict(params or {})
        values["limit"] = listing.limit + 1
        by_update = listing.order == "updated"
        after = by_update and listing.updated_after is not None
        if after:
            values["updated_after"] = listing.updated_after
        if listing.cursor:
            values["cursor_at"], values["cursor_id"] = decode_cursor(listing.cursor)
        # The conditions themselves are in the key (they are built once, compared by
        # identity): the key holds them, so no later condition can reuse an identity.
        shape = (by_update, after, bool(listing.cursor), *conditions)
        stmt = self._shapes.get(shape)
        if stmt is None:
            stmt = self._statement(by_update, after, bool(listing.cursor), conditions)
            if len(self._shapes) < _SHAPES:
                self._shapes[shape] = stmt
        result = await session.execute(stmt, values)
        keys = tuple(result.keys())
        rows, cursor = page_of(result.all(), listing)
        return [dict(zip(keys, row, strict=True)) for row in rows], cursor

    def _statement(
        self,
        by_update: bool,
        after: bool,
        cursor: bool,
        conditions: Sequence[ColumnElement[bool]],
    ) -> AnySelect:
        """A page's statement for its shape (see `page`)."""
        stmt: AnySelect = self.by_update if by_update else self.newest_first
        if after:
            stmt = stmt.where(self.updated_after)
        if cursor:
            stmt = stmt.where(self.after if by_update else self.before)
        if conditions:
            stmt = stmt.where(*conditions)
        return stmt
