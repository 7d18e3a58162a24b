"""Records only holders of one role read (the protection cases of victims): declared on the
resource as `sensitive=Sensitive(role, log)`, they get the rule and a log of every read.

- **Who.** Only people holding `role` (`Principal.holds`) within their areas read or write
  them: anyone else gets 404 on one record (as if it did not exist), 403 on the list and on a
  create; a client never holds a role, so it is always refused.
- **Every read is logged.** A route that reads such records takes `ctx: LoggedRead` instead of
  a `ReadSession` and answers through `ctx.record(...)` or `ctx.page(...)`: the log row
  (`{at, reader, action, record ids, request_id}`) is written in the transaction the records
  were read in, and that transaction commits before the answer leaves. A read of these
  records therefore never runs on the autocommit read engine (a log write is a write), a log
  write that fails fails the read (503 when the database is unavailable, else 500), and a
  route that answers without logging answers 500 and shows nothing.
- **The trail.** Audit entries of the resource show their `changes` only to holders of the
  role (others read the entry with `changes: null`), and showing them is logged too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.auth import CurrentPrincipal, Principal, Reader
from mtqg_shared.db import Database
from mtqg_shared.errors import Problem
from mtqg_shared.kit.http import answer
from mtqg_shared.messages import msg
from mtqg_shared.types import utcnow
from mtqg_shared.writes import communes_text, etag, request_id_of


@dataclass(frozen=True, slots=True)
class Sensitive:
    """The rule of a resource whose records only holders of `role` read, and the service's
    access-log table (`mtqg_shared.access_log.access_log_table`) their reads are written to.
    `ids` names the records' ids in the log's answer (`case_ids`)."""

    role: str
    log: Table
    ids: str = "record_ids"

    def admits(self, principal: Principal) -> bool:
        return principal.holds(self.role)

    def refused(self) -> Problem:
        return Problem(403, msg("forbidden.held_role", role=self.role))

    def require(self, principal: Principal) -> None:
        """403 unless the caller holds the role (lists and creates)."""
        if not self.admits(principal):
            raise self.refused()

    def log_row(
        self,
        principal: Principal,
        request_id: str | None,
        action: str,
        entity_type: str,
        read: Sequence[tuple[str, Sequence[str]]],
    ) -> dict[str, Any]:
        """One read: which records (each with its communes, so that an area's admins see only
        the reads of their records) by whom, when."""
        # A record shown several times in one answer (its audit entries) is one record read.
        once = {id_: places for id_, places in read}
        communes = {c for places in once.values() for c in places}
        return {
            "at": utcnow(),
            "reader": principal.key,
            "action": action,
            "entity_type": entity_type,
            "records": [[id_, sorted(places)] for id_, places in once.items()],
            "request_id": request_id,
            "communes": communes_text(communes),
        }

    def holders(self) -> Any:
        """A route dependency: 403 unless the caller holds the role (before the body's
        validation and the idempotency claim of a create)."""

        async def holder(principal: CurrentPrincipal) -> Principal:
            self.require(principal)
            return principal

        return holder


class Guarded(Protocol):
    """What the log needs of a resource (`kit.resource.Resource`)."""

    entity: str
    sensitive: Sensitive | None

    def communes(self, record: Any) -> Sequence[str]: ...


def _item(record: Any) -> Any:
    """A page's item as the area rule reads it: a record, a row, or a row's dict."""
    return SimpleNamespace(**record) if isinstance(record, Mapping) else record


class UnloggedRead(Problem):
    """A route read sensitive records and answered without logging the read: it answers
    nothing of them."""

    def __init__(self) -> None:
        super().__init__(500, msg("internal"))


# The scope's state key naming what read a record through its route (kit.changes).
READ_VIA = "mtqg.read_via"


@dataclass
class ReadLog:
    """A read of sensitive records: its transaction (on the writing engine), its principal, and
    the answer, sent only once the read is logged in that transaction and committed."""

    session: AsyncSession
    principal: Principal
    request_id: str | None
    # What showed the records when it was not the route itself: the change feed ("changes").
    via: str | None = None
    logged: bool = False
    _rows: list[dict[str, Any]] = field(default_factory=list)

    async def record(
        self, resource: Guarded, body: BaseModel, record: Any, *, version: int, action: str = "read"
    ) -> Response:
        """One record read (with its ETag), logged."""
        await self.log(resource, [record], action=action)
        return answer(body, headers=etag(version))

    async def page(
        self, resource: Guarded, body: BaseModel, records: Iterable[Any], *, action: str = "list"
    ) -> Response:
        """A page of records, logged (an empty page too: that someone looked is a read)."""
        await self.log(resource, records, action=action)
        return answer(body)

    async def log(self, resource: Guarded, records: Iterable[Any], *, action: str) -> None:
        """Write the log row of this read and commit the read's transaction with it."""
        sensitive = resource.sensitive
        if sensitive is None:
            raise TypeError(f"{resource.entity} is not a sensitive resource")
        read = [(str(_item(r).id), tuple(resource.communes(_item(r)))) for r in records]
        await write_log(
            self.session,
            sensitive,
            sensitive.log_row(
                self.principal, self.request_id, self.via or action, resource.entity, read
            ),
        )
        self.logged = True


async def write_log(session: AsyncSession, sensitive: Sensitive, *rows: dict[str, Any]) -> None:
    """Insert the log rows and commit: the caller answers only after this returned."""
    if rows:
        await session.execute(insert(sensitive.log), list(rows))
    await session.commit()


async def logged_read(request: Request, principal: Reader) -> AsyncIterator[ReadLog]:
    db: Database = request.app.state.db
    # The writing engine: a transaction, so the log row commits with the read or not at all.
    async with db.session() as session:
        ctx = ReadLog(
            session=session,
            principal=principal,
            request_id=request_id_of(request),
            via=request.scope.get("state", {}).get(READ_VIA),
        )
        yield ctx
        if not ctx.logged:
            raise UnloggedRead()


# What a route reading sensitive records takes instead of a `ReadSession`.
LoggedRead = Annotated[ReadLog, Depends(logged_read, scope="function")]
