"""Every write goes through one WriteContext: audit rows, the idempotency record and the
change itself are committed in one transaction, and the answer is what gets replayed."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import json
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.auth import Principal, require_write
from mtqg_shared.db import Database, insert_rows
from mtqg_shared.errors import Problem, conflict, field_error
from mtqg_shared.fields import IdempotencyKey, IfMatch
from mtqg_shared.messages import Msg, msg, word
from mtqg_shared.types import RecordMixin, UtcDateTime, new_id, utcnow

log = logging.getLogger("mtqg.writes")
WritingPrincipal = Annotated[Principal, Depends(require_write)]

IDEMPOTENCY_TTL = dt.timedelta(hours=24)
# A claim older than this whose request never finished (the process died) may be taken
# over (the setting `idempotency_abandoned_seconds`).
IN_FLIGHT_ABANDONED = dt.timedelta(seconds=60)


def common_tables(metadata: MetaData) -> tuple[Table, Table]:
    """The audit log and idempotency records, in each service's own schema."""
    audit = Table(
        "audit_log",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", UtcDateTime, nullable=False),
        Column("actor", String(160), nullable=False),
        Column("action", String(64), nullable=False),
        Column("entity_type", String(64), nullable=False),
        Column("entity_id", String(64), nullable=False),
        Column("changes", JSON, nullable=False),
        Column("request_id", String(128)),
        # The current communes of the record, " a b c ", so that area-bound admins read only
        # the trail of what they may see.
        Column("communes", Text, nullable=False, server_default=" "),
        Index(None, "entity_type", "entity_id", "id"),
    )
    idempotency = Table(
        "idempotency_keys",
        metadata,
        Column("caller", String(160), primary_key=True),
        Column("key", String(255), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("state", String(16), nullable=False),
        Column("status_code", Integer),
        Column("response_body", Text),
        Column("response_headers", JSON),
        Column("created_at", UtcDateTime, nullable=False),
        Column("completed_at", UtcDateTime),
    )
    return audit, idempotency


class Replay(Exception):
    """The stored answer of an earlier request with the same key; rendered as it was."""

    def __init__(self, status: int, body: str | None, headers: Mapping[str, str]) -> None:
        super().__init__("idempotent replay")
        self.status = status
        self.body = body
        self.headers = dict(headers)

    def response(self) -> Response:
        headers = dict(self.headers)
        headers["Idempotent-Replayed"] = "true"
        return Response(
            content=self.body or "",
            status_code=self.status,
            headers=headers,
            media_type=headers.pop("content-type", "application/json"),
        )


def fingerprint(method: str, path: str, body: bytes) -> str:
    """Equal as parsed JSON means equal: key order and spacing do not matter."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
        material = canonical.encode()
    except (ValueError, UnicodeDecodeError):
        material = body
    digest = hashlib.sha256()
    digest.update(f"{method} {path}\n".encode())
    digest.update(material)
    return digest.hexdigest()


@dataclass(slots=True)
class Claim:
    caller: str
    key: str
    replayable: bool = True


class Idempotency:
    """Claims, completes and replays idempotency keys in the service's own table."""

    def __init__(
        self, db: Database, table: Table, *, abandoned: dt.timedelta = IN_FLIGHT_ABANDONED
    ) -> None:
        self.db = db
        self.table = table
        self.abandoned = abandoned

    async def claim(self, caller: str, key: str, print_: str, *, replayable: bool = True) -> Claim:
        t = self.table
        now = utcnow()
        for _attempt in range(2):
            async with self.db.session() as session:
                row = (
                    await session.execute(
                        select(t).where(t.c.caller == caller, t.c.key == key).with_for_update()
                    )
                ).first()
                if row is not None:
                    expired = row.created_at < now - IDEMPOTENCY_TTL
                    abandoned = row.state == "in_flight" and row.created_at < now - self.abandoned
                    if not (expired or abandoned):
                        await session.rollback()
                        self._refuse(row, print_, replayable)
                    await session.execute(delete(t).where(t.c.caller == caller, t.c.key == key))
                try:
                    await session.execute(
                        insert(t).values(
                            caller=caller,
                            key=key,
                            fingerprint=print_,
                            state="in_flight",
                            created_at=now,
                        )
                    )
                    await session.commit()
                    return Claim(caller, key, replayable)
                except IntegrityError:
                    await session.rollback()
        raise Problem(
            409,
            msg("idempotency_in_flight"),
            type="idempotency-in-flight",
        )

    @staticmethod
    def _refuse(row: Any, print_: str, replayable: bool) -> None:
        if row.fingerprint != print_:
            raise Problem(
                422,
                msg("idempotency_mismatch"),
                type="idempotency-mismatch",
            )
        if row.state == "in_flight":
            raise Problem(
                409,
                msg("idempotency_in_flight"),
                type="idempotency-in-flight",
            )
        if not replayable:
            raise Problem(
                409,
                msg("idempotency_never_replayed"),
                type="duplicate",
            )
        raise Replay(row.status_code, row.response_body, row.response_headers or {})

    async def complete(
        self,
        session: AsyncSession,
        claim: Claim,
        status: int,
        body: str | None,
        headers: Mapping[str, str],
    ) -> None:
        t = self.table
        await session.execute(
            update(t)
            .where(t.c.caller == claim.caller, t.c.key == claim.key)
            .values(
                state="done",
                status_code=status,
                # An answer that is never replayed (it holds a secret) is not kept.
                response_body=body if claim.replayable else None,
                response_headers=dict(headers) if claim.replayable else None,
                completed_at=utcnow(),
            )
        )

    async def finish(
        self, claim: Claim, status: int, body: str | None, headers: Mapping[str, str]
    ) -> None:
        """`complete` in a transaction of its own: for an answer made of other requests'
        transactions (a batch, mtqg_shared.batch), which has none to write it in."""
        async with self.db.session() as session:
            await self.complete(session, claim, status, body, headers)
            await session.commit()

    async def release(self, claim: Claim) -> None:
        """The request failed: forget the claim so that a retry runs again."""
        t = self.table
        async with self.db.session() as session:
            await session.execute(
                delete(t).where(
                    t.c.caller == claim.caller, t.c.key == claim.key, t.c.state == "in_flight"
                )
            )
            await session.commit()


_ONE_OR_MORE = frozenset({tuple, list, set, frozenset})


def communes_text(communes: Iterable[str]) -> str:
    """Communes as a text column holds them: each once, sorted, space-delimited."""
    if type(communes) in _ONE_OR_MORE and len(communes) == 1:  # type: ignore[arg-type]
        for commune in communes:  # most records lie in one commune: no sort, no set
            return f" {commune} "
    return " " + " ".join(sorted(set(communes))) + " "


# The values audit rows hold most, answered without jsonable_encoder's walk (which was most
# of a bulk create's CPU: 100,000 cases, 30 values each): exactly what it answers for them.
_AS_IS = frozenset({str, int, float, bool, type(None)})
_ISO = frozenset({dt.date, dt.datetime})


def jsonable(value: Any) -> Any:
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind in _ISO:
        return value.isoformat()
    if kind is list:
        return [jsonable(item) for item in value]
    if kind is dict and all(type(k) is str and not k.startswith("_sa") for k in value):
        return {k: jsonable(v) for k, v in value.items()}
    return jsonable_encoder(value)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed."""
    changes: dict[str, list[Any]] = {}
    for name in after:
        old, new = jsonable(before.get(name)), jsonable(after.get(name))
        if old != new:
            changes[name] = [old, new]
    return changes


def created(values: Mapping[str, Any], names: Iterable[str] | None = None) -> dict[str, list[Any]]:
    """A new record's changes: what `diff({}, values)` answers (each value that is not null,
    as [None, its JSON]), without a call per value for the scalars and dates most are;
    `names`: of those values only (a record's audited fields)."""
    changes: dict[str, list[Any]] = {}
    for name in values if names is None else names:
        value = values[name]
        if value is None:
            continue
        kind = type(value)
        if kind in _AS_IS:
            changes[name] = [None, value]
        elif kind in _ISO:
            changes[name] = [None, value.isoformat()]
        elif (new := jsonable(value)) is not None:
            changes[name] = [None, new]
    return changes


@dataclass(slots=True)
class Noted:
    """A record a write changed (or depends on), as its change row will say (kit.changes):
    where it lay before and after, and where it is read when its resource said so."""

    entity_type: str
    entity_id: str
    communes: set[str]
    everywhere: bool = False
    path: str | None = None
    resource: str | None = None
    # Created by this write: it has no earlier change rows to supersede.
    new: bool = False


def _read_at(
    noted: Noted, resource: Any, record: Any, *, new: bool, path: str | None = None
) -> None:
    """Where a noted record is read: its path (`path`, when the caller made it) and resource
    (`WriteContext.touch`)."""
    noted.path = path or resource.item_path(record)
    noted.resource = resource.segment
    noted.everywhere = resource.everywhere
    noted.new = noted.new or new


@dataclass(slots=True)
class Part:
    """What a write had noted before a part of it began (`WriteContext.mark`)."""

    audit_rows: list[dict[str, Any]]
    noted: dict[tuple[str, str], Noted]


# New records `WriteContext.insert_new` makes the audit rows of between two looks at the
# database's answers.
_NOTED_AT_ONCE = 500

# A session whose writes run in parts, each in its own SAVEPOINT (an import's rows): a unique
# rule lost inside a part rolls back that part alone, never the whole transaction.
IN_PARTS = "mtqg.in_parts"


@dataclass
class WriteContext:
    """The request's transaction, its principal, the audit rows it will write and, for a
    change of an existing record, the version the caller read (`If-Match`)."""

    session: AsyncSession
    principal: Principal
    request_id: str | None
    idempotency: Idempotency
    audit_table: Table
    claim: Claim | None = None
    # A change (PATCH, PUT) must name the version it was made from; `take` checks it.
    needs_version: bool = False
    if_match: str | None = None
    committed: bool = False
    # The service's change feed (kit.changes), when it has one.
    feed: Any = None
    # What the kit reads once per transaction (kit.periods: the approved periods).
    memo: dict[str, Any] = field(default_factory=dict)
    # Checks that need the database, left by a synchronous step (`Resource.changed`) to run
    # before the commit.
    checks: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    _audit_rows: list[dict[str, Any]] = field(default_factory=list)
    _noted: dict[tuple[str, str], Noted] = field(default_factory=dict)

    def audit(
        self,
        action: str,
        entity_type: str,
        entity_id: Any,
        changes: Mapping[str, Any],
        communes: Iterable[str] = (),
        *,
        encoded: bool = False,
    ) -> None:
        """An audit row (and its record's change row); `encoded`: `changes` holds JSON values
        already (`created`, `diff`), kept as given."""
        entity_id = str(entity_id)
        encoded_changes = dict(changes) if encoded else jsonable(dict(changes))
        self._audit_rows.append(
            self._row(utcnow(), action, entity_type, entity_id, encoded_changes, communes)
        )
        self._note(entity_type, entity_id, communes)

    def _row(
        self,
        at: dt.datetime,
        action: str,
        entity_type: str,
        entity_id: str,
        changes: dict[str, Any],
        communes: Iterable[str],
    ) -> dict[str, Any]:
        return {
            "at": at,
            "actor": self.principal.key,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "changes": changes,
            "request_id": self.request_id,
            "communes": communes_text(communes),
        }

    def _note(self, entity_type: str, entity_id: str, communes: Iterable[str]) -> Noted | None:
        """The record's change row, written with the audit rows (kit.changes)."""
        if self.feed is None:
            return None
        noted = self._noted.get((entity_type, entity_id))
        if noted is None:
            noted = self._noted[(entity_type, entity_id)] = Noted(entity_type, entity_id, set())
        noted.communes.update(communes)
        return noted

    def touch(
        self, resource: Any, record: Any, communes: Iterable[str] = (), *, new: bool = False
    ) -> None:
        """A record this write changed or depends on (its answer may change with the write:
        a case's totals after a funding entry): its change row, with where it is read;
        `new`: a record this write created with an id never used before."""
        noted = self._note(resource.entity, str(record.id), [*communes, *resource.communes(record)])
        if noted is not None:
            _read_at(noted, resource, record, new=new)

    def created_many(
        self,
        resource: Any,
        records: Sequence[Mapping[str, Any]],
        at: dt.datetime | None = None,
    ) -> None:
        """The audit rows and change notes of new records a service wrote set-based (their
        columns by name): for each, what `audit("create", ...)` with `created(...)` of its
        audited fields and `touch(resource, record, new=True)` leave, in one pass and with
        one reading of the clock (`at`, when the caller read it)."""
        entity, audited = resource.entity, resource.audited
        at = at or utcnow()
        # A record read at its id alone: the path made from the id's text, made once.
        by_id = resource.item.count("{") == 1
        for record in records:
            entity_id = str(record["id"])
            communes = resource.communes(record)
            changes = created(record, audited)
            self._audit_rows.append(self._row(at, "create", entity, entity_id, changes, communes))
            noted = self._note(entity, entity_id, communes)
            if noted is not None:
                path = resource.item_path_of(entity_id) if by_id else None
                _read_at(noted, resource, record, new=True, path=path)

    async def insert_new(
        self,
        resource: Any,
        records: Sequence[Mapping[str, Any]],
        insert: Awaitable[None],
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        """New records a service writes set-based: `insert` (the statements that store them)
        runs while this process makes their audit rows and change notes (`created_many`), a
        part at a time, and then `meanwhile` (what else the insert needs and the session is
        not used for: the next rows it stores), so that the database stores the records
        while the rest is made. When `insert` raises, its exception is raised here and the
        rows and notes are dropped."""
        part = self.mark()
        at = utcnow()
        storing = asyncio.ensure_future(insert)
        try:
            for start in range(0, len(records), _NOTED_AT_ONCE):
                await asyncio.sleep(0)  # the insert goes on whenever the database answers
                self.created_many(resource, records[start : start + _NOTED_AT_ONCE], at)
            if meanwhile is not None:
                meanwhile()
            await storing
        except BaseException:
            self.settle(part, keep=False)
            storing.cancel()
            with contextlib.suppress(BaseException):
                await storing
            raise
        self.settle(part, keep=True)

    def mark(self) -> Part:
        """Start a part of this write that may be undone alone (one row of an import, in its
        own SAVEPOINT): the audit rows and change notes made from here on are kept apart
        until `settle` keeps them with the rest or drops them with the part."""
        part = Part(self._audit_rows, self._noted)
        self._audit_rows, self._noted = [], {}
        return part

    def settle(self, part: Part, *, keep: bool) -> None:
        rows, noted = self._audit_rows, self._noted
        self._audit_rows, self._noted = part.audit_rows, part.noted
        if not keep:
            return
        self._audit_rows.extend(rows)
        for key, note in noted.items():
            known = self._noted.get(key)
            if known is None:
                self._noted[key] = note
                continue
            known.communes.update(note.communes)
            known.everywhere = known.everywhere or note.everywhere
            known.path = note.path or known.path
            known.resource = note.resource or known.resource

    def check_version(self, version: int) -> None:
        """For a change: the record must still be at the version the caller read."""
        if self.needs_version:
            require_version(self.if_match, version)

    async def commit(
        self,
        body: BaseModel | Mapping[str, Any] | list[Any] | None,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Write audit rows and the idempotency answer with the change, commit once, answer."""
        while self.checks:
            await self.checks.pop(0)()
        if isinstance(body, BaseModel):
            content = body.model_dump_json()
        elif body is None:
            content = ""
        else:
            content = json.dumps(jsonable(body), separators=(",", ":"), ensure_ascii=False)
        out_headers = dict(headers or {})
        if self._audit_rows:
            await insert_rows(self.session, self.audit_table, self._audit_rows)
        if self.claim is not None:
            await self.idempotency.complete(self.session, self.claim, status, content, out_headers)
        if self._noted:
            # Last before the commit: from here on the service's other writers wait.
            await self.feed.write(self.session, self._noted.values())
        await self.session.commit()
        self.committed = True
        self._audit_rows.clear()
        self._noted.clear()
        return Response(
            content=content,
            status_code=status,
            headers=out_headers,
            media_type="application/json" if body is not None else None,
        )


class UncommittedWrite(Problem):
    """A write handler returned without committing: the change would be lost, so the
    request fails instead of answering success."""

    def __init__(self) -> None:
        super().__init__(500, msg("not_saved"))


def request_id_of(request: Request) -> str | None:
    """The request's id (the request-id layer's), for the rows its writes leave."""
    found = request.scope.get("state", {}).get("request_id")
    return str(found) if found is not None else None


@contextlib.asynccontextmanager
async def open_write(
    request: Request, principal: Principal, *, key: str | None, if_match: str | None, change: bool
) -> AsyncIterator[WriteContext]:
    state = request.app.state
    db: Database = state.db
    idem: Idempotency = state.idempotency
    claim: Claim | None = None
    if key is not None:
        body = await request.body()
        print_ = fingerprint(request.method, request.url.path, body)
        extra = getattr(request.scope.get("route"), "openapi_extra", None) or {}
        claim = await idem.claim(
            principal.key, key, print_, replayable=not extra.get("x-never-replayed", False)
        )
    ctx: WriteContext | None = None
    try:
        async with db.session() as session:
            ctx = WriteContext(
                session=session,
                principal=principal,
                request_id=request_id_of(request),
                idempotency=idem,
                audit_table=state.audit_table,
                claim=claim,
                needs_version=change,
                if_match=if_match,
                feed=getattr(state, "feed", None),
            )
            yield ctx
            if not ctx.committed:
                log.error("write handler %s returned without committing", request.url.path)
                raise UncommittedWrite()
    finally:
        # After the request's session is closed, so the release is not undone with it.
        if claim is not None and (ctx is None or not ctx.committed):
            await idem.release(claim)


async def create_context(
    request: Request, principal: WritingPrincipal, key: IdempotencyKey = None
) -> AsyncIterator[WriteContext]:
    async with open_write(request, principal, key=key, if_match=None, change=False) as ctx:
        yield ctx


async def change_context(
    request: Request,
    principal: WritingPrincipal,
    if_match: IfMatch = None,
    key: IdempotencyKey = None,
) -> AsyncIterator[WriteContext]:
    async with open_write(request, principal, key=key, if_match=if_match, change=True) as ctx:
        yield ctx


# The two ways a route writes, each declaring (once) the headers it reads: `Write` for a POST
# that adds a record or a step, `Change` for a PATCH or PUT of an existing record, which must
# also name the version it was made from (`If-Match`: missing 428, stale 412). Both take
# `Idempotency-Key` (a change resent from a phone replays its first answer instead of meeting
# its own new version as a 412), check the write role or scope, and end with the route: a
# route that returns without `ctx.commit` answers 500, not 2xx.
Write = Annotated[WriteContext, Depends(create_context, scope="function")]
Change = Annotated[WriteContext, Depends(change_context, scope="function")]


def require_version(header: str | None, version: int) -> None:
    """If-Match with the record's current version: missing 428, stale 412."""
    if header is None:
        raise Problem(428, msg("if_match_missing"))
    tags = [t.strip() for t in header.split(",")]
    if "*" in tags:
        return
    wanted = f'"{version}"'
    if not any(t.removeprefix("W/") == wanted for t in tags):
        raise Problem(
            412,
            msg("if_match_stale", version=version),
            headers=etag(version),
        )


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


async def ensure_new_id(
    session: AsyncSession, model: type[RecordMixin], id_: uuid.UUID | None, what: str
) -> uuid.UUID:
    """The id to create a record with; a client-made id that is taken is 409 duplicate,
    whoever holds it and whatever its age (the answer says nothing of the existing record)."""
    if id_ is None:
        return new_id()
    taken = (await session.execute(select(model.id).where(model.id == id_))).first()
    if taken is not None:
        raise conflict(msg("id_taken", what=word(what)))
    return id_


async def flush_or_conflict(session: AsyncSession, detail: Msg, *, type: str = "duplicate") -> None:
    """Write now, so that a unique rule another request won meanwhile is a 409, never a 500.
    The database's own message is never shown: it can quote the conflicting values."""
    try:
        await session.flush()
    except IntegrityError:
        if not session.info.get(IN_PARTS):
            await session.rollback()
        raise conflict(detail, type=type) from None


def bump(record: RecordMixin) -> None:
    """Every change of a record moves its version (its ETag) and its sync timestamp."""
    record.version += 1
    record.updated_at = utcnow()


def refuse_nulls(body: BaseModel, fields: Iterable[str]) -> None:
    """PATCH: a field that every record must have may be changed or left out, not emptied."""
    sent = body.model_fields_set
    bad = [name for name in fields if name in sent and getattr(body, name) is None]
    if bad:
        raise Problem(422, errors=[field_error(f"body.{name}", "not_null") for name in bad])
