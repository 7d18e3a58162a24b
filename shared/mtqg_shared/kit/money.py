"""What every money entry of every service carries for the programme it belongs to (API.md
section 11), decided once: the `project_code` (one of the service's projects, by default its
own) and the `capital_type` (`recurrent` by default), and what a reversal copies from the
entry it undoes (`source`, `project_code`, `capital_type`) and when it may be dated.

A service's `Ledger` is declared with its service's name; its `tags` and `reversal` apply
these rules, so no service writes them again. Columns come from `project_column` and
`capital_column` (their server defaults give existing rows the service's project and
`recurrent` when a migration adds them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import sqlalchemy as sa
from pydantic import Field, StringConstraints
from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import MappedColumn, mapped_column

from mtqg_shared.errors import Problem, field_error
from mtqg_shared.programmes import DEFAULT_PROJECT, projects_of
from mtqg_shared.rules import RuleViolation, check_not_before

if TYPE_CHECKING:  # kit.vocabulary imports the audit module, which imports the kit
    from mtqg_shared.kit.vocabulary import Words


class CapitalType(StrEnum):
    investment = "investment"
    recurrent = "recurrent"


# Their words, for each service's vocabulary: `terms(CapitalType, CAPITAL_WORDS)`.
CAPITAL_WORDS: Mapping[str, Words] = {
    CapitalType.investment: ("Vốn đầu tư phát triển", "Development investment capital"),
    CapitalType.recurrent: ("Vốn sự nghiệp", "Recurrent capital"),
}

ProjectCode = Annotated[
    str,
    StringConstraints(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z._-]+$"),
    Field(description="A project of this service (GET /api/v1/programmes)."),
]

# What a reversal takes from the entry it undoes; a body may repeat them, never change them.
COPIED: tuple[str, ...] = ("source", "project_code", "capital_type")


def own_projects(service: str) -> list[str]:
    """The codes a service's entries may carry, in a stable order for messages and docs."""
    return sorted(projects_of(service))


def project_field(service: str) -> Any:
    """The `project_code` field of a service's entry, naming its projects and default."""
    return Field(
        default=None,
        description=(
            f"A project of this service: {', '.join(own_projects(service))} "
            f"(default {DEFAULT_PROJECT[service]}); a reversal keeps its entry's."
        ),
    )


def capital_field() -> Any:
    return Field(default=None, description="Default recurrent; a reversal keeps its entry's.")


def project_column(service: str) -> MappedColumn[Any]:
    return mapped_column(String(32), nullable=False, server_default=DEFAULT_PROJECT[service])


def capital_column() -> MappedColumn[Any]:
    return mapped_column(String(16), nullable=False, server_default=CapitalType.recurrent.value)


# The rule a table of entries holds its capital type to (as `ck_<table>_capital_type`).
CAPITAL_RULE = "capital_type IN (" + ", ".join(f"'{c.value}'" for c in CapitalType) + ")"


def capital_check() -> CheckConstraint:
    return CheckConstraint(CAPITAL_RULE, name="capital_type")


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


class ProgrammeTags:
    """The programme rules of one service's money entries."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.default = DEFAULT_PROJECT[service]
        self.projects = own_projects(service)

    def new(self, body: Any) -> dict[str, str]:
        """A new entry's `project_code` (a project of this service: 422 otherwise; by default
        the service's) and `capital_type` (by default `recurrent`)."""
        code = getattr(body, "project_code", None) or self.default
        if code not in self.projects:
            raise RuleViolation(
                "body.project_code", "invalid_choice.project", expected=self.projects
            )
        capital = _plain(getattr(body, "capital_type", None) or CapitalType.recurrent)
        return {"project_code": code, "capital_type": str(capital)}

    @staticmethod
    def reversal(body: Any, original: Any, *, date: str = "on") -> dict[str, Any]:
        """What a reversal of `original` copies from it. A body naming one of those with
        another value is 422 on that field (a reversal undoes the entry as recorded; a
        different project or source is a new entry); it is dated on or after the entry
        (422 on `body.<date>`), and counts on its own date."""
        errors = []
        for name in COPIED:
            given = getattr(body, name, None)
            if given is not None and _plain(given) != getattr(original, name):
                errors.append(
                    field_error(
                        f"body.{name}",
                        "invalid_choice.reversal_copies",
                        kept=getattr(original, name),
                    )
                )
        if errors:
            raise Problem(422, errors=errors)
        on: dt.date = getattr(body, date)
        check_not_before(on, getattr(original, date), f"body.{date}", "reversed entry")
        return {name: getattr(original, name) for name in COPIED}


def add_programme_columns(op: Any, table: str, project: str) -> None:
    """A migration's step: `table`'s entries gain `project_code` and `capital_type`, the rows
    already there taking `project` (the service's default, written in the migration so that
    it stays what it was) and `recurrent`."""
    with op.batch_alter_table(table) as batch:
        batch.add_column(
            sa.Column("project_code", String(32), nullable=False, server_default=project)
        )
        batch.add_column(
            sa.Column(
                "capital_type",
                String(16),
                nullable=False,
                server_default=CapitalType.recurrent.value,
            )
        )
        batch.create_check_constraint(op.f(f"ck_{table}_capital_type"), CAPITAL_RULE)


def drop_programme_columns(op: Any, table: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(op.f(f"ck_{table}_capital_type"), type_="check")
        batch.drop_column("capital_type")
        batch.drop_column("project_code")
