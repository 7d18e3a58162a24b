"""Reporting periods and their lock (API.md section 11), declared once per service.

A service's officers submit a report of one period (a month, a quarter, a half, a year) and
one area once the period has ended: its `snapshot` holds the service's own reports of that
area as of the period's last day, frozen. An approver approves it or returns it (with a
note); an admin reopens an approved one (with a note); a returned or reopened report is
submitted again, with a new snapshot. Every step is a row of its own, with the snapshot of
each submission, so earlier versions stay readable.

While a report is `approved`, the records of its service dated inside its period and lying in
its area are locked: `Resource` (kit.resource) asks `Lock.check` on every create, every status
step and every change of a field the reports count (its `dated`, `stepped` and `counted`
declarations), so no endpoint can forget it. The approved periods are read once per write
transaction, and only by a write that touches a dated record.

A service declares it in a few lines:

    PeriodReport, PeriodReportStep = period_models(Base)             # models.py
    PERIODS = PeriodReports(PREFIX, PeriodReport, PeriodReportStep,  # its periods.py
                            parts={"overview": overview_as_of})
    create_service_app(..., periods=PERIODS)                         # app.py
    create_period_tables(op)                                         # its migration
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, create_model
from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    or_,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from mtqg_shared.admin_units import GEO_OLD, Area, admin_units
from mtqg_shared.areas import resolve_filter_area
from mtqg_shared.auth import Principal, Reader
from mtqg_shared.db import ReadSession
from mtqg_shared.errors import Problem, conflict
from mtqg_shared.fields import AreaFilter, GeographyFilter
from mtqg_shared.kit.areas import InCommunes
from mtqg_shared.kit.http import CREATE, READ, STEP, answer, created, record
from mtqg_shared.kit.lock import LOCKS, Lock
from mtqg_shared.kit.status import StatusPath
from mtqg_shared.kit.vocabulary import terms
from mtqg_shared.messages import msg, word
from mtqg_shared.pagination import Listing, Page
from mtqg_shared.rules import RuleViolation
from mtqg_shared.schemas import ONE_CELL, AreaCode, Geography, RecordRead, StrictInput
from mtqg_shared.types import RecordMixin, UtcDateTime, new_id, today_vn, utcnow
from mtqg_shared.writes import Write, WriteContext, communes_text, jsonable

REPORTS = "period_reports"
STEPS = "period_report_steps"
# The day the 2025-07 units began: an old unit reports only periods that ended before it.
NEW_UNITS_FROM = dt.date(2025, 7, 1)

# -- periods ----------------------------------------------------------------------------

PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$"
_PERIOD = re.compile(PERIOD_PATTERN)


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period by its name: `2025-03`, `2025-Q1`, `2025-H1` or `2025`."""

    name: str
    start: dt.date
    end: dt.date

    @classmethod
    def parse(cls, name: str) -> Period:
        if not _PERIOD.match(name):
            raise RuleViolation("body.period", "invalid_format.period")
        year = int(name[:4])
        part = name[5:]
        if not part:
            first, last = 1, 12
        elif part.startswith("Q"):
            quarter = int(part[1])
            first, last = 3 * quarter - 2, 3 * quarter
        elif part.startswith("H"):
            half = int(part[1])
            first, last = 6 * half - 5, 6 * half
        else:
            first = last = int(part)
        start = dt.date(year, first, 1)
        following = dt.date(year + 1, 1, 1) if last == 12 else dt.date(year, last + 1, 1)
        return cls(name, start, following - dt.timedelta(days=1))

    def contains(self, on: dt.date) -> bool:
        return self.start <= on <= self.end


# -- the status path of a report ---------------------------------------------------------


class PeriodReportStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    REOPENED = "reopened"


S = PeriodReportStatus
PATH = StatusPath(
    "period report",
    {
        S.SUBMITTED: (S.APPROVED, S.RETURNED),
        S.APPROVED: (S.REOPENED,),
        S.RETURNED: (S.SUBMITTED,),
        S.REOPENED: (S.SUBMITTED,),
    },
    approval=(S.APPROVED, S.RETURNED),
    note_required=(S.RETURNED, S.REOPENED),
)


def _require_officer(principal: Principal) -> None:
    """A report is submitted (and submitted again) by an officer: a person whose roles allow
    writing (the write dependency asked), never a system client with a write scope."""
    if not principal.is_person:
        raise Problem(403, msg("forbidden.report_clients"))


PERIOD_TERMS = (
    terms(
        PeriodReportStatus,
        {
            S.SUBMITTED: ("Đã gửi, chờ duyệt", "Submitted"),
            S.APPROVED: ("Đã phê duyệt, khóa số liệu", "Approved"),
            S.RETURNED: ("Trả lại để chỉnh sửa", "Returned"),
            S.REOPENED: ("Mở lại để chỉnh sửa", "Reopened"),
        },
    ),
)


PERIODS_TAG = {
    "period reports": (
        "Reports of an ended period for an area, their approval, and the lock an approved one"
        " puts on the records dated inside it."
    )
}


# -- tables ------------------------------------------------------------------------------


def communes_of(record: Any) -> Sequence[str]:
    return tuple(record.communes.split())


def period_models(base: Any) -> tuple[Any, Any]:
    """The report and step models of a service, on its declarative `base`."""

    class PeriodReport(RecordMixin, base):  # type: ignore[misc]
        """One period's report of one area; unique per (period, area), so two racing
        submissions make one report."""

        __tablename__ = REPORTS

        period: Mapped[str] = mapped_column(String(7), nullable=False)
        period_start: Mapped[dt.date] = mapped_column(Date, nullable=False)
        period_end: Mapped[dt.date] = mapped_column(Date, nullable=False)
        area_code: Mapped[str] = mapped_column(String(5), nullable=False)
        geography: Mapped[str] = mapped_column(String(7), nullable=False)
        # The current communes of the area, " a b c ": what the report reads, and locks.
        communes: Mapped[str] = mapped_column(Text, nullable=False)
        status: Mapped[str] = mapped_column(String(16), nullable=False)
        submission: Mapped[int] = mapped_column(Integer, nullable=False)
        snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
        submitted_by: Mapped[str] = mapped_column(String(128), nullable=False)
        submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
        decided_by: Mapped[str | None] = mapped_column(String(128))
        decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
        note: Mapped[str | None] = mapped_column(Text)

        __table_args__ = (
            UniqueConstraint("period", "area_code", "geography"),
            Index(f"ix_{REPORTS}_created_at_id", "created_at", "id"),
            Index(f"ix_{REPORTS}_updated_at_id", "updated_at", "id"),
            Index(f"ix_{REPORTS}_status", "status"),
        )

    class PeriodReportStep(RecordMixin, base):  # type: ignore[misc]
        """One step of a report (its first submission is step 1), with the snapshot of each
        submission."""

        __tablename__ = STEPS

        report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(f"{REPORTS}.id"), nullable=False)
        seq: Mapped[int] = mapped_column(Integer, nullable=False)
        from_status: Mapped[str | None] = mapped_column(String(16))
        to_status: Mapped[str] = mapped_column(String(16), nullable=False)
        note: Mapped[str | None] = mapped_column(Text)
        submission: Mapped[int] = mapped_column(Integer, nullable=False)
        snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
        communes: Mapped[str] = mapped_column(Text, nullable=False)

        __table_args__ = (
            # Also what makes two racing steps of one report collide instead of both landing.
            UniqueConstraint("report_id", "seq"),
            Index(f"ix_{STEPS}_report_id_created_at_id", "report_id", "created_at", "id"),
        )

    return PeriodReport, PeriodReportStep


def create_period_tables(op: Any) -> None:
    """A migration's step: the two tables of `period_models`, with their indexes."""
    import sqlalchemy as sa

    from mtqg_shared.migrations import create_keyset_indexes, record_columns

    op.create_table(
        REPORTS,
        *record_columns(),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("area_code", sa.String(5), nullable=False),
        sa.Column("geography", sa.String(7), nullable=False),
        sa.Column("communes", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("submission", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("submitted_by", sa.String(128), nullable=False),
        sa.Column("submitted_at", UtcDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(128)),
        sa.Column("decided_at", UtcDateTime()),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name=f"pk_{REPORTS}"),
        sa.UniqueConstraint(
            "period", "area_code", "geography", name=f"uq_{REPORTS}_period_area_code_geography"
        ),
    )
    create_keyset_indexes(op, REPORTS)
    op.create_index(f"ix_{REPORTS}_status", REPORTS, ["status"])
    op.create_table(
        STEPS,
        *record_columns(),
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("submission", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON()),
        sa.Column("communes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{STEPS}"),
        sa.ForeignKeyConstraint(
            ["report_id"], [f"{REPORTS}.id"], name=f"fk_{STEPS}_report_id_{REPORTS}"
        ),
        sa.UniqueConstraint("report_id", "seq", name=f"uq_{STEPS}_report_id_seq"),
    )
    op.create_index(f"ix_{STEPS}_report_id_created_at_id", STEPS, ["report_id", "created_at", "id"])


def drop_period_tables(op: Any) -> None:
    op.drop_table(STEPS)
    op.drop_table(REPORTS)


# -- reports -----------------------------------------------------------------------------

# How a part of the snapshot is read: the service's own report of `area` as of `last_day`,
# as the submitter would read it.
Read = Callable[[AsyncSession, Principal, Area, dt.date], Awaitable[BaseModel | Mapping[str, Any]]]


@dataclass(frozen=True, slots=True)
class Part:
    """A part of a report's snapshot: what it answers (`model`, which documents it) and how
    it is read."""

    model: type[BaseModel]
    read: Read


def part(model: type[BaseModel], read: Read) -> Part:
    return Part(model, read)


class PeriodReportCreate(StrictInput):
    id: uuid.UUID | None = Field(default=None, description="A client-made id.")
    period: str = Field(
        description="`YYYY-MM`, `YYYY-Qn`, `YYYY-H1`, `YYYY-H2` or `YYYY`; ended before today.",
        examples=["2025-Q3"],
        max_length=7,
    )
    area_code: AreaCode
    geography: Geography | None = None


class PeriodReportTransitionCreate(StrictInput):
    id: uuid.UUID | None = Field(default=None, description="A client-made id.")
    to: PeriodReportStatus
    note: str | None = Field(default=None, max_length=2000)


class PeriodReportRead(RecordRead):
    period: str
    period_start: dt.date
    period_end: dt.date
    area_code: str
    geography: str
    status: PeriodReportStatus
    submission: int
    snapshot: dict[str, Any]
    submitted_by: str
    submitted_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    note: str | None


class PeriodReportStepRead(RecordRead):
    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True, from_attributes=True)

    report_id: uuid.UUID
    seq: int
    from_: PeriodReportStatus | None = Field(alias="from")
    to: PeriodReportStatus
    note: str | None
    submission: int
    snapshot: dict[str, Any] | None = Field(
        description="What this submission froze (null for a decision)."
    )
    actor: str


def _readable_sql(column: Any) -> Callable[[Principal], ColumnElement[bool]]:
    def readable(principal: Principal) -> ColumnElement[bool]:
        if principal.communes is None:
            return true()
        if not principal.communes:
            return false()
        return or_(*(column.contains(f" {c} ") for c in sorted(principal.communes)))

    return readable


def _within_sql(column: Any) -> Callable[[Area], ColumnElement[bool]]:
    def within(area: Area) -> ColumnElement[bool]:
        return or_(*(column.contains(f" {c} ") for c in sorted(area.current_communes)))

    return within


class PeriodReports:
    """A service's period reports: resources, router and lock."""

    def __init__(
        self,
        prefix: str,
        report_model: Any,
        step_model: Any,
        *,
        parts: Mapping[str, Part],
    ) -> None:
        from mtqg_shared.kit.resource import Resource

        self.prefix = prefix
        self.model = report_model
        self.step_model = step_model
        self.parts = dict(parts)
        self.reports: Resource[Any] = Resource(
            report_model,
            "period report",
            area=InCommunes(
                communes_of,
                _readable_sql(report_model.communes),
                _within_sql(report_model.communes),
            ),
            audited=(
                "period",
                "area_code",
                "geography",
                "status",
                "submission",
                "submitted_by",
                "submitted_at",
                "decided_by",
                "decided_at",
                "note",
            ),
            prefix=prefix,
            path="period-reports",
        )
        self.steps: Resource[Any] = Resource(
            step_model,
            "period report step",
            area=InCommunes(
                communes_of,
                _readable_sql(step_model.communes),
                _within_sql(step_model.communes),
            ),
            audited=("report_id", "seq", "from_status", "to_status", "note", "submission"),
            prefix=prefix,
            path="period-reports",
            item="period-reports/{report_id}/transitions/{id}",
        )
        # The answers as documented: the snapshot with each part's own shape (what is stored
        # and answered is that shape's JSON, kept as it was frozen).
        fields: dict[str, Any] = {name: (p.model, Field()) for name, p in self.parts.items()}
        frozen: Any = create_model(
            "PeriodReportSnapshot",
            __config__=ConfigDict(extra="forbid"),
            __doc__="What the report froze at its submission: each part as of the period's end.",
            **fields,
        )
        self.documented: type[PeriodReportRead] = create_model(
            "PeriodReportRead",
            __base__=PeriodReportRead,
            snapshot=(
                frozen,
                Field(description="Frozen at the latest submission.", json_schema_extra=ONE_CELL),
            ),
        )
        self.documented_step: type[PeriodReportStepRead] = create_model(
            "PeriodReportStepRead",
            __base__=PeriodReportStepRead,
            snapshot=(
                frozen | None,
                Field(
                    description="What this submission froze (null for a decision).",
                    json_schema_extra=ONE_CELL,
                ),
            ),
        )
        self.lock = Lock(report_model)
        LOCKS[prefix] = self.lock
        self.router = self._router()

    # -- rules ------------------------------------------------------------------------

    async def snapshot(
        self, session: AsyncSession, principal: Principal, area: Area, last_day: dt.date
    ) -> dict[str, Any]:
        taken: dict[str, Any] = {}
        for name, part in self.parts.items():
            value = await part.read(session, principal, area, last_day)
            taken[name] = (
                value.model_dump(mode="json")
                if isinstance(value, BaseModel)
                else jsonable(dict(value))
            )
        return taken

    def area_of(self, principal: Principal, body: PeriodReportCreate, period: Period) -> Area:
        area = resolve_filter_area(
            principal, body.area_code, body.geography, field="body.area_code"
        )
        if area.geography == GEO_OLD and period.end >= NEW_UNITS_FROM:
            raise RuleViolation("body.area_code", "invalid_choice.period_old_geography")
        if not principal.can_write_all(area.current_communes):
            raise Problem(403, msg("partly_outside", what=word("period report")))
        return area

    async def submit(self, ctx: WriteContext, body: PeriodReportCreate) -> Any:
        principal = ctx.principal
        _require_officer(principal)
        period = Period.parse(body.period)
        today = today_vn()
        if period.end >= today:
            raise RuleViolation(
                "body.period", "period_not_ended", period=period.name, end=period.end
            )
        area = self.area_of(principal, body, period)
        report_id = await self.reports.new_id(ctx.session, body.id)
        geography = area.geography
        m = self.model
        taken = await ctx.session.scalar(
            select(m.id).where(
                m.period == period.name, m.area_code == area.code, m.geography == geography
            )
        )
        if taken is not None:
            raise conflict(msg("period_report_exists", period=period.name, area=area.code))
        snapshot = await self.snapshot(ctx.session, principal, area, period.end)
        now = utcnow()
        communes = communes_text(area.current_communes)
        report = m(
            id=report_id,
            created_by=principal.key,
            period=period.name,
            period_start=period.start,
            period_end=period.end,
            area_code=area.code,
            geography=geography,
            communes=communes,
            status=S.SUBMITTED.value,
            submission=1,
            snapshot=snapshot,
            submitted_by=principal.key,
            submitted_at=now,
        )
        await self.reports.add(
            ctx, report, conflict=msg("period_report_exists", period=period.name, area=area.code)
        )
        await self._step(ctx, report, None, S.SUBMITTED, None, snapshot, seq=1)
        return report

    async def _step(
        self,
        ctx: WriteContext,
        report: Any,
        current: PeriodReportStatus | None,
        to: PeriodReportStatus,
        note: str | None,
        snapshot: dict[str, Any] | None,
        *,
        seq: int,
        id_: uuid.UUID | None = None,
    ) -> Any:
        step = self.step_model(
            id=id_ or new_id(),
            created_by=ctx.principal.key,
            report_id=report.id,
            seq=seq,
            from_status=current.value if current is not None else None,
            to_status=to.value,
            note=note,
            submission=report.submission,
            snapshot=snapshot,
            communes=report.communes,
        )
        return await self.steps.add(
            ctx, step, conflict=msg("period_report_moved_meanwhile"), action="transition"
        )

    async def move(
        self, ctx: WriteContext, report_id: uuid.UUID, body: PeriodReportTransitionCreate
    ) -> Any:
        if body.to == S.APPROVED:
            # The writes inside the period that are running now land before it is locked.
            await self.lock.approving(ctx)
        report = await self.reports.take(ctx, report_id)
        to = body.to
        current = PeriodReportStatus(report.status)
        PATH.require_approver(ctx.principal, to)
        if to == S.SUBMITTED:
            _require_officer(ctx.principal)
        if to == S.REOPENED and not ctx.principal.has_role("admin"):
            raise Problem(403, msg("forbidden.admin_role"))
        step_id = await self.steps.new_id(ctx.session, body.id)
        PATH.check(current, to, note=body.note)
        note = (body.note or "").strip() or None
        before = self.reports.snapshot(report)
        snapshot: dict[str, Any] | None = None
        now = utcnow()
        if to == S.SUBMITTED:
            period = Period.parse(report.period)
            area = admin_units().resolve_area(report.area_code, report.geography)
            snapshot = await self.snapshot(ctx.session, ctx.principal, area, period.end)
            report.snapshot = snapshot
            report.submission += 1
            report.submitted_by = ctx.principal.key
            report.submitted_at = now
            report.decided_by = None
            report.decided_at = None
        else:
            report.decided_by = ctx.principal.key
            report.decided_at = now
        report.status = to.value
        report.note = note
        m = self.step_model
        last = await ctx.session.scalar(
            select(m.seq).where(m.report_id == report.id).order_by(m.seq.desc()).limit(1)
        )
        self.reports.changed(ctx, report, before, action="transition")
        step = await self._step(
            ctx, report, current, to, note, snapshot, seq=int(last or 0) + 1, id_=step_id
        )
        return step

    # -- reads ------------------------------------------------------------------------

    def present(self, report: Any) -> PeriodReportRead:
        return PeriodReportRead.model_validate(report, from_attributes=True)

    def present_step(self, step: Any) -> PeriodReportStepRead:
        return PeriodReportStepRead.model_validate(
            {
                **{c.key: getattr(step, c.key) for c in step.__table__.c},
                "from": step.from_status,
                "to": step.to_status,
                "actor": step.created_by,
            }
        )

    async def step_of(
        self, session: AsyncSession, principal: Principal, report_id: uuid.UUID, step_id: uuid.UUID
    ) -> Any:
        await self.reports.read(session, principal, report_id)
        m = self.step_model
        step = (
            await session.scalars(select(m).where(m.report_id == report_id, m.id == step_id))
        ).first()
        if step is None:
            raise self.steps.not_found()
        return step

    # -- routes -----------------------------------------------------------------------

    def _router(self) -> APIRouter:
        reports, steps, model, step_model = self.reports, self.steps, self.model, self.step_model
        read_model, step_read = self.documented, self.documented_step
        router = APIRouter(prefix=reports.collection, tags=["period reports"])
        me = self

        @router.post(
            "",
            status_code=201,
            response_model=read_model,
            responses=CREATE,
            summary="Submit the report of an ended period for an area (officers)",
        )
        async def submit_period_report(body: PeriodReportCreate, ctx: Write) -> Response:
            report = await me.submit(ctx, body)
            return await created(ctx, me.present(report), location=reports.location(report.id))

        @router.get(
            "",
            response_model=Page[read_model],  # type: ignore[valid-type]
            responses=READ,
            summary="List period reports",
        )
        async def list_period_reports(
            principal: Reader,
            session: ReadSession,
            listing: Listing,
            period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None,
            area_code: AreaFilter = None,
            geography: GeographyFilter = None,
            status: Annotated[PeriodReportStatus | None, Query()] = None,
        ) -> Response:
            stmt = reports.visible(principal)
            if area_code is not None:
                area = resolve_filter_area(principal, area_code, geography)
                stmt = stmt.where(model.area_code == area.code, model.geography == area.geography)
            if period is not None:
                stmt = stmt.where(model.period == period)
            if status is not None:
                stmt = stmt.where(model.status == status.value)
            items, cursor = await reports.page(session, stmt, listing)
            return answer(
                Page[PeriodReportRead](items=[me.present(r) for r in items], next_cursor=cursor)
            )

        @router.get(
            "/{report_id}",
            response_model=read_model,
            responses=READ,
            summary="Read a period report",
        )
        async def read_period_report(
            report_id: uuid.UUID, principal: Reader, session: ReadSession
        ) -> Response:
            report = await reports.read(session, principal, report_id)
            return record(me.present(report), report.version)

        @router.post(
            "/{report_id}/transitions",
            status_code=201,
            response_model=step_read,
            responses=STEP,
            summary="Approve, return, reopen or submit again a period report",
        )
        async def move_period_report(
            report_id: uuid.UUID, body: PeriodReportTransitionCreate, ctx: Write
        ) -> Response:
            step = await me.move(ctx, report_id, body)
            location = f"{reports.location(report_id)}/transitions/{step.id}"
            return await created(ctx, me.present_step(step), location=location)

        @router.get(
            "/{report_id}/transitions",
            response_model=Page[step_read],  # type: ignore[valid-type]
            responses=READ,
            summary="List a period report's steps, each submission's snapshot with it",
        )
        async def list_period_report_steps(
            report_id: uuid.UUID, principal: Reader, session: ReadSession, listing: Listing
        ) -> Response:
            await reports.read(session, principal, report_id)
            stmt = steps.visible(principal).where(step_model.report_id == report_id)
            items, cursor = await steps.page(session, stmt, listing)
            return answer(
                Page[PeriodReportStepRead](
                    items=[me.present_step(s) for s in items], next_cursor=cursor
                )
            )

        @router.get(
            "/{report_id}/transitions/{transition_id}",
            response_model=step_read,
            responses=READ,
            summary="Read one step of a period report",
        )
        async def read_period_report_step(
            report_id: uuid.UUID, transition_id: uuid.UUID, principal: Reader, session: ReadSession
        ) -> Response:
            step = await me.step_of(session, principal, report_id, transition_id)
            return record(me.present_step(step), step.version)

        return router
