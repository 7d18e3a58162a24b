"""Tables of the labour service (schema `labour` on PostgreSQL).

Placements, their steps and their remittances lie where their worker lives: they carry no
commune of their own, so a worker who moves takes the whole record with them.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from labour.domain.status import ACTIVE_SQL
from mtqg_shared.db import keyset_indexes, new_metadata
from mtqg_shared.kit.capital import CapitalPlanColumns, capital_plan_table_args
from mtqg_shared.kit.changes import change_table
from mtqg_shared.kit.importing import import_table
from mtqg_shared.kit.periods import period_models
from mtqg_shared.kit.profiles import ProfileColumns
from mtqg_shared.kit.spending import SpendingColumns
from mtqg_shared.types import Money, PlacedMixin, RecordMixin
from mtqg_shared.writes import common_tables


class Base(DeclarativeBase):
    metadata = new_metadata()


metadata = Base.metadata
audit_log, idempotency_keys = common_tables(metadata)
changes = change_table(metadata)
import_jobs = import_table(metadata)


class Worker(RecordMixin, PlacedMixin, Base):
    __tablename__ = "workers"

    national_id: Mapped[str] = mapped_column(String(12), nullable=False, unique=True)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    # full_name composed and case folded, so that search is case-insensitive on both
    # databases (SQLite's LIKE folds ASCII only).
    name_folded: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    date_of_birth: Mapped[dt.date] = mapped_column(Date, nullable=False)
    gender: Mapped[str] = mapped_column(String(8), nullable=False)
    ethnicity: Mapped[str | None] = mapped_column(String(64))
    village: Mapped[str | None] = mapped_column(String(200))
    household_code: Mapped[str | None] = mapped_column(String(32), index=True)
    household_poverty: Mapped[str] = mapped_column(String(16), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (
        Index(None, "created_at", "id"),
        Index(None, "updated_at", "id"),
    )


class Partner(RecordMixin, Base):
    __tablename__ = "partners"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    licence_number: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(400))

    __table_args__ = (
        Index(None, "created_at", "id"),
        Index(None, "updated_at", "id"),
    )


class OutreachEvent(RecordMixin, PlacedMixin, Base):
    __tablename__ = "outreach_events"

    held_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    partner_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("partners.id"), index=True
    )
    topic: Mapped[str] = mapped_column(String(200), nullable=False)
    village: Mapped[str | None] = mapped_column(String(200))
    participants: Mapped[int] = mapped_column(Integer, nullable=False)
    registered_interest: Mapped[int] = mapped_column(Integer, nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("registered_interest <= participants", name="interest_within"),
        Index(None, "created_at", "id"),
        Index(None, "updated_at", "id"),
    )


class Placement(RecordMixin, Base):
    __tablename__ = "placements"

    worker_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("workers.id"), nullable=False)
    destination_country: Mapped[str] = mapped_column(String(2), nullable=False, index=True)
    scheme: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    partner_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("partners.id"), index=True
    )
    employer: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(200))
    contract_months: Mapped[int | None] = mapped_column(Integer)
    monthly_salary_vnd: Mapped[int | None] = mapped_column(Money)
    registered_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    # The date of the latest step, which the next one may not precede.
    last_step_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    departed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    returned_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # A placement lies where its worker lives: read with it, in the same query.
    worker: Mapped[Worker] = relationship(lazy="joined", innerjoin=True)

    __table_args__ = (
        # One active placement per worker, enforced by the database against races too.
        Index(
            "uq_placements_active_worker",
            "worker_id",
            unique=True,
            sqlite_where=text(ACTIVE_SQL),
            postgresql_where=text(ACTIVE_SQL),
        ),
        Index(None, "worker_id", "created_at"),
        Index(None, "created_at", "id"),
        Index(None, "updated_at", "id"),
    )


class PlacementStep(RecordMixin, Base):
    """One status step: who moved the placement, from what, to what, on which date."""

    __tablename__ = "placement_steps"

    placement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("placements.id"), nullable=False
    )
    # The step's number in the placement's path, from 1 (unique: two racing steps cannot
    # both be the next one).
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    # None for the registration, the first step.
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    on_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    # Set when the step is made (its audit row names the worker's commune); never loaded.
    placement: Mapped[Placement] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("placement_id", "seq"),
        Index(None, "placement_id", "created_at", "id"),
    )


class Remittance(RecordMixin, Base):
    """Money sent home in one month. Never edited or deleted: a correction is a new entry
    with the negative amount that names the entry it reverses."""

    __tablename__ = "remittances"

    placement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("placements.id"), nullable=False
    )
    month: Mapped[str] = mapped_column(String(7), nullable=False, index=True)
    # The placement's country, copied: it cannot change once the worker has departed, and
    # money is only recorded after that, so province-wide sums by country need no join.
    destination_country: Mapped[str] = mapped_column(String(2), nullable=False)
    amount_vnd: Mapped[int] = mapped_column(Money, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    # The entry this one reverses (unique: an entry is reversed at most once).
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("remittances.id"), unique=True
    )
    # Set when the entry is made (its audit row names the worker's commune); never loaded.
    placement: Mapped[Placement] = relationship(lazy="raise")

    __table_args__ = (
        Index(None, "placement_id", "month"),
        Index(None, "placement_id", "created_at", "id"),
    )


class CommuneProfile(ProfileColumns, Base):
    """A commune's labour figures for one year, for the unit as it was that year."""

    __tablename__ = "commune_profiles"

    population: Mapped[int] = mapped_column(Integer, nullable=False)
    households: Mapped[int] = mapped_column(Integer, nullable=False)
    working_age: Mapped[int] = mapped_column(Integer, nullable=False)
    employed_elsewhere: Mapped[int] = mapped_column(Integer, nullable=False)
    poor_households: Mapped[int] = mapped_column(Integer, nullable=False)
    near_poor_households: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (
        UniqueConstraint("geography", "unit_code", "year"),
        Index(None, "created_at", "id"),
        Index(None, "updated_at", "id"),
    )


class SpendingEntry(SpendingColumns, Base):
    """Project 4's money spent on workers (training, documents, travel): programme money,
    unlike remittances, which are the workers' own."""

    __tablename__ = "spending"

    placement_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("placements.id"), index=True
    )

    __table_args__ = (
        *keyset_indexes("spending"),
        # An entry is reversed at most once, also under concurrent requests.
        UniqueConstraint("reverses_id", name="uq_spending_reverses_id"),
    )


class CapitalPlan(CapitalPlanColumns, Base):
    __tablename__ = "capital_plans"
    __table_args__ = capital_plan_table_args()


# Reports of ended periods and their steps (kit.periods).
PeriodReport, PeriodReportStep = period_models(Base)
