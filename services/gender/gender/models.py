"""Tables of the gender service (schema `gender` on PostgreSQL).

Every record lies in one commune (PlacedMixin). An activity's topics and languages, and the
languages a material has versions in, are also kept as one boolean column per enum value
(`topic_<value>`, `language_<value>`): the overview counts them with one SUM per column,
without unnesting lists. Money is integer VND.
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
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from gender.domain.vocabulary import Language, Topic
from mtqg_shared.access_log import access_log_table
from mtqg_shared.db import keyset_indexes, new_metadata
from mtqg_shared.kit.capital import CapitalPlanColumns, capital_plan_table_args
from mtqg_shared.kit.changes import change_table
from mtqg_shared.kit.importing import import_table
from mtqg_shared.kit.periods import period_models
from mtqg_shared.kit.places import GivenPlace
from mtqg_shared.kit.spending import SpendingColumns
from mtqg_shared.types import RecordMixin
from mtqg_shared.writes import common_tables


class Base(DeclarativeBase):
    metadata = new_metadata()


metadata = Base.metadata
audit_log, idempotency_keys = common_tables(metadata)
changes = change_table(metadata)
import_jobs = import_table(metadata)
# Every read of a protection case (gender/cases/).
access_log = access_log_table(metadata)

TOPIC_COLUMNS: dict[str, str] = {t.value: f"topic_{t.value}" for t in Topic}
LANGUAGE_COLUMNS: dict[str, str] = {lang.value: f"language_{lang.value}" for lang in Language}


def flags(columns: dict[str, str], chosen: list[str]) -> dict[str, bool]:
    """The boolean column of each enum value: whether it was chosen."""
    return {column: value in chosen for value, column in columns.items()}


def chosen(columns: dict[str, str], record: Any) -> list[str]:
    """The enum values whose column is set, in the enum's order."""
    return [value for value, column in columns.items() if getattr(record, column)]


class CommunityModel(RecordMixin, GivenPlace, Base):
    __tablename__ = "community_models"

    kind: Mapped[str] = mapped_column(String(24), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    village: Mapped[str | None] = mapped_column(String(200))
    established_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    members: Mapped[int] = mapped_column(Integer, nullable=False)
    members_female: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (
        *keyset_indexes("community_models"),
        CheckConstraint("members_female <= members", name="female_within_members"),
    )


class Activity(RecordMixin, GivenPlace, Base):
    __tablename__ = "activities"

    kind: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    held_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    model_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("community_models.id"), index=True
    )
    participants: Mapped[int] = mapped_column(Integer, nullable=False)
    participants_female: Mapped[int] = mapped_column(Integer, nullable=False)
    online_reach: Mapped[int | None] = mapped_column(Integer)
    topic_gender_equality: Mapped[bool] = mapped_column(Boolean, nullable=False)
    topic_domestic_violence: Mapped[bool] = mapped_column(Boolean, nullable=False)
    topic_child_marriage: Mapped[bool] = mapped_column(Boolean, nullable=False)
    topic_consanguineous_marriage: Mapped[bool] = mapped_column(Boolean, nullable=False)
    topic_human_trafficking: Mapped[bool] = mapped_column(Boolean, nullable=False)
    topic_child_protection: Mapped[bool] = mapped_column(Boolean, nullable=False)
    topic_women_economy: Mapped[bool] = mapped_column(Boolean, nullable=False)
    language_vi: Mapped[bool] = mapped_column(Boolean, nullable=False)
    language_dao: Mapped[bool] = mapped_column(Boolean, nullable=False)
    language_hmn: Mapped[bool] = mapped_column(Boolean, nullable=False)

    @property
    def topics(self) -> list[str]:
        return chosen(TOPIC_COLUMNS, self)

    @property
    def languages(self) -> list[str]:
        return chosen(LANGUAGE_COLUMNS, self)

    __table_args__ = (
        *keyset_indexes("activities"),
        CheckConstraint("participants_female <= participants", name="female_within_participants"),
    )


class Material(RecordMixin, GivenPlace, Base):
    __tablename__ = "materials"

    topic: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    format: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    published_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    # [{"language", "title", "text", "url"}], one per language, in the order given.
    versions: Mapped[list[Any]] = mapped_column(JSON, nullable=False)
    language_vi: Mapped[bool] = mapped_column(Boolean, nullable=False)
    language_dao: Mapped[bool] = mapped_column(Boolean, nullable=False)
    language_hmn: Mapped[bool] = mapped_column(Boolean, nullable=False)

    __table_args__ = keyset_indexes("materials")


class SpendingEntry(SpendingColumns, Base):
    __tablename__ = "spending"

    activity_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("activities.id"), index=True
    )

    __table_args__ = (
        *keyset_indexes("spending"),
        # An entry is reversed at most once, also under concurrent requests.
        UniqueConstraint("reverses_id", name="uq_spending_reverses_id"),
    )


class Case(RecordMixin, GivenPlace, Base):
    """A protection case: what happened to whom (sex, age, ethnicity: never a name or an
    identity number), where, and how it was handled. Only `protection` holders read it."""

    __tablename__ = "cases"

    kind: Mapped[str] = mapped_column(String(24), nullable=False, index=True)
    reported_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    victim_sex: Mapped[str] = mapped_column(String(8), nullable=False)
    victim_age: Mapped[int] = mapped_column(Integer, nullable=False)
    victim_ethnicity: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    # Set by the step to closed, and only by it.
    outcome: Mapped[str | None] = mapped_column(String(16))
    last_step_on: Mapped[dt.date] = mapped_column(Date, nullable=False)

    __table_args__ = (
        *keyset_indexes("cases"),
        CheckConstraint("victim_age >= 0 AND victim_age <= 120", name="victim_age_range"),
    )


class CaseStep(RecordMixin, Base):
    """One status step of a case: who moved it, from what, to what, on which date."""

    __tablename__ = "case_transitions"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False)
    # The step's number in the case's path, from 1 (unique: two racing steps cannot both be
    # the next one).
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    from_status: Mapped[str] = mapped_column(String(16), nullable=False)
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    on_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    outcome: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    # Set when the step is made or read (its area is the case's); never lazily loaded.
    case: Mapped[Case] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("case_id", "seq"),
        Index(None, "case_id", "created_at", "id"),
    )


class CapitalPlan(CapitalPlanColumns, Base):
    __tablename__ = "capital_plans"
    __table_args__ = capital_plan_table_args()


# Reports of ended periods and their steps (kit.periods).
PeriodReport, PeriodReportStep = period_models(Base)
