"""Tables of the digital service (schema `digital` on PostgreSQL).

Every record lies in one commune (GivenPlace; a profile names its commune as given, as labour's
do). An asset's status is kept as periods (`asset_statuses`: a status from a day until the day
the next one began, or open): the overview reads the status in force at a day with one join,
`from_on <= day < until_on`. Money is integer VND.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from mtqg_shared.db import keyset_indexes, new_metadata
from mtqg_shared.kit.capital import CapitalPlanColumns, capital_plan_table_args
from mtqg_shared.kit.changes import change_table
from mtqg_shared.kit.importing import import_table
from mtqg_shared.kit.periods import period_models
from mtqg_shared.kit.places import GivenPlace
from mtqg_shared.kit.profiles import ProfileColumns
from mtqg_shared.kit.spending import SpendingColumns
from mtqg_shared.types import RecordMixin
from mtqg_shared.writes import common_tables


class Base(DeclarativeBase):
    metadata = new_metadata()


metadata = Base.metadata


audit_log, idempotency_keys = common_tables(metadata)
changes = change_table(metadata)
import_jobs = import_table(metadata)


class Asset(RecordMixin, GivenPlace, Base):
    """Digital infrastructure of a commune: `count` alike items (computers, cameras, speaker
    clusters, wifi points) installed on one day; its status now (and, in asset_statuses, since
    when)."""

    __tablename__ = "assets"

    kind: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    village: Mapped[str | None] = mapped_column(String(200))
    installed_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False)
    connected_to_ioc: Mapped[bool] = mapped_column(Boolean, nullable=False)
    status: Mapped[str] = mapped_column(String(8), nullable=False, index=True)
    # The first day of the current status.
    status_on: Mapped[dt.date] = mapped_column(Date, nullable=False)

    __table_args__ = (
        *keyset_indexes("assets"),
        CheckConstraint("count >= 1", name="count_positive"),
        CheckConstraint("connected_to_ioc = false OR kind = 'camera'", name="ioc_cameras_only"),
    )


class AssetPeriod(Base):
    """One period of an asset's status: from `from_on` until the day before `until_on` (open
    while NULL). Periods of an asset follow each other; `seq` numbers them from 1."""

    __tablename__ = "asset_statuses"

    asset_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(8), nullable=False)
    from_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    until_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_asset_statuses_status_from_on", "status", "from_on"),)


class Team(RecordMixin, GivenPlace, Base):
    """A community digital technology team (tổ công nghệ số cộng đồng)."""

    __tablename__ = "teams"

    village: Mapped[str | None] = mapped_column(String(200))
    established_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    members: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (*keyset_indexes("teams"), CheckConstraint("members >= 1", name="members"))


class CommuneProfile(ProfileColumns, Base):
    """A commune's digital government and society figures for one year."""

    __tablename__ = "commune_profiles"

    officials: Mapped[int] = mapped_column(Integer, nullable=False)
    officials_it_certified: Mapped[int] = mapped_column(Integer, nullable=False)
    online_dossier_rate: Mapped[float | None] = mapped_column(Float)
    households: Mapped[int | None] = mapped_column(Integer)
    households_fibre: Mapped[int | None] = mapped_column(Integer)
    adults_with_smartphone: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("geography", "unit_code", "year"),
        Index(None, "created_at", "id"),
        Index(None, "updated_at", "id"),
        CheckConstraint("officials_it_certified <= officials", name="certified_within_officials"),
    )


class SmartVillage(RecordMixin, GivenPlace, Base):
    """A village building the smart-village model, and its recognition."""

    __tablename__ = "smart_villages"

    village: Mapped[str] = mapped_column(String(200), nullable=False)
    started_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    # Set by the step to recognised, and only by it.
    recognised_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    decision_number: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = keyset_indexes("smart_villages")


class SmartVillageStep(RecordMixin, Base):
    """One status step of a smart village: who moved it, from what, to what, on which day."""

    __tablename__ = "smart_village_transitions"

    village_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("smart_villages.id"), nullable=False
    )
    # The step's number in the village's path, from 1 (unique: two racing steps cannot both
    # be the next one).
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    from_status: Mapped[str] = mapped_column(String(16), nullable=False)
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    on_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    decision_number: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    # Set when the step is made (its area is the village's); never lazily loaded.
    village: Mapped[SmartVillage] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("village_id", "seq"),
        Index(None, "village_id", "created_at", "id"),
    )


class Seller(RecordMixin, GivenPlace, Base):
    """A producer selling online: since when, on which platforms, how many OCOP products."""

    __tablename__ = "sellers"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    since: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    platforms: Mapped[list[Any]] = mapped_column(JSON, nullable=False)
    ocop_products_online: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = keyset_indexes("sellers")


class SpendingEntry(SpendingColumns, Base):
    __tablename__ = "spending"

    asset_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("assets.id"), index=True)

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
