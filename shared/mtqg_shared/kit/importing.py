"""Which of a service's resources are imported from a spreadsheet, and how (API.md section 10).

A service declares one `Importable` per resource in its `imports.py` (`IMPORTS`), and the app
factory serves `/imports/resources`, `/imports/templates/{resource}` and `/imports` for them.
An import calls the resource's own single-create service function (`add`) with each row's
validated body, inside one transaction, so every row meets the same rules, area checks, audit
and change feed as `POST` does; `add_many`, when given, is the same rules for many rows at
once (the speed path); `update` with `change` is how `on_existing=update` applies a row's
PATCH fields to the record's current version.

The job table (`import_table(metadata)` in a service's models, `create_import_table(op)` in
its migration) holds each upload: the file, who sent it (to run with the same roles and
areas), where the run is and what it found. `mtqg_shared.imports` runs it.

The contract of `add_many(ctx, bodies)`: it applies the same rules as `add` to every body, in
order, within the caller's transaction, and returns one result per body; it either adds them
all or raises. A failure of one body is raised as `RowFailed(index, error)` (`error` the
Problem, RuleViolation, StateConflict or IntegrityError `add` would have raised for it); any
other exception counts against the chunk as a whole. Either way the engine rolls the chunk
back (its savepoint) and runs its bodies again one by one through `add`, so each row's error
is reported exactly as the single create gives it; `add_many` never needs to find more than
the first. An `add_many` that checks every body before it writes any may raise
`RowsRefused` instead, naming every body it refused, each with the very error `add` raises
for it, and judging each body as if the refused ones before it were not there: the engine
then reports those errors as they are and gives the other bodies to `add_many` again, so a
chunk of thousands with a few bad rows is not run again row by row.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from mtqg_shared.db import among_keys, on_postgres
from mtqg_shared.kit.resource import Resource
from mtqg_shared.types import UtcDateTime
from mtqg_shared.writes import WriteContext

IMPORTS = "import_jobs"


@dataclass(frozen=True, slots=True)
class Existing:
    """The record a row's natural key names: its id and current version."""

    id: uuid.UUID
    version: int


class RowFailed(Exception):
    """Raised by `add_many`: the body at `index` (of the bodies it was given) broke a rule;
    `error` is what `add` would have raised for it."""

    def __init__(self, index: int, error: BaseException) -> None:
        super().__init__(index, error)
        self.index = index
        self.error = error


class RowsRefused(RowFailed):
    """Raised by an `add_many` that found every refused body before writing any: each one's
    index with the error `add` raises for it (a refused body counts for no later body's
    rule). Nothing was written. As a `RowFailed` it names the first of them."""

    def __init__(self, failures: Sequence[tuple[int, BaseException]]) -> None:
        super().__init__(*failures[0])
        self.failures = list(failures)


# The records a chunk of rows' natural keys name (the key fields' names, then the keys).
def plain_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """A natural key as its columns hold it: an enum member as its value (a member of a
    `str` enum hashes apart from its value, so it would never find its row)."""
    return tuple(v.value if isinstance(v, Enum) else v for v in key)


async def existing_by(
    session: AsyncSession,
    model: Any,
    columns: Sequence[Any],
    keys: Sequence[tuple[Any, ...]],
    *,
    join: tuple[Any, Any] | None = None,
    where: Sequence[Any] = (),
) -> dict[tuple[Any, ...], Existing]:
    """The records of `model` whose `columns` (columns or expressions, of `model` or of the
    table `join` names with its condition) hold each of `keys`, among those `where` admits,
    in one query (`db.among_keys`): what `existing_many` answers by default, and what the
    resources that declare their own lookups ask."""
    stmt = select(model.id, model.version, *columns)
    if join is not None:
        stmt = stmt.join(*join)
    stmt, params = among_keys(
        stmt.where(*where), columns, keys, "keys", postgres=on_postgres(session)
    )
    found: dict[tuple[Any, ...], Existing] = {}
    for row in await session.execute(stmt, params):
        found.setdefault(tuple(row[2:]), Existing(row[0], row[1]))
    return found


ExistingMany = Callable[
    [AsyncSession, Sequence[str], Sequence[tuple[Any, ...]]],
    Awaitable[Mapping[tuple[Any, ...], Existing]],
]


@dataclass(frozen=True)
class Importable:
    """One importable resource.

    - `name`: the form's `resource` and the template's name: the collection's last path
      segment ("cases", "zones", "ocop-products");
    - `resource`: the kit resource its rows create;
    - `create`: the single create's body schema; its fields are the template's columns, and
      every row is validated by it;
    - `add(ctx, body)`: the single create's own service function;
    - `natural_key`: the fields of `create` that name an existing record (API.md section 10);
    - `existing(session, values)`: the record the key values name, or None; without it the
      kit looks up the model's columns of the same names;
    - `existing_many(session, names, keys)`: the same for a chunk of rows' keys at once
      ({key: record}, one query): what an import uses; a resource with `existing` alone
      is asked once per row;
    - `update`, `change(ctx, id, body)`: the PATCH body and service function, for
      `on_existing=update` (without them that mode is 422 for this resource);
    - `add_many(ctx, bodies)`: optional, the same rules as `add` for many bodies at once (see
      the module's text for its contract);
    - `prepare(ctx, body)`: optional, with `add_many`: what `add_many` needs of a body and
      no query for (its place, its new record), made as an import reads the row, while the
      rows before it are written; `add_many` is then given these in the bodies' place;
    - `example`: the template's example row, by field name.
    """

    name: str
    resource: Resource[Any]
    create: type[BaseModel]
    add: Callable[[WriteContext, Any], Awaitable[Any]]
    natural_key: tuple[str, ...]
    example: Mapping[str, Any]
    existing: Callable[[AsyncSession, Mapping[str, Any]], Awaitable[Existing | None]] | None = None
    existing_many: ExistingMany | None = None
    update: type[BaseModel] | None = None
    change: Callable[[WriteContext, uuid.UUID, Any], Awaitable[Any]] | None = None
    add_many: Callable[[WriteContext, Sequence[Any]], Awaitable[Sequence[Any]]] | None = None
    prepare: Callable[[WriteContext, Any], Any] | None = None
    # Fields of `create` left out of the template (a client-made `id`, say).
    hidden: tuple[str, ...] = field(default=("id",))
    # How many rows are read and looked up at once, and how many validated rows go to
    # `add_many` at once (100,000 housing cases: 5,975 a second in chunks of 500, 8,745 in
    # chunks of 5,000, each chunk's savepoint, queries and COPYs paid a tenth as often).
    chunk: int = 5000

    @property
    def fields(self) -> tuple[str, ...]:
        """The template's columns: the create body's fields, in its order, but `hidden`."""
        return tuple(n for n in self.create.model_fields if n not in self.hidden)


def import_table(metadata: MetaData) -> Table:
    """The service's import jobs, in its own schema beside `audit_log`."""
    return Table(
        IMPORTS,
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("resource", String(64), nullable=False),
        Column("mode", String(16), nullable=False),
        Column("on_existing", String(16), nullable=False),
        Column("status", String(16), nullable=False),
        Column("language", String(8), nullable=False),
        Column("file_name", String(255), nullable=False),
        Column("file_sha256", String(64), nullable=False),
        Column("file", LargeBinary, nullable=False),
        # The submitting principal as its token said (subject, kind, roles, scopes, areas).
        Column("principal", JSON, nullable=False),
        Column("created_by", String(160), nullable=False),
        Column("total_rows", Integer),
        Column("processed_rows", Integer, nullable=False),
        Column("created", Integer, nullable=False),
        Column("updated", Integer, nullable=False),
        Column("skipped", Integer, nullable=False),
        Column("error_count", Integer, nullable=False),
        Column("errors", JSON, nullable=False),
        Column("message", Text),
        Column("attempts", Integer, nullable=False),
        Column("lease_until", UtcDateTime),
        Column("created_at", UtcDateTime, nullable=False),
        Column("started_at", UtcDateTime),
        Column("finished_at", UtcDateTime),
        Index(None, "created_by", "created_at", "id"),
        Index(None, "status", "created_at"),
    )


def create_import_table(op: Any) -> None:
    """The migration of `import_table`."""
    import sqlalchemy as sa

    op.create_table(
        IMPORTS,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resource", sa.String(64), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("on_existing", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("file", sa.LargeBinary(), nullable=False),
        sa.Column("principal", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(160), nullable=False),
        sa.Column("total_rows", sa.Integer()),
        sa.Column("processed_rows", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", UtcDateTime()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime()),
        sa.Column("finished_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("id", name=f"pk_{IMPORTS}"),
    )
    op.create_index(
        f"ix_{IMPORTS}_created_by_created_at_id", IMPORTS, ["created_by", "created_at", "id"]
    )
    op.create_index(f"ix_{IMPORTS}_status_created_at", IMPORTS, ["status", "created_at"])


def imports_table(metadata: MetaData) -> Table | None:
    return metadata.tables.get(IMPORTS)


def row_of(
    name: str, doc: str, first: Mapping[str, Any], body: type[BaseModel], *, but: Sequence[str] = ()
) -> Any:
    """A row's schema for a create whose route names something by its path or by an id a
    sheet does not hold (a parent's, a worker's): the columns that name it (`first`, pydantic
    field definitions), then the route's own `body` fields but `but`, with their rules as
    they are (no copy of them)."""
    from pydantic import create_model

    from mtqg_shared.schemas import StrictInput

    fields = {n: (f.annotation, f) for n, f in body.model_fields.items() if n not in but}
    make: Any = create_model
    return make(name, __base__=StrictInput, __doc__=doc, **first, **fields)
