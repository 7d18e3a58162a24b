"""The change feed of a service (API.md section 8): every write leaves one row per record it
changed, in the write's own transaction, and `GET /api/v1/<service>/changes` reads them back
as the records now stand for the caller.

- **Written by the kit.** `WriteContext.audit` notes the record of each audit row, and
  `Resource.take` notes a record a write depends on (a funding entry's case, a remittance's
  placement): its answer changes with the write (totals, status), so it gets an `upsert`
  too. `WriteContext.commit` writes the notes with the audit rows and commits them together.
  A service has a feed when its metadata holds the table (`change_table(metadata)` in its
  models, `create_change_table(op)` in a migration); nothing else names it.
- **Commit order.** A writer takes the feed's lock last (PostgreSQL: a transaction-scoped
  advisory lock per service; SQLite serialises writers already), numbers its rows after the
  highest committed `seq` and commits, which releases the lock. Row numbers are therefore
  given in commit order: at any moment the committed rows are exactly `seq` 1..n, so a page
  read below the highest committed `seq` never has a hole that a slower writer fills later.
- **As `GET` answers.** Each change is answered by the record's own `GET` route, called in
  the process with the caller's token: the same body, the same masking, the same 404 (then
  `remove`), and for a sensitive record the same access-log row. Rows of a sensitive
  resource are read only by holders of its role; anyone else never learns of them.
- **Which rows.** A row lies in the communes the record lay in before and after the write, so
  who could read it before learns that it left (`remove`). Each record's latest row is kept
  for ever; a row superseded by a later one of the same record is deleted
  `MTQG_CHANGES_RETENTION_DAYS` after it was superseded, and a cursor older than that is 410.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import logging
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.middleware.asyncexitstack import AsyncExitStackMiddleware
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, create_model
from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    delete,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.middleware.exceptions import ExceptionMiddleware

from mtqg_shared.auth import Principal, Reader
from mtqg_shared.db import ReadSession, insert_rows
from mtqg_shared.errors import Problem, field_error
from mtqg_shared.inprocess import call, request_scope
from mtqg_shared.kit.http import JSONBytes
from mtqg_shared.kit.resource import declared
from mtqg_shared.kit.sensitive import READ_VIA
from mtqg_shared.messages import msg
from mtqg_shared.openapi import problems
from mtqg_shared.types import UtcDateTime, utcnow
from mtqg_shared.writes import Noted, communes_text

log = logging.getLogger("mtqg.changes")

CHANGES = "changes"
# What a change says of its record to the caller.
ChangeAction = Literal["upsert", "remove"]
# A row of a record every reader reads (province-wide reference data: norms, partners).
EVERYWHERE = " * "
Seq = BigInteger().with_variant(Integer(), "sqlite")
# Superseded rows deleted by one write at most: the purge is spread over the writes.
PURGE_BATCH = 100


def change_table(metadata: MetaData) -> Table:
    """The service's change log, in its own schema beside `audit_log`."""
    return Table(
        CHANGES,
        metadata,
        # Given by the writer in commit order (see the module's text), never by a sequence.
        Column("seq", Seq, primary_key=True, autoincrement=False),
        Column("at", UtcDateTime, nullable=False),
        Column("resource", String(64), nullable=False),
        Column("entity_type", String(64), nullable=False),
        Column("entity_id", String(64), nullable=False),
        # The record's own GET path, which answers it.
        Column("path", String(512), nullable=False),
        # The communes it lay in before and after the write, " a b ", or " * " (everywhere).
        Column("communes", Text, nullable=False),
        Column("superseded_at", UtcDateTime),
        Index(None, "entity_type", "entity_id"),
        Index(None, "superseded_at"),
    )


def create_change_table(op: Any) -> None:
    """The migration of `change_table`."""
    import sqlalchemy as sa

    op.create_table(
        CHANGES,
        sa.Column("seq", Seq, autoincrement=False, nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("resource", sa.String(64), nullable=False),
        sa.Column("entity_type", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("path", sa.String(512), nullable=False),
        sa.Column("communes", sa.Text(), nullable=False),
        sa.Column("superseded_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("seq", name="pk_changes"),
    )
    op.create_index("ix_changes_entity_type_entity_id", CHANGES, ["entity_type", "entity_id"])
    op.create_index("ix_changes_superseded_at", CHANGES, ["superseded_at"])


def feed_table(metadata: MetaData) -> Table | None:
    return metadata.tables.get(CHANGES)


# -- writing --------------------------------------------------------------------------------


# The order of a write's change rows (and of its waits for other writers' rows).
_ORDER = attrgetter("entity_type", "entity_id")


class Feed:
    """What a service's writes and reads need of its feed: the table, the service's lock, the
    retention, and where each entity type's records are read."""

    def __init__(
        self,
        table: Table,
        service: str,
        prefix: str,
        *,
        retention_days: int,
        sensitive: Mapping[str, Any] | None = None,
    ) -> None:
        self.table = table
        self.service = service
        self.paths = PathOf(prefix)
        self.retention = dt.timedelta(days=retention_days)
        # entity type -> its Sensitive rule: only holders of the role read its rows.
        self.sensitive = dict(sensitive or {})
        # A 63-bit advisory lock key of this service's feed (services share one database).
        self.lock_key = zlib.crc32(f"mtqg.changes.{service}".encode())
        t = table
        self._head = select(func.max(t.c.seq))
        self._supersede = (
            update(t)
            .where(
                t.c.entity_type == bindparam("e_type"),
                t.c.entity_id == bindparam("e_id"),
                t.c.superseded_at.is_(None),
            )
            .values(superseded_at=bindparam("now"))
        )
        expired = (
            select(t.c.seq)
            .where(t.c.superseded_at < bindparam("cut"))
            .order_by(t.c.superseded_at)
            .limit(PURGE_BATCH)
            .scalar_subquery()
        )
        self._purge = delete(t).where(t.c.seq.in_(expired))

    async def write(self, session: AsyncSession, noted: Iterable[Noted]) -> None:
        """The write's change rows, numbered in commit order: called last before commit."""
        rows = []
        earlier = []  # the rows of records that may have change rows to supersede
        now = utcnow()
        # The records that may have rows to supersede in one order, so that two writes of the
        # same records never wait for each other; then the records this write created (no
        # other write has rows of them), in the order the write made them.
        old: list[Noted] = []
        new: list[Noted] = []
        for note in noted:
            (new if note.new else old).append(note)
        old.sort(key=_ORDER)
        for note in (*old, *new):
            path, resource, everywhere = note.path, note.resource, note.everywhere
            if path is None or resource is None:
                found = self.paths(note.entity_type, note.entity_id)
                if found is None:
                    continue
                path, resource, everywhere = found
            communes = EVERYWHERE if everywhere else communes_text(note.communes)
            row = {
                "at": now,
                "resource": resource,
                "entity_type": note.entity_type,
                "entity_id": note.entity_id,
                "path": path,
                "communes": communes,
            }
            rows.append(row)
            if not note.new:
                earlier.append(row)
        if not rows:
            return
        await session.execute(self._purge, {"cut": now - self.retention})
        # One statement for all of the write's records (executemany), not a round trip each.
        if earlier:
            await session.execute(
                self._supersede,
                [{"e_type": r["entity_type"], "e_id": r["entity_id"], "now": now} for r in earlier],
            )
        # Last: from here to the commit, the service's other writers wait for this one.
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": self.lock_key}
            )
        head = (await session.execute(self._head)).scalar() or 0
        for offset, row in enumerate(rows, start=1):
            row["seq"] = head + offset
        await insert_rows(session, self.table, rows)

    async def head(self, session: AsyncSession) -> int:
        return int((await session.execute(self._head)).scalar() or 0)


class PathOf:
    """Where a record of an entity type is read, for a note made without its resource (an
    audit row written by hand): the service's resource of that entity type."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, entity_type: str, entity_id: str) -> tuple[str, str, bool] | None:
        """None for an entity type no resource of the service declares: nothing reads it
        one by one, so no feed can show it."""
        resource = declared(self.prefix).get(entity_type)
        if resource is None:
            log.warning("audit rows of %r have no resource: not in the change feed", entity_type)
            return None
        return resource.item_path_of(entity_id), resource.segment, resource.everywhere


# -- cursors --------------------------------------------------------------------------------


def binding(principal: Principal) -> str:
    """Who a cursor was given to, with which roles, scopes and areas."""
    material = json.dumps(
        [
            principal.key,
            sorted(principal.roles),
            sorted(principal.scopes),
            sorted(principal.areas),
        ]
    )
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def encode_position(seq: int, principal: Principal, at: dt.datetime | None = None) -> str:
    issued = int((at or utcnow()).timestamp())
    raw = json.dumps({"s": seq, "t": issued, "b": binding(principal)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _unknown_cursor() -> Problem:
    return Problem(
        422, msg("cursor_unknown"), errors=[field_error("query.cursor", "invalid_format.cursor")]
    )


def decode_position(cursor: str, principal: Principal, retention: dt.timedelta) -> int:
    """The `seq` a cursor stands after; 422 when it is not one of ours, 410 cursor-reset when
    the caller's roles, scopes or areas changed since, 410 cursor-expired when older than the
    retention of superseded changes."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
        seq, issued, bound = value["s"], value["t"], value["b"]
    except (ValueError, binascii.Error, KeyError, TypeError):
        raise _unknown_cursor() from None
    valid = (
        isinstance(seq, int)
        and isinstance(issued, int)
        and isinstance(bound, str)
        and not isinstance(seq, bool)
        and 0 <= seq < 2**63
    )
    if not valid:
        raise _unknown_cursor()
    if bound != binding(principal):
        raise Problem(410, msg("cursor_reset"), type="cursor-reset")
    if utcnow().timestamp() - issued > retention.total_seconds():
        raise Problem(410, msg("cursor_expired", days=retention.days), type="cursor-expired")
    return int(seq)


# -- reading --------------------------------------------------------------------------------


class ChangeItem(BaseModel):
    seq: int = Field(description="Rises with every change; may skip.")
    resource: str = Field(description="The collection's path segment: `cases`, `funding`, ...")
    id: str = Field(description="The record's id.")
    action: ChangeAction = Field(
        description="`upsert`: `record` as its GET answers it to the caller now; `remove`: "
        "the record left the caller's areas (`record` null)."
    )
    at: dt.datetime = Field(description="When the change was committed.")
    record: dict[str, Any] | None = Field(
        description="The record as its GET answers it to the caller now; null for `remove`."
    )


class ChangePage(BaseModel):
    items: list[ChangeItem]
    next_cursor: str = Field(
        description="Where to ask again; never null (an empty page means nothing new yet)."
    )


class ChangeHead(BaseModel):
    cursor: str = Field(description="The position after the latest change.")


FEED_PROBLEMS = problems(410)


def readable_rows(feed: Feed, principal: Principal) -> list[Any]:
    """SQL: the change rows the caller may learn of."""
    t = feed.table
    conditions: list[Any] = []
    withheld = sorted(e for e, rule in feed.sensitive.items() if not rule.admits(principal))
    if withheld:
        conditions.append(t.c.entity_type.not_in(withheld))
    if principal.communes is not None:
        places = [t.c.communes.contains(f" {c} ") for c in sorted(principal.communes)]
        conditions.append(or_(t.c.communes == EVERYWHERE, *places))
    return conditions


async def read_page(
    session: AsyncSession, feed: Feed, principal: Principal, after: int, limit: int
) -> tuple[list[Any], int]:
    """The caller's rows after `after`, at most `limit`, and the position after them.

    The highest committed `seq` is read first: every row up to it is committed (rows are
    numbered in commit order), so the page below it has no hole, and when it holds fewer
    than `limit` rows the next position is that head, past rows the caller does not read."""
    head = await feed.head(session)
    if head <= after:
        return [], after
    t = feed.table
    stmt = (
        select(t.c.seq, t.c.at, t.c.resource, t.c.entity_type, t.c.entity_id, t.c.path)
        .where(t.c.seq > after, t.c.seq <= head, *readable_rows(feed, principal))
        .order_by(t.c.seq)
        .limit(limit)
    )
    rows = list((await session.execute(stmt)).all())
    position = rows[-1].seq if len(rows) == limit else head
    return rows, position


class RecordReader:
    """Answers a record as its own `GET` route does for the caller: the route is called in
    the process (no network, none of the outer layers: no access line, compression or 304),
    with the caller's headers and the request's id."""

    def __init__(self, request: Request) -> None:
        app = request.app
        self.inner = ExceptionMiddleware(
            AsyncExitStackMiddleware(app.router), handlers=dict(app.exception_handlers)
        )
        self.scope = request.scope
        keep = (b"authorization", b"accept-language", b"x-request-id")
        self.headers = [(k, v) for k, v in request.scope["headers"] if k in keep]

    async def read(self, location: str) -> tuple[int, bytes]:
        path, _, query = location.partition("?")
        scope = request_scope(
            self.scope,
            method="GET",
            path=path,
            query=query.encode(),
            headers=[(b"accept", b"application/json"), *self.headers],
            # The request's id; a sensitive record's read is logged as the feed's.
            state={**self.scope.get("state", {}), READ_VIA: "changes"},
        )
        answer = await call(self.inner, scope)
        return answer.status, answer.body


class _Envelope(BaseModel):
    """An item of the page but its record, which is spliced in as its GET answered it."""

    seq: int
    resource: str
    id: str
    action: ChangeAction
    at: dt.datetime


async def render(request: Request, rows: Sequence[Any]) -> list[bytes]:
    """Each record of the page once (at its latest change in the page), as it now stands:
    each item's JSON, its record the very bytes of its GET's answer."""
    latest: dict[tuple[str, str], Any] = {}
    for row in rows:
        latest.pop((row.entity_type, row.entity_id), None)
        latest[(row.entity_type, row.entity_id)] = row
    reader = RecordReader(request)
    items = []
    for row in latest.values():
        status, body = await reader.read(row.path)
        if status == 200:
            action, record = "upsert", body
        elif status == 404:
            action, record = "remove", b"null"
        elif status == 503:
            raise Problem(503, msg("database_not_ready"))
        elif status == 401:  # the token expired while the page was read: ask again
            raise Problem(401, msg("http.401"), headers={"WWW-Authenticate": "Bearer"})
        else:
            raise RuntimeError(f"the change feed read {row.path} and got {status}")
        envelope = _Envelope(
            seq=row.seq, resource=row.resource, id=row.entity_id, action=action, at=row.at
        ).model_dump_json()
        items.append(envelope[:-1].encode() + b',"record":' + record + b"}")
    return items


def record_models(routers: Sequence[APIRouter], prefix: str) -> list[type[BaseModel]]:
    """What the records of the feed are: the answers of the GET routes that read the
    service's resources one by one (for the document)."""

    def shape(path: str) -> str:
        return re.sub(r"\{[^}]+\}", "{}", path.partition("?")[0])

    wanted = {shape(resource.item) for resource in declared(prefix).values()}
    found: list[type[BaseModel]] = []
    for route in (route for router in routers for route in router.routes):
        if not isinstance(route, APIRoute) or "GET" not in (route.methods or ()):
            continue
        model = route.response_model
        if shape(route.path_format) not in wanted or not isinstance(model, type):
            continue
        if issubclass(model, BaseModel) and model not in found:
            found.append(model)
    return found


def page_model(service: str, models: Sequence[type[BaseModel]]) -> type[BaseModel]:
    """`ChangePage` whose items' `record` is one of the service's records (documentation:
    the answer itself holds each record as its GET answered it)."""
    record: Any = None
    for model in models:
        record = model if record is None else record | model
    if record is None:
        record = dict[str, Any]
    item = create_model(
        f"{service.capitalize()}Change",
        __base__=ChangeItem,
        record=(record | None, ChangeItem.model_fields["record"]),
    )
    return create_model(
        f"{service.capitalize()}ChangePage",
        __base__=ChangePage,
        items=(list[item], ...),
    )


Limit = Annotated[int, Query(ge=1, le=1000, description="At most this many changes (1-1000).")]
Cursor = Annotated[
    str | None,
    Query(max_length=512, description="From `next_cursor`; none: from the feed's start."),
]


def changes_router(prefix: str, page: type[BaseModel] = ChangePage) -> APIRouter:
    """`GET <prefix>/changes` and `GET <prefix>/changes/head`; `page` documents the answer
    (`page_model`)."""
    router = APIRouter(prefix=prefix, tags=["changes"])

    @router.get(
        "/changes",
        response_model=page,
        responses=FEED_PROBLEMS,
        summary="Follow every change of the records the caller may read",
    )
    async def list_changes(
        request: Request,
        principal: Reader,
        session: ReadSession,
        cursor: Cursor = None,
        limit: Limit = 200,
    ) -> Response:
        feed: Feed = request.app.state.feed
        after = 0 if cursor is None else decode_position(cursor, principal, feed.retention)
        rows, position = await read_page(session, feed, principal, after, limit)
        # The read session is done with: each record's GET takes its own.
        await session.close()
        items = await render(request, rows)
        next_cursor = json.dumps(encode_position(position, principal)).encode()
        body = b'{"items":[' + b",".join(items) + b'],"next_cursor":' + next_cursor + b"}"
        return JSONBytes(body)

    @router.get(
        "/changes/head",
        response_model=ChangeHead,
        summary="The position after the latest change (to follow only what comes next)",
    )
    async def changes_head(request: Request, principal: Reader, session: ReadSession) -> Response:
        feed: Feed = request.app.state.feed
        head = await feed.head(session)
        body = ChangeHead(cursor=encode_position(head, principal))
        return JSONBytes(body.model_dump_json().encode())

    return router
