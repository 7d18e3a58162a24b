"""An import's rows, each through the single create's own rules, in one transaction.

Each row's cells become a body (`reading.row_values`), validated by the resource's create
schema; its natural key names an existing record or none; then, each in its own SAVEPOINT,
the row is added (`Importable.add`), skipped, updated (`Importable.change` at the record's
current version, as a PATCH with `If-Match` would) or refused (`exists`). A row that breaks a
rule (a Problem, RuleViolation, StateConflict, a unique rule, a validation error) is rolled
back to its savepoint with its audit rows and change notes (`WriteContext.mark`), recorded
with its row number, field and code, and the next row goes on, so that one run finds every
error. Whether anything is kept is the caller's decision (`mtqg_shared.imports.runner`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError

from mtqg_shared.errors import FieldError, Problem, validation_errors
from mtqg_shared.imports.reading import CellError, Layout, kinds, row_values
from mtqg_shared.kit.importing import (
    Existing,
    Importable,
    RowFailed,
    RowsRefused,
    existing_by,
    plain_key,
)
from mtqg_shared.kit.vocabulary import Vocabulary
from mtqg_shared.messages import Msg, Text, Verbatim, field_message, msg, word
from mtqg_shared.rules import RuleViolation, StateConflict
from mtqg_shared.writes import WriteContext

log = logging.getLogger("mtqg.imports")

# What a job keeps of its errors (all are counted).
MAX_ERRORS = 1000
# What a row's write may raise that is the row's fault, not the import's.
ROW_FAILURES: tuple[type[BaseException], ...] = (
    Problem,
    RuleViolation,
    StateConflict,
    IntegrityError,
    ValidationError,
    RowFailed,
)


@dataclass
class Outcome:
    """What a run found: counts, and the first MAX_ERRORS errors, worded in `language`."""

    language: str
    total_rows: int = 0
    processed_rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add_error(self, row: int, field_name: str | None, code: str, message: Text) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(
                {
                    "row": row,
                    "field": field_name,
                    "code": code,
                    "message": message.render(self.language),
                }
            )

    def add_field_errors(self, row: int, errors: Sequence[FieldError | Mapping[str, Any]]) -> None:
        for error in errors:
            if isinstance(error, FieldError):
                self.add_error(row, _field(error.field), error.code, error.message)
            else:
                text = error.get("message")
                self.add_error(
                    row,
                    _field(str(error.get("field", ""))) or None,
                    str(error.get("code", "invalid")),
                    text if isinstance(text, Msg | Verbatim) else msg("import_row_failed"),
                )

    def add_failure(self, row: int, exc: BaseException) -> None:
        """A row's write refused: as its own request's answer would say."""
        if isinstance(exc, RowFailed):
            exc = exc.error
        if isinstance(exc, ValidationError):
            self.add_field_errors(row, validation_errors(exc.errors()))
        elif isinstance(exc, RuleViolation):
            self.add_error(row, _field(exc.field), exc.code, exc.message)
        elif isinstance(exc, StateConflict):
            self.add_error(row, None, _code(exc.kind), exc.message)
        elif isinstance(exc, Problem):
            if exc.errors:
                self.add_field_errors(row, exc.errors)
            else:
                detail = exc.detail or exc.title
                self.add_error(row, None, _code(exc.type), detail)
        else:  # a unique rule the service did not turn into its own 409
            self.add_error(row, None, "duplicate", msg("import_row_conflict"))


def _field(name: str) -> str:
    """A body's field as the sheet's column names it: `body.amount_vnd` -> `amount_vnd`."""
    return name.removeprefix("body.")


def _code(problem_type: str) -> str:
    """A whole row refused (409 and the like) carries its problem's type as its code."""
    return problem_type.replace("-", "_")


Progress = Callable[[int], Awaitable[None]]


@dataclass
class Rows:
    """A job's rows ready to run: the layout read from its file, the resource, the mode."""

    entry: Importable
    layout: Layout
    on_existing: str
    vocabulary: Vocabulary | None


async def existing(ctx: WriteContext, entry: Importable, body: BaseModel) -> Existing | None:
    """The record the row's natural key names, or None (no key, or a key left empty)."""
    key = _key_of(entry, body)
    if key is None or None in key:
        return None
    return (await existing_of(ctx, entry, [key])).get(key)


async def existing_of(
    ctx: WriteContext, entry: Importable, keys: Sequence[tuple[Any, ...]]
) -> dict[tuple[Any, ...], Existing]:
    """The records a chunk's natural keys name, in one query (`Importable.existing_many`, or
    the model's columns of the keys' names); one query per key only for a resource that
    gives no more than `existing`. A key's enum member is looked up, and answered, as the
    value a column holds."""
    names = entry.natural_key
    given = {plain_key(k): k for k in keys if None not in k}
    wanted = list(given)
    if not wanted:
        return {}
    if entry.existing_many is not None:
        found = dict(await entry.existing_many(ctx.session, names, wanted))
    elif entry.existing is not None:
        found = {}
        for key in wanted:
            one = await entry.existing(ctx.session, dict(zip(names, key, strict=True)))
            if one is not None:
                found[key] = one
    else:
        model = entry.resource.model
        columns = [getattr(model, name) for name in names]
        found = await existing_by(ctx.session, model, columns, wanted)
    return {given[key]: one for key, one in found.items() if key in given}


def _key_of(entry: Importable, body: BaseModel) -> tuple[Any, ...] | None:
    if not entry.natural_key:
        return None
    return tuple(getattr(body, name, None) for name in entry.natural_key)


@dataclass(slots=True)
class _Pending:
    number: int
    body: BaseModel
    ready: Any  # `Importable.prepare`'s answer for the body, or None


@dataclass(slots=True)
class _Read:
    """A row read and validated (`body` None: it failed); its cells' and body's errors,
    recorded when the chunk runs (`_run_chunk`), so that they come in the order the rows
    do, after those of the chunk before, whose write may still have been running."""

    number: int
    values: dict[str, Any]
    body: BaseModel | None
    key: tuple[Any, ...] | None
    cell_errors: list[tuple[str, CellError]]
    invalid: list[FieldError]
    ready: Any = None


@dataclass
class _Run:
    """What a run carries from one chunk of rows to the next: the new rows waiting for
    `add_many`, their keys, and the chunk whose keys are looked up and rows written (in the
    background, while the rows after it are read)."""

    pending: list[_Pending] = field(default_factory=list)
    pending_keys: set[tuple[Any, ...]] = field(default_factory=set)
    writing: asyncio.Task[None] | None = None

    async def written(self) -> None:
        """The chunk in flight, finished (its failure raised here): first, before anything
        else uses the session."""
        if self.writing is not None:
            task, self.writing = self.writing, None
            await task

    async def then(self, chunk: Coroutine[Any, Any, None]) -> None:
        """`chunk` to run once the chunk before it has: the session is used by one at a
        time, in the rows' order."""
        try:
            await self.written()
        except BaseException:
            chunk.close()  # never to run
            raise
        self.writing = asyncio.create_task(chunk)

    async def stop(self) -> None:
        """A run ending early: the chunk in flight stopped, never left running."""
        if self.writing is not None:
            task, self.writing = self.writing, None
            task.cancel()
            with contextlib.suppress(BaseException):
                await task


# While a chunk is looked up and written, the rows after it are read and validated, and the
# event loop is given back every this many rows: while the chunk waits for the database, the
# reading goes on, and when the database answers, the chunk does.
_YIELD_EVERY = 100


async def run_rows(ctx: WriteContext, rows: Rows, outcome: Outcome, progress: Progress) -> None:
    """Every row through validation and its write; `outcome` counts and collects. Rows are
    read a chunk at a time; each chunk then runs in the background (the records its natural
    keys name found in one query, its rows judged in order, the new ones given to `add_many`
    a chunk at a time) while this process reads and validates the next. Chunks run one
    after the other, so the session is used by one at a time and the rows keep their order."""
    entry = rows.entry
    create_kinds = kinds(entry.create, rows.vocabulary)
    storable = rows.layout.storable
    columns = [(i, name, create_kinds[name]) for i, name in rows.layout.columns.items()]
    prepare = entry.prepare if entry.add_many is not None else None
    run = _Run()
    read: list[_Read] = []
    outcome.total_rows = len(rows.layout.rows)
    try:
        for number, cells in rows.layout.rows:
            values, cell_errors = row_values(cells, columns, storable)
            body: BaseModel | None = None
            invalid: list[FieldError] = []
            if not cell_errors:
                try:
                    body = entry.create.model_validate(values)
                except ValidationError as exc:
                    invalid = validation_errors(exc.errors())
            key = ready = None
            if body is not None:
                key = _key_of(entry, body)
                ready = prepare(ctx, body) if prepare is not None else None
            read.append(_Read(number, values, body, key, cell_errors, invalid, ready))
            if len(read) >= entry.chunk:
                await run.then(_run_chunk(ctx, rows, read, run, outcome, progress))
                read = []
            elif run.writing is not None and len(read) % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
        await run.written()
        await _run_chunk(ctx, rows, read, run, outcome, progress)
        await _flush(ctx, entry, run.pending, outcome)
    finally:
        await run.stop()


async def _run_chunk(
    ctx: WriteContext,
    rows: Rows,
    read: Sequence[_Read],
    run: _Run,
    outcome: Outcome,
    progress: Progress,
) -> None:
    entry = rows.entry
    for r in read:
        for name, error in r.cell_errors:
            code = error.key.split(".", 1)[0]
            outcome.add_error(r.number, name, code, field_message(error.key, **error.params))
        if r.invalid:
            outcome.add_field_errors(r.number, r.invalid)
    keys = [r.key for r in read if r.key is not None]
    found_of = await existing_of(ctx, entry, keys) if keys else {}
    # Keys of this chunk's rows already handled: a later row of the same key looks again,
    # since the earlier one may have made or changed its record.
    handled: set[tuple[Any, ...]] = set()
    for r in read:
        if r.body is not None:
            key = r.key
            stale = key is not None and key in handled
            if entry.add_many is not None and key is not None and key in run.pending_keys:
                await _flush(ctx, entry, run.pending, outcome)
                run.pending_keys.clear()
                stale = True
            if key is None:
                found = None
            elif stale:
                found = await existing(ctx, entry, r.body)
            else:
                found = found_of.get(key)
            if key is not None:
                handled.add(key)
            if found is None and entry.add_many is not None:
                run.pending.append(_Pending(r.number, r.body, r.ready))
                if key is not None:
                    run.pending_keys.add(key)
                if len(run.pending) >= entry.chunk:
                    await _flush(ctx, entry, run.pending, outcome)
                    run.pending_keys.clear()
            else:
                await _one(ctx, rows, r.number, r.values, r.body, found, outcome)
        outcome.processed_rows += 1
        await progress(outcome.processed_rows)


async def _one(
    ctx: WriteContext,
    rows: Rows,
    number: int,
    values: Mapping[str, Any],
    body: BaseModel,
    found: Existing | None,
    outcome: Outcome,
) -> None:
    entry = rows.entry
    if found is not None and rows.on_existing == "skip":
        outcome.skipped += 1
        return
    if found is not None and rows.on_existing != "update":
        fields = ", ".join(entry.natural_key)
        outcome.add_error(
            number,
            entry.natural_key[0],
            "exists",
            field_message("exists", what=word(entry.resource.name), fields=fields),
        )
        return
    change_body: BaseModel | None = None
    if found is not None:
        assert entry.update is not None and entry.change is not None
        wanted = {k: v for k, v in values.items() if k in entry.update.model_fields}
        try:
            change_body = entry.update.model_validate(wanted)
        except ValidationError as exc:
            outcome.add_field_errors(number, validation_errors(exc.errors()))
            return
    part = ctx.mark()
    try:
        async with ctx.session.begin_nested():
            if found is None:
                await entry.add(ctx, body)
            else:
                assert entry.change is not None
                ctx.needs_version, ctx.if_match = True, f'"{found.version}"'
                try:
                    await entry.change(ctx, found.id, change_body)
                finally:
                    ctx.needs_version, ctx.if_match = False, None
    except ROW_FAILURES as exc:
        ctx.settle(part, keep=False)
        outcome.add_failure(number, exc)
        return
    ctx.settle(part, keep=True)
    if found is None:
        outcome.created += 1
    else:
        outcome.updated += 1


async def _flush(
    ctx: WriteContext, entry: Importable, pending: list[_Pending], outcome: Outcome
) -> None:
    """The validated new rows to `add_many` at once. When it refuses some of them and names
    each (`RowsRefused`), their errors are recorded as it gives them and the others go to
    `add_many` again; when it refuses otherwise, the chunk is rolled back and each row runs
    alone through `add`, so every error is found and worded as the single create words it."""
    if not pending:
        return
    chunk = list(pending)
    pending.clear()
    errors: dict[int, BaseException] = {}
    try:
        await _add_many(ctx, entry, chunk)
    except RowsRefused as refused:
        errors = dict(refused.failures)
    except ROW_FAILURES:
        pass
    else:
        outcome.created += len(chunk)
        return
    if errors and errors.keys() <= set(range(len(chunk))):
        for index, item in enumerate(chunk):
            if index in errors:
                outcome.add_failure(item.number, errors[index])
        chunk = [item for index, item in enumerate(chunk) if index not in errors]
        try:
            await _add_many(ctx, entry, chunk)
        except ROW_FAILURES:
            pass  # refused again (a unique rule lost to another writer): row by row
        else:
            outcome.created += len(chunk)
            return
    for item in chunk:
        part = ctx.mark()
        try:
            async with ctx.session.begin_nested():
                await entry.add(ctx, item.body)
        except ROW_FAILURES as exc:
            ctx.settle(part, keep=False)
            outcome.add_failure(item.number, exc)
            continue
        ctx.settle(part, keep=True)
        outcome.created += 1


async def _add_many(ctx: WriteContext, entry: Importable, chunk: Sequence[_Pending]) -> None:
    """`add_many` of the chunk in its SAVEPOINT, with its audit rows and change notes: all
    kept, or all rolled back and the refusal raised."""
    if not chunk:
        return
    assert entry.add_many is not None
    part = ctx.mark()
    try:
        async with ctx.session.begin_nested():
            ready = entry.prepare is not None
            await entry.add_many(ctx, [p.ready if ready else p.body for p in chunk])
    except BaseException:
        ctx.settle(part, keep=False)
        raise
    ctx.settle(part, keep=True)
