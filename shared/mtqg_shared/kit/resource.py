"""A resource is declared, not written: one `Resource` per kind of record says what it is
called, where its records lie and which fields its audit trail follows, and gives every
service the same reads, locked writes, lists, creates and changes.

The kit is the repository layer's base: it owns the SQL these steps need, so services keep
only their rules and routers only HTTP (see CONTRIBUTING.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.admin_units import Area
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem
from mtqg_shared.kit.areas import AreaRule, Province
from mtqg_shared.kit.lock import lock_of
from mtqg_shared.kit.sensitive import Sensitive
from mtqg_shared.messages import Msg, msg, require_word, word
from mtqg_shared.pagination import ListParams, keyset, page_of
from mtqg_shared.types import RecordMixin
from mtqg_shared.writes import (
    WriteContext,
    bump,
    created,
    diff,
    ensure_new_id,
    flush_or_conflict,
    refuse_nulls,
)

M = TypeVar("M", bound=RecordMixin)

# Every resource declared, by service prefix and entity type: where the change feed reads a
# record that an audit row written by hand names (kit.changes).
_DECLARED: dict[str, dict[str, Resource[Any]]] = {}


def declared(prefix: str) -> Mapping[str, Resource[Any]]:
    return _DECLARED.get(prefix, {})


class _Attributes(dict[str, Any]):
    """A record's attributes by name, for a path template."""

    def __init__(self, record: Any) -> None:
        super().__init__()
        self.record = record

    def __missing__(self, name: str) -> Any:
        return getattr(self.record, name)


class Snapshot(dict[str, Any]):
    """A record's audited fields at one moment, with the communes it lay in then."""

    def __init__(self, fields: Mapping[str, Any], communes: Sequence[str]) -> None:
        super().__init__(fields)
        self.communes = tuple(communes)


def _unlocked(record: Any) -> None:
    """What `Resource.guards` answers for a resource no period locks."""


class Resource(Generic[M]):
    """One kind of record of a service.

    `name` is the record's word in messages and its audit `entity_type` ("case", "zone");
    `area` says where its records lie; `audited` are the fields its audit trail follows;
    `required` those a PATCH may change but never empty; `path` its collection below the
    service prefix, for `Location`; `sensitive` (kit.sensitive) when only holders of a role
    read its records, every read of them logged; `item` the record's own `GET` path below
    the prefix when it is not `<path>/{id}` (a record under a parent:
    `"cases/{case_id}/funding/{id}"`, each name an attribute of the record), where the
    change feed reads it; its last segment that is not a parameter names its changes'
    `resource`.

    The period lock (kit.periods): `dated` names the attribute that dates a record (its
    registration, its entry's day); a create of a record dated inside an approved period
    of its area is 409 period-locked, and so is a change of one of its `counted` fields (what
    the reports count; `dated` and the communes are always counted) while its date, before
    or after, lies inside one. `stepped` names the attribute holding the date of a record's
    latest status step: a step (`action="transition"`) or a change of the status is checked at
    that date too. A record lies in a period report's area when one of its communes does,
    unless `locked_inside`: then only when all do (a capital plan of the province is counted
    by the province's report, not by a commune's).
    """

    def __init__(
        self,
        model: type[M],
        name: str,
        *,
        area: AreaRule,
        audited: Sequence[str],
        required: Sequence[str] = (),
        prefix: str,
        path: str,
        entity: str | None = None,
        sensitive: Sensitive | None = None,
        item: str | None = None,
        dated: str | None = None,
        counted: Sequence[str] = (),
        stepped: str | None = None,
        locked_inside: bool = False,
    ) -> None:
        self.model = model
        self.locked_inside = locked_inside
        self.prefix = prefix
        self.dated = dated
        self.stepped = stepped
        # What a change may not touch on a record dated in a locked period.
        self.counted = frozenset((*counted, *((dated,) if dated else ())))
        # A change is seen in the audited fields (and a step's `extra`): a counted field that
        # is not audited could change unseen.
        unseen = set(counted) - set(audited)
        assert not unseen, f"{name}: counted fields not audited: {sorted(unseen)}"
        self.name = require_word(name)
        self.entity = entity or name.replace(" ", "_")
        self.area = area
        self.audited = tuple(audited)
        self.required = tuple(required)
        self.collection = f"{prefix}/{path}"
        self.sensitive = sensitive
        self.item = f"{prefix}/{item or path + '/{id}'}"
        self.segment = [s for s in self.item.split("/") if "{" not in s][-1]
        self.everywhere = isinstance(area, Province)
        _DECLARED.setdefault(prefix, {})[self.entity] = self
        # Built once, reused by every read, write and list: building them per request was a
        # measurable part of its CPU (SQLAlchemy's operator dispatch on ORM attributes).
        self._select = select(model)
        self._by_id = self._select.where(model.id == bindparam("record_id"))
        self._by_id_locked = self._by_id.with_for_update()

    # -- reading ------------------------------------------------------------------------

    def not_found(self) -> Problem:
        return Problem(404, msg("not_found", what=word(self.name)))

    async def find(self, session: AsyncSession, id_: uuid.UUID, *, lock: bool = False) -> M | None:
        # Locked, on PostgreSQL writers of one record wait for each other (SQLite serialises
        # writers already), so the version they compare is the one they change.
        stmt = self._by_id_locked if lock else self._by_id
        return (await session.scalars(stmt, {"record_id": id_})).first()

    def admits(self, principal: Principal) -> bool:
        """Whether the caller may see records of this kind at all (a sensitive resource's
        role); the area rule then says which."""
        return self.sensitive is None or self.sensitive.admits(principal)

    def may_read(self, principal: Principal, record: Any) -> bool:
        return self.admits(principal) and self.area.may_read(principal, record)

    def require_admitted(self, principal: Principal) -> None:
        """A list or a create of a sensitive resource by anyone without its role: 403."""
        if self.sensitive is not None:
            self.sensitive.require(principal)

    async def read(self, session: AsyncSession, principal: Principal, id_: uuid.UUID) -> M:
        """The record, or 404 when it does not exist, lies outside the caller's areas, or is
        sensitive and the caller lacks its role."""
        record = await self.find(session, id_)
        if record is None or not self.may_read(principal, record):
            raise self.not_found()
        return record

    def visible(self, principal: Principal, area: Area | None = None) -> Select[M]:
        """SELECT of the records the caller may read, inside `area` when given (403 for a
        sensitive resource and a caller without its role)."""
        self.require_admitted(principal)
        stmt = self._select.where(self.area.readable(principal))
        if area is not None:
            stmt = stmt.where(self.area.within(area))
        return stmt

    def where_visible(
        self, principal: Principal, area: Area | None = None
    ) -> list[ColumnElement[bool]]:
        """The same conditions, for a statement that selects more than the record."""
        self.require_admitted(principal)
        conditions = [self.area.readable(principal)]
        if area is not None:
            conditions.append(self.area.within(area))
        return conditions

    def keyset(self, stmt: Select[Any], listing: ListParams) -> Select[Any]:
        """Order and cut a statement over this resource's table for one page."""
        m = self.model
        return keyset(stmt, listing, m.created_at, m.updated_at, m.id)

    async def page(
        self, session: AsyncSession, stmt: Select[M], listing: ListParams
    ) -> tuple[list[M], str | None]:
        rows = (await session.scalars(self.keyset(stmt, listing))).all()
        return page_of(rows, listing)

    # -- writing ------------------------------------------------------------------------

    async def take(self, ctx: WriteContext, id_: uuid.UUID) -> M:
        """The record locked for this transaction: 404 when missing or unreadable, 403 when
        only readable, and for a change 428/412 unless If-Match names its current version."""
        record = await self.find(ctx.session, id_, lock=True)
        if record is None or not self.may_read(ctx.principal, record):
            raise self.not_found()
        self.require_writable(ctx.principal, record)
        ctx.check_version(record.version)
        ctx.touch(self, record)
        if self.dated is not None or self.stepped is not None:
            # Read now, so that `changed` checks the lock without a query of its own.
            lock = lock_of(self.prefix)
            if lock is not None:
                await lock.load(ctx)
        return record

    async def refuse_locked(self, ctx: WriteContext, record: Any, dates: Iterable[Any]) -> None:
        """409 period-locked when one of `dates` (what a write changes inside the record:
        a plan's milestones) lies in an approved period of the record's area."""
        lock = lock_of(self.prefix)
        if lock is None:
            return
        communes = self.communes(record)
        for on in dates:
            await lock.check(ctx, on, communes, inside=self.locked_inside)

    async def guard(self, ctx: WriteContext, record: Any) -> None:
        """409 period-locked when a new record is dated inside an approved period of its
        area (`add` asks it; so does a service that writes new records set-based)."""
        if self.dated is None:
            return
        lock = lock_of(self.prefix)
        if lock is not None:
            await lock.check(
                ctx, getattr(record, self.dated), self.communes(record), inside=self.locked_inside
            )

    async def guards(self, ctx: WriteContext) -> Callable[[Any], None]:
        """`guard` for many new records, the approved periods read once: a check each record
        then meets without a query or an await (a service that writes records set-based)."""
        dated, inside = self.dated, self.locked_inside
        lock = lock_of(self.prefix) if dated is not None else None
        if lock is None or dated is None:
            return _unlocked
        locked = await lock.load(ctx)

        def guard(record: Any) -> None:
            lock.refuse(locked, getattr(record, dated), self.communes(record), inside=inside)

        return guard

    def require_writable(self, principal: Principal, record: M) -> None:
        if not self.area.may_write(principal, record):
            raise Problem(403, msg("partly_outside", what=word(self.name)))

    async def new_id(self, session: AsyncSession, id_: uuid.UUID | None) -> uuid.UUID:
        """A client-made id, or a new one; a taken id is 409 duplicate."""
        return await ensure_new_id(session, self.model, id_, self.name)

    def snapshot(self, record: M) -> Snapshot:
        """The audited fields now, and the communes the record lies in now."""
        return Snapshot(
            {name: getattr(record, name) for name in self.audited}, self.communes(record)
        )

    def communes(self, record: M) -> Sequence[str]:
        return self.area.communes(record)

    async def add(
        self,
        ctx: WriteContext,
        record: M,
        *,
        conflict: Msg | None = None,
        action: str = "create",
        extra: Mapping[str, Any] | None = None,
    ) -> M:
        """Insert a new record and its audit row; a unique rule another request won
        meanwhile is 409 (`conflict` says which), never a 500."""
        self.require_admitted(ctx.principal)
        await self.guard(ctx, record)
        ctx.session.add(record)
        await flush_or_conflict(ctx.session, conflict or msg("id_taken", what=word(self.name)))
        changes = created(self.snapshot(record)) | dict(extra or {})
        ctx.audit(action, self.entity, record.id, changes, self.communes(record))
        ctx.touch(self, record)
        return record

    def apply(
        self,
        ctx: WriteContext,
        record: M,
        body: BaseModel | Mapping[str, Any],
        *,
        action: str = "update",
        fields: Iterable[str] | None = None,
    ) -> dict[str, list[Any]]:
        """Set the fields a PATCH sent (or the mapping's keys), refusing to empty a required
        one; when anything changed, move the version and write the audit row."""
        if isinstance(body, BaseModel):
            refuse_nulls(body, self.required)
            sent = body.model_fields_set
            values = {name: getattr(body, name) for name in sent}
        else:
            values = dict(body)
        allowed = set(fields) if fields is not None else None
        before = self.snapshot(record)
        for name, value in values.items():
            if allowed is None or name in allowed:
                setattr(record, name, value)
        return self.changed(ctx, record, before, action=action)

    def changed(
        self,
        ctx: WriteContext,
        record: M,
        before: Mapping[str, Any],
        *,
        action: str = "update",
        extra: Mapping[str, Any] | None = None,
        on: Any = None,
    ) -> dict[str, list[Any]]:
        """After a record was changed in place (`before` is its `snapshot` from before):
        bump and audit when anything differs; `on` is the date of a status step (else its
        `stepped` attribute), which the period lock checks. The audit row lies in the
        communes before and after, so a record that moved stays in the trail its former
        area's admins read."""
        changes = diff(before, self.snapshot(record)) | dict(extra or {})
        if changes:
            self._check_lock(ctx, record, before, changes, action, on)
            bump(record)
            communes = {*getattr(before, "communes", ()), *self.communes(record)}
            ctx.audit(action, self.entity, record.id, changes, sorted(communes))
            ctx.touch(self, record, communes)
        return changes

    def _check_lock(
        self,
        ctx: WriteContext,
        record: M,
        before: Mapping[str, Any],
        changes: Mapping[str, Any],
        action: str,
        on: Any,
    ) -> None:
        """The period lock of a change (see the class): with the approved periods read
        (`take` reads them), now; else just before the commit."""
        if self.dated is None and self.stepped is None:
            return
        lock = lock_of(self.prefix)
        if lock is None:
            return
        after = self.communes(record)
        dated: list[tuple[Any, Sequence[str]]] = []
        if on is not None:
            dated.append((on, after))
        elif self.stepped is not None and (
            action == "transition" or self.stepped in changes or "status" in changes
        ):
            dated.append((getattr(record, self.stepped), after))
        if self.dated is not None and (
            not self.counted.isdisjoint(changes)
            or set(getattr(before, "communes", after)) != set(after)
        ):
            old_on = before[self.dated] if self.dated in before else getattr(record, self.dated)
            dated.append((old_on, getattr(before, "communes", after)))
            dated.append((getattr(record, self.dated), after))
        if not dated:
            return
        loaded = lock.loaded(ctx)
        if loaded is not None:
            for on, communes in dated:
                lock.refuse(loaded, on, communes, inside=self.locked_inside)
            return

        async def check() -> None:
            for on, communes in dated:
                await lock.check(ctx, on, communes, inside=self.locked_inside)

        ctx.checks.append(check)

    def location(self, id_: uuid.UUID | str) -> str:
        return f"{self.collection}/{id_}"

    def item_path(self, record: Any) -> str:
        """The record's own `GET` path (where the change feed reads it)."""
        if isinstance(record, dict):  # a record written set-based, its columns by name
            return self.item.format_map(record)
        return self.item.format_map(_Attributes(record))

    def item_path_of(self, id_: str) -> str:
        """The same from the id alone, for a record of a collection of its own."""
        if self.item.count("{") != 1:
            raise LookupError(f"{self.entity}: its path needs more than its id ({self.item})")
        return self.item.format(id=id_)
