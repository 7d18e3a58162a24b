"""Capital plans, the same in every service that records programme money (API.md section 11):
the capital a decision allocates to one of the service's projects in an area for a year, by
capital type and budget, never edited. A cut is a plan of a negative amount with its own
decision; a mistake is undone by a reversal (kit.ledger), which copies the plan and counts
from its own `decision_on`.

A plan lies in the area it names: the province (`15`), a commune, or before the 2025-07
reform a district or commune of the old provinces. It is read by every caller whose areas
touch that area (a commune officer reads the province's plans), written only by one whose
areas cover it all, and counted by a report for an area that holds it (a report for `15`
adds the province's own plans and every commune's; a report for a commune, only the
commune's).

A service declares its table with `CapitalPlanColumns`, then one `CapitalBook` gives the
resource, the create and reversal, the reads and the import; `capital_router` its routes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import Field
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Uuid,
    and_,
    false,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Mapped, aliased, declared_attr, mapped_column

from mtqg_shared.admin_units import GEO_NEW, GEO_OLD, NEW_PROVINCE_CODE, Area, admin_units
from mtqg_shared.areas import resolve_record_area
from mtqg_shared.auth import Principal
from mtqg_shared.db import keyset_indexes
from mtqg_shared.fields import STORABLE, Day, Note, bounded
from mtqg_shared.kit.areas import InCommunes
from mtqg_shared.kit.importing import Importable
from mtqg_shared.kit.ledger import Ledger
from mtqg_shared.kit.money import CAPITAL_RULE, CapitalType, ProjectCode, capital_field
from mtqg_shared.kit.present import present
from mtqg_shared.kit.resource import Resource
from mtqg_shared.kit.vocabulary import BUDGETS, Words
from mtqg_shared.migrations import create_keyset_indexes, record_columns
from mtqg_shared.pagination import ListParams, page_of
from mtqg_shared.programmes import DEFAULT_PROJECT
from mtqg_shared.rules import RuleViolation, check_not_future
from mtqg_shared.schemas import MAX_VND, AreaCode, Geography, RecordRead, StrictInput
from mtqg_shared.types import Money, RecordMixin, today_vn
from mtqg_shared.writes import WriteContext

TABLE = "capital_plans"
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PlanSource(StrEnum):
    """The budgets a plan allocates: what the disbursement report counts."""

    central_budget = "central_budget"
    local_budget = "local_budget"


# Their words, for each service's vocabulary: `terms(PlanSource, PLAN_SOURCE_WORDS)`.
PLAN_SOURCE_WORDS: Mapping[str, Words] = {source: BUDGETS[source] for source in PlanSource}

_SOURCE_RULE = "source IN (" + ", ".join(f"'{s.value}'" for s in PlanSource) + ")"

PlanYear = Annotated[int, Field(strict=True, ge=FIRST_YEAR, le=LAST_YEAR)]
# A cut is negative; nothing is zero.
PlanVnd = Annotated[int, Field(strict=True, ge=-MAX_VND, le=MAX_VND)]
DecisionNumber = Annotated[
    str,
    bounded(1, 64),
    STORABLE,
    Field(description="The allocating decision's number, e.g. 1234/QĐ-UBND."),
]


# -- where a plan lies --------------------------------------------------------------------


@cache
def _old_areas() -> tuple[Area, ...]:
    units = admin_units()
    return tuple(units.resolve_area(unit.code, GEO_OLD) for unit in units.list(GEO_OLD))


@cache
def area_of(code: str, geography: str) -> Area:
    """The area a stored plan names (its code in its geography)."""
    return admin_units().resolve_area(code, geography)


@lru_cache(maxsize=512)
def _touching(communes: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The area codes (2025-07, 2025-01) whose current communes meet `communes`."""
    new = (NEW_PROVINCE_CODE, *sorted(communes))
    old = sorted(a.code for a in _old_areas() if a.current_communes & communes)
    return new, tuple(old)


@lru_cache(maxsize=512)
def _inside(code: str, geography: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The area codes (2025-07, 2025-01) lying inside an area; None: every plan. A new
    commune holds the plans of the old communes that became it; an old unit holds the
    plans given in the old geography inside it."""
    area = area_of(code, geography)
    if area.geography == GEO_NEW:
        if area.level == "province":
            return None
        unit = admin_units().get(area.code, GEO_NEW)
        return (area.code,), tuple(unit.predecessor_codes if unit else ())
    held = area.legacy_communes
    old = sorted(a.code for a in _old_areas() if a.legacy_communes and a.legacy_communes <= held)
    return (), tuple(old)


def _keys(model: Any, new: tuple[str, ...], old: tuple[str, ...]) -> ColumnElement[bool]:
    parts = []
    if new:
        parts.append(and_(model.geography == GEO_NEW, model.area_code.in_(new)))
    if old:
        parts.append(and_(model.geography == GEO_OLD, model.area_code.in_(old)))
    return or_(*parts) if parts else false()


def plan_area(model: Any) -> InCommunes:
    """The area rule of a plan table (see the module's docstring)."""

    def readable(principal: Principal) -> ColumnElement[bool]:
        if principal.communes is None:
            return true()
        return _keys(model, *_touching(frozenset(principal.communes)))

    def within(area: Area) -> ColumnElement[bool]:
        inside = _inside(area.code, area.geography)
        return true() if inside is None else _keys(model, *inside)

    return InCommunes(
        of=lambda plan: sorted(area_of(plan.area_code, plan.geography).current_communes),
        sql_readable=readable,
        sql_within=within,
    )


# -- the table ----------------------------------------------------------------------------


class CapitalPlanColumns(RecordMixin):
    """The columns of a service's `capital_plans` table."""

    year: Mapped[int] = mapped_column(Integer, nullable=False)
    project_code: Mapped[str] = mapped_column(String(32), nullable=False)
    # The area as given: its code in `geography` (old and new units share codes).
    area_code: Mapped[str] = mapped_column(String(5), nullable=False)
    geography: Mapped[str] = mapped_column(String(7), nullable=False)
    capital_type: Mapped[str] = mapped_column(String(16), nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    # Negative for a cut and for a reversal.
    amount_vnd: Mapped[int] = mapped_column(Money, nullable=False)
    decision_number: Mapped[str] = mapped_column(String(64), nullable=False)
    decision_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    carried_over: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    note: Mapped[str | None] = mapped_column(Text)

    @declared_attr
    def reverses_id(cls) -> Mapped[uuid.UUID | None]:
        # Unique (`uq_capital_plans_reverses_id`): a plan is reversed at most once.
        return mapped_column(Uuid, ForeignKey(f"{TABLE}.id", ondelete="CASCADE"))

    @property
    def reverses(self) -> uuid.UUID | None:
        return self.reverses_id


def capital_plan_table_args() -> tuple[Any, ...]:
    """The table's constraints and indexes beyond its columns (its model's `__table_args__`)."""
    return (
        sa.CheckConstraint(CAPITAL_RULE, name="capital_type"),
        sa.CheckConstraint(_SOURCE_RULE, name="source"),
        sa.CheckConstraint("amount_vnd <> 0", name="amount_vnd"),
        sa.UniqueConstraint("reverses_id", name=f"uq_{TABLE}_reverses_id"),
        *keyset_indexes(TABLE),
        sa.Index(f"ix_{TABLE}_year_area", "year", "geography", "area_code"),
    )


def create_capital_plans_table(op: Any) -> None:
    """A migration's step: the service's `capital_plans` table and its indexes."""
    op.create_table(
        TABLE,
        *record_columns(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("project_code", sa.String(32), nullable=False),
        sa.Column("area_code", sa.String(5), nullable=False),
        sa.Column("geography", sa.String(7), nullable=False),
        sa.Column("capital_type", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("amount_vnd", Money, nullable=False),
        sa.Column("decision_number", sa.String(64), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=False),
        sa.Column("carried_over", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("reverses_id", sa.Uuid()),
        sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE}"),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            [f"{TABLE}.id"],
            name=f"fk_{TABLE}_reverses_id_{TABLE}",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("reverses_id", name=f"uq_{TABLE}_reverses_id"),
        sa.CheckConstraint(CAPITAL_RULE, name="capital_type"),
        sa.CheckConstraint(_SOURCE_RULE, name="source"),
        sa.CheckConstraint("amount_vnd <> 0", name="amount_vnd"),
    )
    create_keyset_indexes(op, TABLE)
    op.create_index(f"ix_{TABLE}_year_area", TABLE, ["year", "geography", "area_code"])


# -- bodies and answers -------------------------------------------------------------------


class CapitalPlanCreate(StrictInput):
    """Either a plan (`year`, `project_code`, `area_code`, `source`, `amount_vnd`,
    `decision_number`, `decision_on`, ...) or the reversal of one (`reverses`,
    `decision_on`, `note`), never both."""

    id: uuid.UUID | None = Field(default=None, description="Made by the client (offline).")
    year: PlanYear | None = Field(default=None, description="The budget year; not with `reverses`.")
    project_code: ProjectCode | None = Field(
        default=None, description="A project of this service; a reversal keeps its plan's."
    )
    area_code: AreaCode | None = Field(
        default=None, description="15, a commune, or an old district or commune (2025-01)."
    )
    geography: Geography | None = Field(default=None, description="How to read `area_code`.")
    capital_type: CapitalType | None = capital_field()
    source: PlanSource | None = Field(default=None, description="A reversal keeps its plan's.")
    amount_vnd: PlanVnd | None = Field(
        default=None, description="Integer VND; negative for a cut. Not with `reverses`."
    )
    decision_number: DecisionNumber | None = Field(
        default=None, description="Not with `reverses` (a reversal keeps its plan's)."
    )
    decision_on: Day = Field(description="The day the plan (or its reversal) counts from.")
    carried_over: bool | None = Field(
        default=None, description="Capital carried over from an earlier year (default false)."
    )
    reverses: uuid.UUID | None = Field(
        default=None, description="The plan this one undoes (records its negative)."
    )
    note: Note | None = None


class CapitalPlanRead(RecordRead):
    year: int
    project_code: str
    area_code: str
    geography: Geography
    area_name: str
    capital_type: CapitalType
    source: PlanSource
    amount_vnd: int = Field(description="Negative for a cut or a reversal.")
    decision_number: str
    decision_on: dt.date
    carried_over: bool
    note: str | None
    reverses: uuid.UUID | None
    reversed_by: uuid.UUID | None


# What a new plan must say; what it may say besides; what a reversal copies besides the
# programme's tags (kit.money).
_OWN = ("year", "project_code", "area_code", "source", "amount_vnd", "decision_number")
_OPTIONAL = ("geography", "capital_type", "carried_over")
_COPIED = ("year", "area_code", "geography", "decision_number", "carried_over")
_AUDITED = (
    "year",
    "project_code",
    "area_code",
    "geography",
    "capital_type",
    "source",
    "amount_vnd",
    "decision_number",
    "decision_on",
    "carried_over",
    "note",
    "reverses",
)


@dataclass(frozen=True, slots=True)
class PlanFilters:
    year: int | None = None
    project_code: str | None = None
    source: str | None = None
    area: Area | None = None


class CapitalBook:
    """A service's capital plans: `model` (a `CapitalPlanColumns` table)."""

    def __init__(self, service: str, model: type[CapitalPlanColumns], *, prefix: str) -> None:
        self.service = service
        self.model = model
        m: Any = model
        self.resource: Resource[Any] = Resource(
            model,
            "capital plan",
            area=plan_area(m),
            audited=_AUDITED,
            prefix=prefix,
            path="capital-plans",
            # Never edited: only its creation (or reversal) is dated inside a period.
            dated="decision_on",
            locked_inside=True,
        )
        self.ledger: Ledger[Any] = Ledger(m, None, name="capital plan", service=service)
        later = aliased(m)
        self._reversed_by = (
            select(later.id).where(later.reverses_id == m.id).scalar_subquery().label("rb")
        )

    # Answers.

    def present(self, plan: Any, reversed_by: uuid.UUID | None) -> CapitalPlanRead:
        name = area_of(plan.area_code, plan.geography).name
        return present(CapitalPlanRead, plan, area_name=name, reversed_by=reversed_by)

    async def read(self, session: Any, principal: Principal, plan_id: uuid.UUID) -> Any:
        """The plan and the plan that reversed it, or 404 (missing or not readable)."""
        m: Any = self.model
        stmt = select(m, self._reversed_by).where(m.id == plan_id)
        row = (await session.execute(stmt)).first()
        if row is None or not self.resource.may_read(principal, row[0]):
            raise self.resource.not_found()
        return self.present(row[0], row[1]), row[0].version

    async def page(
        self, session: Any, principal: Principal, listing: ListParams, filters: PlanFilters
    ) -> tuple[list[CapitalPlanRead], str | None]:
        m: Any = self.model
        stmt = select(m, self._reversed_by).where(
            *self.resource.where_visible(principal, filters.area)
        )
        for name in ("year", "project_code", "source"):
            value = getattr(filters, name)
            if value is not None:
                stmt = stmt.where(getattr(m, name) == value)
        rows = (await session.execute(self.resource.keyset(stmt, listing))).all()
        kept, cursor = page_of([row[0] for row in rows], listing)
        by_id = {row[0].id: row[1] for row in rows}
        return [self.present(plan, by_id[plan.id]) for plan in kept], cursor

    # Imports.

    def importable(self) -> Importable:
        """Plans imported from a spreadsheet (API.md section 10), each row as a `POST`: never
        edited, so no natural key. The template's example is a province allocation to the
        service's own project."""
        return Importable(
            name="capital-plans",
            resource=self.resource,
            create=CapitalPlanCreate,
            add=self.record,
            natural_key=(),
            example={
                "year": 2024,
                "project_code": DEFAULT_PROJECT[self.service],
                "area_code": NEW_PROVINCE_CODE,
                "capital_type": CapitalType.investment.value,
                "source": PlanSource.central_budget.value,
                "amount_vnd": 12_000_000_000,
                "decision_number": "1234/QĐ-UBND",
                "decision_on": dt.date(2024, 1, 15),
                "carried_over": False,
            },
        )

    # Writes.

    async def _new(self, ctx: WriteContext, body: CapitalPlanCreate, plan_id: uuid.UUID) -> Any:
        assert body.year is not None and body.area_code is not None
        assert body.amount_vnd is not None and body.source is not None
        assert body.decision_number is not None
        if body.amount_vnd == 0:
            raise RuleViolation("body.amount_vnd", "not_zero")
        tags = self.ledger.new_tags(body)
        area = resolve_record_area(ctx.principal, body.area_code, body.geography, body.decision_on)
        make: Any = self.model
        return make(
            id=plan_id,
            created_by=ctx.principal.key,
            version=1,
            year=body.year,
            area_code=area.code,
            geography=area.geography,
            source=body.source.value,
            amount_vnd=body.amount_vnd,
            decision_number=body.decision_number,
            decision_on=body.decision_on,
            carried_over=bool(body.carried_over),
            note=body.note or None,
            **tags,
        )

    async def _reversal(
        self, ctx: WriteContext, body: CapitalPlanCreate, plan_id: uuid.UUID
    ) -> Any:
        """The plan that undoes `body.reverses`: its negative, copied, counting from
        `decision_on` (on or after the plan's). A plan the caller may not write is as one
        that does not exist."""
        original, copied = await self.ledger.reversal(
            ctx.session,
            None,
            body,
            allowed=lambda plan: self.resource.area.may_write(ctx.principal, plan),
            date="decision_on",
        )
        make: Any = self.model
        return make(
            id=plan_id,
            created_by=ctx.principal.key,
            version=1,
            amount_vnd=-original.amount_vnd,
            reverses_id=original.id,
            decision_on=body.decision_on,
            note=body.note or None,
            **copied,
            **{name: getattr(original, name) for name in _COPIED},
        )

    async def record(self, ctx: WriteContext, body: CapitalPlanCreate) -> Any:
        check_not_future(body.decision_on, today_vn(), "body.decision_on")
        given = (*_OWN, *_OPTIONAL) if body.reverses is not None else _OWN
        reversing = self.ledger.form(body, given)
        plan_id = await self.resource.new_id(ctx.session, body.id)
        if reversing:
            plan = await self._reversal(ctx, body, plan_id)
            return await self.resource.add(
                ctx, plan, conflict=self.ledger.conflict(), action="reverse"
            )
        plan = await self._new(ctx, body, plan_id)
        return await self.resource.add(ctx, plan, conflict=self.ledger.conflict())
