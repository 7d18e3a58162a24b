"""Tables of the housing service (schema `housing` on PostgreSQL).

`version` is bumped explicitly by every change (no SQLAlchemy version counter), so that the
number a client sees in ETag is the number of edits it has seen. Dates of steps and entries
are stored as `on_date` ("on" is an SQL keyword).
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, synonym

from housing.domain.status import CLOSED
from housing.domain.vocabulary import (
    BeneficiaryGroup,
    CaseStatus,
    FundingSource,
    ObstacleStatus,
    Severity,
    SupportType,
)
from mtqg_shared.db import new_metadata
from mtqg_shared.kit.capital import CapitalPlanColumns, capital_plan_table_args
from mtqg_shared.kit.changes import change_table
from mtqg_shared.kit.importing import import_table
from mtqg_shared.kit.money import capital_check, capital_column, project_column
from mtqg_shared.kit.periods import period_models
from mtqg_shared.types import Money, PlacedMixin, RecordMixin
from mtqg_shared.writes import common_tables


class Base(DeclarativeBase):
    metadata = new_metadata()


metadata = Base.metadata
audit_log, idempotency_keys = common_tables(metadata)
changes = change_table(metadata)
import_jobs = import_table(metadata)


def one_of(column: str, values: type[StrEnum]) -> str:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return f"{column} IN ({allowed})"


# Open means neither handed over nor cancelled (domain.status.CLOSED): at most one such case
# per household.
OPEN_CASE = text(
    "status NOT IN (" + ", ".join(f"'{s.value}'" for s in sorted(CLOSED, reverse=True)) + ")"
)


class Case(RecordMixin, PlacedMixin, Base):
    __tablename__ = "cases"

    household_code: Mapped[str] = mapped_column(String(32), nullable=False)
    head_of_household: Mapped[str] = mapped_column(String(200), nullable=False)
    village: Mapped[str | None] = mapped_column(String(200))
    # The geography the commune was given in (decides which legacy codes are kept).
    geography: Mapped[str] = mapped_column(String(7), nullable=False)
    beneficiary_group: Mapped[str] = mapped_column(String(16), nullable=False)
    support_type: Mapped[str] = mapped_column(String(16), nullable=False)
    registered_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    # The date of the latest step: the next may not be earlier.
    status_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    handed_over_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint(one_of("status", CaseStatus), name="status"),
        CheckConstraint(one_of("beneficiary_group", BeneficiaryGroup), name="beneficiary_group"),
        CheckConstraint(one_of("support_type", SupportType), name="support_type"),
        Index("ix_cases_created_at_id", "created_at", "id"),
        Index("ix_cases_updated_at_id", "updated_at", "id"),
        Index("ix_cases_household_code", "household_code"),
        Index("ix_cases_status", "status"),
        Index("ix_cases_beneficiary_group", "beneficiary_group"),
        Index("ix_cases_support_type", "support_type"),
        Index("ix_cases_registered_on", "registered_on"),
        Index(
            "uq_cases_open_household",
            "household_code",
            unique=True,
            postgresql_where=OPEN_CASE,
            sqlite_where=OPEN_CASE,
        ),
    )


class CaseTransition(RecordMixin, Base):
    """One step of a case's status path; `seq` numbers the steps of a case from 1.

    `superseded_on` is the date of the next step (null while this is the case's status), so
    the status of every case on a date D is the step with on_date <= D < superseded_on: one
    range scan instead of a "latest step per case" lookup for each case.
    """

    __tablename__ = "case_transitions"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    on_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    superseded_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        # Also what makes two racing steps of one case collide instead of both landing.
        UniqueConstraint("case_id", "seq"),
        Index("ix_case_transitions_case_id_created_at_id", "case_id", "created_at", "id"),
    )


class FundingEntry(RecordMixin, PlacedMixin, Base):
    """Money for a case from one source; negative only when it reverses another entry.

    An entry carries its case's place (a case never moves), so the report sums money by
    area without joining the cases; and it is never dated before its case's registration, so
    entries up to a date belong to cases registered by then.
    """

    __tablename__ = "funding_entries"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    amount_vnd: Mapped[int] = mapped_column(Money, nullable=False)
    on_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # The programme's project and capital type the money counts under (kit.money).
    project_code: Mapped[str] = project_column("housing")
    capital_type: Mapped[str] = capital_column()
    note: Mapped[str | None] = mapped_column(Text)
    # Unique: an entry is reversed at most once, even by two racing requests.
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("funding_entries.id"), unique=True
    )
    # The contract's names of the two, for the audit trail and the answer.
    on = synonym("on_date")
    reverses = synonym("reverses_id")

    __table_args__ = (
        CheckConstraint(one_of("source", FundingSource), name="source"),
        capital_check(),
        Index("ix_funding_entries_case_id_on_date", "case_id", "on_date"),
        Index("ix_funding_entries_case_id_created_at_id", "case_id", "created_at", "id"),
    )


class Norm(RecordMixin, Base):
    """A support norm valid from `valid_from` until the next one of its group and type."""

    __tablename__ = "norms"

    beneficiary_group: Mapped[str] = mapped_column(String(16), nullable=False)
    support_type: Mapped[str] = mapped_column(String(16), nullable=False)
    valid_from: Mapped[dt.date] = mapped_column(Date, nullable=False)
    amount_vnd: Mapped[int] = mapped_column(Money, nullable=False)
    basis: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("beneficiary_group", "support_type", "valid_from"),
        Index("ix_norms_created_at_id", "created_at", "id"),
        Index("ix_norms_updated_at_id", "updated_at", "id"),
    )


class Plan(RecordMixin, Base):
    __tablename__ = "plans"

    area_code: Mapped[str] = mapped_column(String(5), nullable=False)
    geography: Mapped[str] = mapped_column(String(7), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    target_new_build: Mapped[int] = mapped_column(Integer, nullable=False)
    target_repair: Mapped[int] = mapped_column(Integer, nullable=False)
    deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # The current communes of the plan's area, loaded with it: what its area rule reads.
    places: Mapped[list[PlanCommune]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        Index("ix_plans_created_at_id", "created_at", "id"),
        Index("ix_plans_updated_at_id", "updated_at", "id"),
    )


class PlanMilestone(Base):
    __tablename__ = "plan_milestones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), nullable=False
    )
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    completed_target: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (UniqueConstraint("plan_id", "due_on"),)


class PlanCommune(Base):
    """The current communes a plan's area covers: what makes it readable and writable."""

    __tablename__ = "plan_communes"

    plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    commune_code: Mapped[str] = mapped_column(String(5), primary_key=True)

    __table_args__ = (Index("ix_plan_communes_commune_code_plan_id", "commune_code", "plan_id"),)


class Obstacle(RecordMixin, Base):
    __tablename__ = "obstacles"

    area_code: Mapped[str] = mapped_column(String(5), nullable=False)
    geography: Mapped[str] = mapped_column(String(7), nullable=False)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    severity: Mapped[str] = mapped_column(String(8), nullable=False)
    reported_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(8), nullable=False)
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    places: Mapped[list[ObstacleCommune]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint(one_of("severity", Severity), name="severity"),
        CheckConstraint(one_of("status", ObstacleStatus), name="status"),
        Index("ix_obstacles_created_at_id", "created_at", "id"),
        Index("ix_obstacles_updated_at_id", "updated_at", "id"),
        Index("ix_obstacles_status", "status"),
        Index("ix_obstacles_severity", "severity"),
    )


class ObstacleCommune(Base):
    __tablename__ = "obstacle_communes"

    obstacle_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("obstacles.id", ondelete="CASCADE"), primary_key=True
    )
    commune_code: Mapped[str] = mapped_column(String(5), primary_key=True)

    __table_args__ = (
        Index("ix_obstacle_communes_commune_code_obstacle_id", "commune_code", "obstacle_id"),
    )


class CapitalPlan(CapitalPlanColumns, Base):
    __tablename__ = "capital_plans"
    __table_args__ = capital_plan_table_args()


# Reports of ended periods and their steps (kit.periods).
PeriodReport, PeriodReportStep = period_models(Base)
