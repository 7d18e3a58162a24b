"""Tables of the production service (schema `production` on PostgreSQL).

Zones and projects may lie in several communes: each has a `*_places` table with one row per
commune it was given for (current commune, and the 2025-01 commune when given in that
geography), which the area rules filter on with EXISTS. The same communes are kept on the
record itself as a list, so that reading a record needs no second query.
Land is kept in whole square metres (exact sums); money in integer VND.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from mtqg_shared.admin_units import GEO_NEW, GEO_OLD
from mtqg_shared.db import new_metadata
from mtqg_shared.kit.capital import CapitalPlanColumns, capital_plan_table_args
from mtqg_shared.kit.changes import change_table
from mtqg_shared.kit.importing import import_table
from mtqg_shared.kit.money import capital_check, capital_column, project_column
from mtqg_shared.kit.periods import period_models
from mtqg_shared.types import Money, PlacedMixin, RecordMixin
from mtqg_shared.writes import common_tables
from production.domain.land import m2_to_ha

# Square metres: BIGINT on PostgreSQL, SQLite's 64-bit INTEGER.
SquareMetres = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = new_metadata()


metadata = Base.metadata
audit_log, idempotency_keys = common_tables(metadata)
changes = change_table(metadata)
import_jobs = import_table(metadata)


def _keyset_indexes(table: str) -> tuple[Index, Index]:
    """The two list orders every collection offers: newest created first, and sync by update."""
    return (
        Index(f"ix_{table}_created_at_id", "created_at", "id"),
        Index(f"ix_{table}_updated_at_id", "updated_at", "id"),
    )


def zone_geography(legacy_district_code: str | None) -> str:
    """A zone given for a legacy district (or a commune in it) was given in 2025-01."""
    return GEO_OLD if legacy_district_code else GEO_NEW


class Zone(RecordMixin, Base):
    __tablename__ = "zones"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    crop: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    # As given: a commune (5 digits) or a legacy district (3 digits).
    area_code: Mapped[str] = mapped_column(String(5), nullable=False)
    legacy_commune_code: Mapped[str | None] = mapped_column(String(5))
    legacy_district_code: Mapped[str | None] = mapped_column(String(3))
    commune_codes: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    area_m2: Mapped[int] = mapped_column(SquareMetres, nullable=False)
    certified_m2: Mapped[int | None] = mapped_column(SquareMetres)
    linked_m2: Mapped[int | None] = mapped_column(SquareMetres)
    certification: Mapped[str | None] = mapped_column(String(16), index=True)

    # The contract's words for what is kept otherwise (read models and audit rows read them).
    @property
    def geography(self) -> str:
        return zone_geography(self.legacy_district_code)

    @property
    def area_ha(self) -> float:
        return m2_to_ha(self.area_m2) or 0.0

    @property
    def certified_area_ha(self) -> float | None:
        return m2_to_ha(self.certified_m2)

    @property
    def linked_area_ha(self) -> float | None:
        return m2_to_ha(self.linked_m2)

    __table_args__ = (
        *_keyset_indexes("zones"),
        CheckConstraint("certified_m2 <= area_m2", name="certified_within_area"),
        CheckConstraint("linked_m2 <= area_m2", name="linked_within_area"),
    )


class ZonePlace(Base):
    __tablename__ = "zone_places"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    zone_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("zones.id", ondelete="CASCADE"), nullable=False
    )
    commune_code: Mapped[str] = mapped_column(String(5), nullable=False)
    legacy_commune_code: Mapped[str | None] = mapped_column(String(5))

    __table_args__ = (
        Index("ix_zone_places_zone_id_commune_code", "zone_id", "commune_code"),
        Index("ix_zone_places_commune_code_zone_id", "commune_code", "zone_id"),
        Index("ix_zone_places_legacy_commune_code_zone_id", "legacy_commune_code", "zone_id"),
    )


def project_geography(legacy_commune_codes: list[str] | None) -> str:
    """A project given with 2025-01 communes keeps them: it was given in 2025-01."""
    return GEO_OLD if legacy_commune_codes is not None else GEO_NEW


class Project(RecordMixin, Base):
    __tablename__ = "projects"

    code: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    lead_entity: Mapped[str] = mapped_column(String(200), nullable=False)
    lead_entity_type: Mapped[str] = mapped_column(String(24), nullable=False, index=True)
    product: Mapped[str] = mapped_column(String(200), nullable=False)
    crop: Mapped[str | None] = mapped_column(String(16), index=True)
    commune_codes: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    legacy_commune_codes: Mapped[list[str] | None] = mapped_column(JSON)
    legacy_district_codes: Mapped[list[str] | None] = mapped_column(JSON)
    start_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    total_cost_vnd: Mapped[int] = mapped_column(Money, nullable=False)
    state_support_vnd: Mapped[int] = mapped_column(Money, nullable=False)
    # Kept with the project so the cap is checked by one conditional UPDATE, race-free.
    disbursed_vnd: Mapped[int] = mapped_column(Money, nullable=False, default=0)
    households: Mapped[int] = mapped_column(Integer, nullable=False)
    poor_households: Mapped[int] = mapped_column(Integer, nullable=False)
    near_poor_households: Mapped[int] = mapped_column(Integer, nullable=False)
    proposed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    status_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    suspended_from: Mapped[str | None] = mapped_column(String(16))
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)

    @property
    def geography(self) -> str:
        return project_geography(self.legacy_commune_codes)

    __table_args__ = (
        *_keyset_indexes("projects"),
        UniqueConstraint("code", name="uq_projects_code"),
        CheckConstraint("state_support_vnd <= total_cost_vnd", name="support_within_cost"),
        CheckConstraint("disbursed_vnd <= state_support_vnd", name="disbursed_within_support"),
    )


class ProjectPlace(Base):
    __tablename__ = "project_places"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False
    )
    commune_code: Mapped[str] = mapped_column(String(5), nullable=False)
    legacy_commune_code: Mapped[str | None] = mapped_column(String(5))

    __table_args__ = (
        Index("ix_project_places_project_id_commune_code", "project_id", "commune_code"),
        Index("ix_project_places_commune_code_project_id", "commune_code", "project_id"),
        Index(
            "ix_project_places_legacy_commune_code_project_id",
            "legacy_commune_code",
            "project_id",
        ),
    )


class ProjectTransition(RecordMixin, Base):
    """One step of a project's status path; `seq` numbers the steps of a project from 1."""

    __tablename__ = "project_transitions"

    project_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False
    )
    # The project the record lies under (its communes are the record's): set on creation,
    # never loaded behind the caller's back.
    project: Mapped[Project] = relationship(lazy="raise")
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    # "on" is an SQL keyword; the column is on_date.
    on: Mapped[dt.date] = mapped_column("on_date", Date, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)

    # The contract's words: a step goes "from" one status "to" another, by its actor.
    @property
    def from_(self) -> str | None:
        return self.from_status

    @property
    def to(self) -> str:
        return self.to_status

    @property
    def actor(self) -> str:
        return self.created_by

    __table_args__ = (
        # Also what makes two racing steps of one project collide instead of both landing.
        UniqueConstraint("project_id", "seq", name="uq_project_transitions_project_id_seq"),
        Index("ix_project_transitions_project_id_created_at_id", "project_id", "created_at", "id"),
        Index("ix_project_transitions_project_id_updated_at_id", "project_id", "updated_at", "id"),
    )


class Disbursement(RecordMixin, Base):
    __tablename__ = "disbursements"

    project_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False
    )
    # The project the record lies under (its communes are the record's): set on creation,
    # never loaded behind the caller's back.
    project: Mapped[Project] = relationship(lazy="raise")
    on: Mapped[dt.date] = mapped_column("on_date", Date, nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    # Negative for a reversal.
    amount_vnd: Mapped[int] = mapped_column(Money, nullable=False)
    # The programme's project and capital type the money counts under (kit.money).
    project_code: Mapped[str] = project_column("production")
    capital_type: Mapped[str] = capital_column()
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("disbursements.id", ondelete="CASCADE")
    )
    note: Mapped[str | None] = mapped_column(Text)

    @property
    def reverses(self) -> uuid.UUID | None:
        """The contract's name of `reverses_id`."""
        return self.reverses_id

    __table_args__ = (
        Index("ix_disbursements_project_id_created_at_id", "project_id", "created_at", "id"),
        Index("ix_disbursements_project_id_updated_at_id", "project_id", "updated_at", "id"),
        # The yearly sums of the overview read (project, date, amount) from the index alone.
        Index(
            "ix_disbursements_project_id_on_date_amount_vnd", "project_id", "on_date", "amount_vnd"
        ),
        # An entry is reversed at most once, also under concurrent requests.
        UniqueConstraint("reverses_id", name="uq_disbursements_reverses_id"),
        capital_check(),
    )


class Participant(RecordMixin, Base):
    __tablename__ = "participants"

    project_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False
    )
    # The project the record lies under (its communes are the record's): set on creation,
    # never loaded behind the caller's back.
    project: Mapped[Project] = relationship(lazy="raise")
    household_code: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    household_poverty: Mapped[str] = mapped_column(String(16), nullable=False)

    __table_args__ = (
        UniqueConstraint(
            "project_id", "household_code", name="uq_participants_project_id_household_code"
        ),
        Index("ix_participants_project_id_created_at_id", "project_id", "created_at", "id"),
        Index("ix_participants_project_id_updated_at_id", "project_id", "updated_at", "id"),
    )


def given_geography(legacy_commune_code: str | None) -> str:
    """The geography a one-commune record's commune was given in."""
    return GEO_OLD if legacy_commune_code is not None else GEO_NEW


class _GivenPlace(PlacedMixin):
    @property
    def geography(self) -> str:
        """The geography the record's commune was given in."""
        return given_geography(self.legacy_commune_code)


class Facility(RecordMixin, _GivenPlace, Base):
    __tablename__ = "facilities"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    products: Mapped[list[Any]] = mapped_column(JSON, nullable=False)
    jobs: Mapped[int] = mapped_column(Integer, nullable=False)
    established_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = _keyset_indexes("facilities")


class OcopProduct(RecordMixin, _GivenPlace, Base):
    __tablename__ = "ocop_products"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    producer: Mapped[str] = mapped_column(String(200), nullable=False)
    category: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    stars: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    score: Mapped[int | None] = mapped_column(Integer)
    certified_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    expires_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)

    __table_args__ = (
        *_keyset_indexes("ocop_products"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_1_to_5"),
    )


class CapitalPlan(CapitalPlanColumns, Base):
    __tablename__ = "capital_plans"
    __table_args__ = capital_plan_table_args()


# Reports of ended periods and their steps (kit.periods).
PeriodReport, PeriodReportStep = period_models(Base)
