"""Creating and changing a one-commune record dated by one of its fields (`established_on`,
`started_on`, `since`), the same for every such resource: the date is not in the future, the
commune is read in the geography given or the one its date implies, within the caller's areas,
and a PATCH that names `commune_code` or `geography` moves the record; reading such
records as built-once rows; and naming one by its natural key in an import."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, func
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.areas import filter_area, place_commune
from mtqg_shared.auth import Principal
from mtqg_shared.kit.importing import Existing, ExistingMany, existing_by, plain_key
from mtqg_shared.kit.places import new_place, set_place, with_geography
from mtqg_shared.kit.resource import Resource
from mtqg_shared.kit.rows import AreaConditions, Equal, Params, Rows
from mtqg_shared.pagination import ListParams, Page
from mtqg_shared.rules import check_not_future
from mtqg_shared.types import PlacedMixin, today_vn
from mtqg_shared.writes import WriteContext, refuse_nulls

M = TypeVar("M", bound=PlacedMixin)


async def create_placed(
    ctx: WriteContext,
    res: Resource[Any],
    body: BaseModel,
    fields: Sequence[str],
    *,
    dated: str,
    **values: Any,
) -> Any:
    """A new record of `res` from the body's `fields` (and `values` the service decides),
    placed by the body's commune as of its `dated` field."""
    day = getattr(body, dated)
    check_not_future(day, today_vn(), f"body.{dated}")
    given: Any = body
    placed = place_commune(ctx.principal, given.commune_code, given.geography, day)
    make: Any = res.model
    record = make(
        id=await res.new_id(ctx.session, getattr(body, "id", None)),
        created_by=ctx.principal.key,
        version=1,
        **{name: getattr(body, name) for name in fields},
        **values,
    )
    set_place(record, placed)
    return await res.add(ctx, record)


async def update_placed(
    ctx: WriteContext,
    res: Resource[Any],
    record_id: uuid.UUID,
    body: BaseModel,
    fields: Sequence[str],
    *,
    dated: str,
    check: Callable[[Any, dict[str, Any]], Awaitable[None]] | None = None,
) -> Any:
    """The record locked and If-Match checked, what the PATCH sent checked (`check(record,
    given)` for the service's own rules, before anything is set) and set, moved when it names
    its commune or geography, its version moved and the change audited."""
    record = await res.take(ctx, record_id)
    refuse_nulls(body, res.required)
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    before = res.snapshot(record)
    if dated in given:
        check_not_future(given[dated], today_vn(), f"body.{dated}")
    if check is not None:
        await check(record, given)
    for name in fields:
        if name in given:
            setattr(record, name, given[name])
    if "commune_code" in given or "geography" in given:
        code, geography = new_place(record, given)
        set_place(record, place_commune(ctx.principal, code, geography, getattr(record, dated)))
    res.changed(ctx, record, before)
    return record


def _key_column(model: Any, name: str) -> ColumnElement[Any]:
    """A natural key's field as a column: `commune_code` as the record was given, the old
    commune of one given in 2025-01, the commune of one given in 2025-07 (its old commune if
    it has one, else its commune: old and new units share codes, so a sheet sent again names
    each record as it was first given)."""
    if name == "commune_code":
        return func.coalesce(model.legacy_commune_code, model.commune_code)
    column: ColumnElement[Any] = getattr(model, name)
    return column


def existing_placed_many(model: Any) -> ExistingMany:
    """An import's natural-key lookup (`Importable.existing_many`) of one-commune records, a
    chunk's keys in one query: `commune_code` as the record was given (`_key_column`), any
    other key field its column."""

    async def existing_many(
        session: AsyncSession, names: Sequence[str], keys: Sequence[tuple[Any, ...]]
    ) -> dict[tuple[Any, ...], Existing]:
        return await existing_by(session, model, [_key_column(model, n) for n in names], keys)

    return existing_many


def existing_placed(
    model: Any,
) -> Callable[[AsyncSession, Mapping[str, Any]], Awaitable[Existing | None]]:
    """The same lookup for one row's key (its fields by name)."""
    many = existing_placed_many(model)

    async def existing(session: AsyncSession, values: Mapping[str, Any]) -> Existing | None:
        names = list(values)
        key = plain_key(tuple(values[name] for name in names))
        return (await many(session, names, [key])).get(key)

    return existing


R = TypeVar("R", bound=BaseModel)


class PlacedReads(Generic[R]):
    """A one-commune resource's reads as built-once rows (kit.rows) of its table's columns
    (or `columns`, labelled as the answer names them), answered as `read` with the geography
    each commune was given in; lists filtered by `area_code` and by equality on `filters`."""

    def __init__(
        self,
        res: Resource[Any],
        read: type[R],
        *,
        filters: Sequence[str] = (),
        columns: Sequence[Any] | None = None,
    ) -> None:
        table: Any = res.model.__table__
        self.read_model = read
        self.rows = Rows(res, tuple(table.c) if columns is None else tuple(columns))
        self._area = AreaConditions.in_commune(table.c.commune_code, table.c.legacy_commune_code)
        self._filters = Equal(*(table.c[name] for name in filters))

    def present_row(self, row: Any) -> R:
        return self.read_model.model_validate(with_geography(dict(row._mapping)))

    async def read(self, session: AsyncSession, principal: Principal, record_id: uuid.UUID) -> Any:
        """The record's row, or 404 when missing or outside the caller's areas."""
        return await self.rows.read(session, principal, record_id)

    async def page(
        self,
        session: AsyncSession,
        principal: Principal,
        listing: ListParams,
        *,
        area_code: str | None,
        geography: str | None,
        **filters: Any,
    ) -> Page[R]:
        area = filter_area(principal, area_code, geography)
        params: Params = {}
        conditions = self._area.where(principal, area, params)
        self._filters.add(conditions, params, **filters)
        rows, cursor = await self.rows.page(session, listing, conditions, params)
        items = [with_geography(row) for row in rows]
        return Page[self.read_model].model_validate(  # type: ignore[name-defined]
            {"items": items, "next_cursor": cursor}
        )
