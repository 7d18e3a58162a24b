"""Money spent on a programme, the same for every service that records it (gender, digital):
entries in one commune, never edited, corrected by reversals (kit.ledger), each naming
optionally the record the money went to (`link`: an activity, an asset).

A service declares its table with `SpendingColumns` and its link column, its answers by
subclassing `SpendingCreateBase` / `SpendingReadBase` with the link field, and the rest with
one `SpendingBook`: the resource, the ledger, the built-once reads, the create and the
reversal.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from pydantic import Field
from sqlalchemy import Date, ForeignKey, String, Text, Uuid, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from mtqg_shared.areas import place_commune
from mtqg_shared.fields import Day, Name, Note
from mtqg_shared.kit.areas import InCommune
from mtqg_shared.kit.importing import Importable
from mtqg_shared.kit.ledger import Ledger
from mtqg_shared.kit.money import CapitalType, ProjectCode, capital_field
from mtqg_shared.kit.placed import PlacedReads
from mtqg_shared.kit.places import GivenPlace, set_place
from mtqg_shared.kit.present import present as from_record
from mtqg_shared.kit.resource import Resource
from mtqg_shared.kit.vocabulary import BUDGETS, Words
from mtqg_shared.messages import word
from mtqg_shared.migrations import (
    create_keyset_indexes,
    create_placed_indexes,
    placed_columns,
    record_columns,
)
from mtqg_shared.rules import RuleViolation, check_not_future
from mtqg_shared.schemas import (
    CommuneCode,
    Geography,
    PlacedRead,
    PositiveVnd,
    RecordRead,
    StrictInput,
)
from mtqg_shared.types import Money, RecordMixin, today_vn
from mtqg_shared.writes import WriteContext


class SpendingSource(StrEnum):
    central_budget = "central_budget"
    local_budget = "local_budget"
    mobilised = "mobilised"


# Their words, for each service's vocabulary: `terms(SpendingSource, SOURCE_WORDS)`.
SOURCE_WORDS: Mapping[str, Words] = {
    **BUDGETS,
    SpendingSource.mobilised: ("Nguồn vốn huy động", "Mobilised funds"),
}


class SpendingColumns(RecordMixin, GivenPlace):
    """The columns of a spending table (with `RecordMixin`; the service adds its link column)."""

    # "on" is an SQL keyword; the column is on_date.
    on: Mapped[dt.date] = mapped_column("on_date", Date, nullable=False, index=True)
    # Negative for a reversal.
    amount_vnd: Mapped[int] = mapped_column(Money, nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    purpose: Mapped[str | None] = mapped_column(String(200))
    project_code: Mapped[str] = mapped_column(String(32), nullable=False)
    capital_type: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)

    @declared_attr
    def reverses_id(cls) -> Mapped[uuid.UUID | None]:
        # Unique in the service's table (`uq_<table>_reverses_id`): reversed at most once.
        table = cls.__tablename__  # type: ignore[attr-defined]
        return mapped_column(Uuid, ForeignKey(f"{table}.id", ondelete="CASCADE"))

    @property
    def reverses(self) -> uuid.UUID | None:
        """The contract's name of `reverses_id`."""
        return self.reverses_id


class SpendingCreateBase(StrictInput):
    """Either money spent (`commune_code`, `amount_vnd`, `source`, `purpose`, ...) or the
    correction of an entry (`reverses`, `on`, `note`), never both."""

    id: uuid.UUID | None = Field(default=None, description="Made by the client (offline).")
    commune_code: CommuneCode | None = Field(default=None, description="Not with `reverses`.")
    geography: Geography | None = Field(default=None, description="Not with `reverses`.")
    on: Day
    amount_vnd: PositiveVnd | None = Field(default=None, description="Not with `reverses`.")
    source: SpendingSource | None = Field(default=None, description="A reversal keeps its entry's.")
    purpose: Name | None = Field(default=None, description="Not with `reverses`.")
    project_code: ProjectCode | None = Field(
        default=None, description="A reversal keeps its entry's."
    )
    capital_type: CapitalType | None = capital_field()
    reverses: uuid.UUID | None = Field(
        default=None, description="The entry this one cancels (records its negative)."
    )
    note: Note | None = None


class SpendingReadBase(RecordRead, PlacedRead):
    geography: Geography
    on: dt.date
    amount_vnd: int = Field(description="Negative for a reversing entry.")
    source: SpendingSource
    purpose: str | None
    project_code: str
    capital_type: CapitalType
    note: str | None
    reverses: uuid.UUID | None
    reversed_by: uuid.UUID | None


E = TypeVar("E", bound=SpendingColumns)
R = TypeVar("R", bound=SpendingReadBase)

# What a new entry must say; what it may say; what a reversal copies from the entry it undoes
# beside the programme's tags (kit.money).
_OWN = ("commune_code", "amount_vnd", "source", "purpose")
_OPTIONAL = ("geography", "project_code", "capital_type")
_COPIED = ("purpose",)
_AUDITED = (
    "commune_code",
    "legacy_commune_code",
    "legacy_district_code",
    "geography",
    "on",
    "amount_vnd",
    "source",
    "purpose",
    "project_code",
    "capital_type",
    "note",
    "reverses",
)


class SpendingBook(Generic[E, R]):
    """A service's spending: `model` (a `SpendingColumns` table), its answer `read`, and
    `link`, the column naming the record of `linked` (called `linked_word`) the money went
    to."""

    def __init__(
        self,
        service: str,
        model: type[E],
        read: type[R],
        *,
        link: str,
        linked: Resource[Any],
        linked_word: str,
        prefix: str,
    ) -> None:
        self.service = service
        self.model = model
        self.read_model = read
        self.link = link
        self.linked = linked
        self.linked_word = linked_word
        m: Any = model
        self.resource: Resource[E] = Resource(
            model,
            "spending entry",
            area=InCommune(m.commune_code, m.legacy_commune_code),
            audited=(*_AUDITED[:8], link, *_AUDITED[8:]),
            # Entries are never edited: a create or a reversal dated in a locked period is
            # what the lock refuses.
            dated="on",
            prefix=prefix,
            path="spending",
        )
        # Entries stand on their own: a reversal names the entry, not a parent record.
        self.ledger: Ledger[Any] = Ledger(m, None, name="spending entry", service=service)
        entry = m.__table__.c
        later = m.__table__.alias("later")
        # An entry's answer, with the entry that reversed it (or NULL), in one statement.
        self.reads = PlacedReads(
            self.resource,
            read,
            filters=("source", "project_code", "capital_type", link),
            columns=(
                *(c for c in entry if c.key not in ("on_date", "reverses_id")),
                entry.on_date.label("on"),
                entry.reverses_id.label("reverses"),
                select(later.c.id)
                .where(later.c.reverses_id == entry.id)
                .scalar_subquery()
                .label("reversed_by"),
            ),
        )
        self.rows = self.reads.rows
        self.present_row = self.reads.present_row
        self.read = self.reads.read
        self.page = self.reads.page

    # Answers.

    def present(self, entry: E, reversed_by: uuid.UUID | None) -> R:
        return from_record(self.read_model, entry, reversed_by=reversed_by)

    # Imports.

    def importable(
        self, create: type[SpendingCreateBase], *, example: Mapping[str, Any]
    ) -> Importable:
        """The book's entries imported from a spreadsheet (API.md section 10): each row is
        `record`, as a `POST` (an entry, or the reversal of one). Entries are never edited,
        so nothing names an existing one: no natural key, every row a new entry."""
        return Importable(
            name="spending",
            resource=self.resource,
            create=create,
            add=self.record,
            natural_key=(),
            example=example,
        )

    # Writes.

    async def _check_link(self, ctx: WriteContext, linked_id: uuid.UUID | None) -> None:
        """The record the money went to is one the caller may read (422 otherwise)."""
        if linked_id is None:
            return
        found = await self.linked.find(ctx.session, linked_id)
        if found is None or not self.linked.area.may_read(ctx.principal, found):
            raise RuleViolation(f"body.{self.link}", "not_found", what=word(self.linked_word))

    async def _new(self, ctx: WriteContext, body: SpendingCreateBase, entry_id: uuid.UUID) -> E:
        assert body.commune_code is not None and body.amount_vnd is not None
        assert body.source is not None
        check_not_future(body.on, today_vn(), "body.on")
        tags = self.ledger.new_tags(body)
        placed = place_commune(ctx.principal, body.commune_code, body.geography, body.on)
        linked_id = getattr(body, self.link)
        await self._check_link(ctx, linked_id)
        make: Any = self.model
        entry: E = make(
            id=entry_id,
            created_by=ctx.principal.key,
            version=1,
            on=body.on,
            amount_vnd=body.amount_vnd,
            source=body.source.value,
            purpose=body.purpose,
            note=body.note or None,
            **tags,
            **{self.link: linked_id},
        )
        set_place(entry, placed)
        return entry

    async def _reversal(
        self, ctx: WriteContext, body: SpendingCreateBase, entry_id: uuid.UUID
    ) -> E:
        """The entry that cancels `body.reverses`: its negative, in its commune, with its
        source, purpose, link, project and capital type, dated between it and today. An
        entry the caller may not write is as one that does not exist."""
        check_not_future(body.on, today_vn(), "body.on")
        original, copied = await self.ledger.reversal(
            ctx.session,
            None,
            body,
            allowed=lambda entry: self.resource.area.may_write(ctx.principal, entry),
        )
        make: Any = self.model
        reversal: E = make(
            id=entry_id,
            created_by=ctx.principal.key,
            version=1,
            on=body.on,
            amount_vnd=-original.amount_vnd,
            reverses_id=original.id,
            note=body.note or None,
            commune_code=original.commune_code,
            legacy_commune_code=original.legacy_commune_code,
            legacy_district_code=original.legacy_district_code,
            **copied,
            **{name: getattr(original, name) for name in (*_COPIED, self.link)},
        )
        return reversal

    async def record(self, ctx: WriteContext, body: SpendingCreateBase) -> E:
        # A reversal carries none of a new entry's fields, the optional ones included.
        given = (*_OWN, *_OPTIONAL, self.link) if body.reverses is not None else _OWN
        reversing = self.ledger.form(body, given)
        entry_id = await self.resource.new_id(ctx.session, body.id)
        if reversing:
            entry = await self._reversal(ctx, body, entry_id)
            return await self.resource.add(
                ctx, entry, conflict=self.ledger.conflict(), action="reverse"
            )
        entry = await self._new(ctx, body, entry_id)
        return await self.resource.add(ctx, entry, conflict=self.ledger.conflict())


def create_spending_table(op: Any, link: str, linked_table: str) -> None:
    """A migration's step: the service's `spending` table (`SpendingColumns`), its link column
    `link` naming a row of `linked_table`, and their indexes."""
    op.create_table(
        "spending",
        *record_columns(),
        *placed_columns(),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("amount_vnd", Money, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("purpose", sa.String(200)),
        sa.Column(link, sa.Uuid()),
        sa.Column("project_code", sa.String(32), nullable=False),
        sa.Column("capital_type", sa.String(16), nullable=False),
        sa.Column("reverses_id", sa.Uuid()),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_spending"),
        sa.ForeignKeyConstraint(
            [link], [f"{linked_table}.id"], name=f"fk_spending_{link}_{linked_table}"
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["spending.id"],
            name="fk_spending_reverses_id_spending",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("reverses_id", name="uq_spending_reverses_id"),
    )
    create_keyset_indexes(op, "spending")
    create_placed_indexes(op, "spending")
    op.create_index("ix_spending_on_date", "spending", ["on_date"])
    op.create_index(f"ix_spending_{link}", "spending", [link])
