"""What labour resources share beyond the shared library (`mtqg_shared.fields` holds the common
input types and documented headers): the prefix, the service's own text and number types, the
error answers of each kind of route, and the audit of a change that may move a record."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement

from mtqg_shared.errors import FieldError, Problem
from mtqg_shared.fields import STORABLE, bounded
from mtqg_shared.kit import CHANGE, CREATE, READ, STEP, Resource, WriteContext
from mtqg_shared.registry import process
from mtqg_shared.rules import RuleViolation
from mtqg_shared.writes import bump

PREFIX = process("labour").prefix

R = TypeVar("R", bound=BaseModel)
P = TypeVar("P", bound=BaseModel)

ShortText = Annotated[str, bounded(1, 64), STORABLE]
LongText = Annotated[str, bounded(1, 400), STORABLE]
SearchText = Annotated[str, bounded(1, 100), STORABLE]
Count = Annotated[int, Field(ge=0, le=100_000_000, strict=True)]
Year = Annotated[int, Field(ge=1990, le=2100)]


def columns_for(
    table: Any, answer: type[BaseModel], *, besides: Iterable[str] = ()
) -> list[ColumnElement[Any]]:
    """The table's columns that `answer` shows under the same name (in the answer's order),
    for a read that loads exactly what it answers as plain rows: no ORM entity is built, and
    the rows validate into `answer` by name. `besides` are fields the query adds itself."""
    skip = set(besides)
    return [table.c[name] for name in answer.model_fields if name in table.c and name not in skip]


def values_of(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Result rows as {column label: value}, the cheapest input for pydantic to validate (an
    answer model reading a row's attributes one by one costs five times as much)."""
    if not rows:
        return []
    keys = rows[0]._fields
    return [dict(zip(keys, row, strict=True)) for row in rows]


def answer_from(model: type[R], row: Any) -> R:
    """One answer row (see `columns_for`) validated into its answer."""
    return model.model_validate(values_of((row,))[0])


def page_from(page: type[P], items: list[dict[str, Any]], cursor: str | None) -> P:
    """A page of answer rows (`mtqg_shared.kit.rows.Rows.page`: by column label) validated
    into its answer at once."""
    return page.model_validate({"items": items, "next_cursor": cursor})


def invalid_many(errors: Sequence[tuple[str, RuleViolation]]) -> Problem:
    """422 naming every field of every rule broken."""
    return Problem(422, errors=[FieldError(f, rule.code, rule.message) for f, rule in errors])


def audit_move(
    ctx: WriteContext,
    res: Resource[Any],
    record: Any,
    changes: dict[str, list[Any]],
    communes_before: Iterable[str],
) -> None:
    """A change of a record that may have moved to another commune: its version moves and its
    audit row lies in the old and the new commune alike, so the readers of either see it."""
    if changes:
        bump(record)
        ctx.audit(
            "update", res.entity, record.id, changes, {*communes_before, *res.communes(record)}
        )


# The route kinds are the kit's, named here with PREFIX for the routers.
__all__ = ["CHANGE", "CREATE", "PREFIX", "READ", "STEP"]
