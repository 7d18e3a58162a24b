"""Cases, their steps and funding, support norms (with the shipped defaults), plans and
obstacles.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import datetime as dt
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mtqg_shared.migrations import record_columns
from mtqg_shared.types import Money, utcnow

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The shipped norms get stable ids, so every installation names them alike.
NORM_IDS = uuid.UUID("5d0c7a36-2f57-4b8e-9a55-6d2f0f7c1a00")

# The norms shipped with the service (API.md section 3), written out here so that this
# migration keeps meaning what it meant when it ran. Valid from 2000-01-01: every case, past
# years included, has a norm until an admin records a dated change.
DEFAULTS_VALID_FROM = dt.date(2000, 1, 1)
DEFAULT_NORMS = (
    ("meritorious", "new_build", 60_000_000, "Decision 21/2024/QĐ-TTg"),
    ("meritorious", "repair", 30_000_000, "Decision 21/2024/QĐ-TTg"),
    ("poor", "new_build", 40_000_000, "Circular 01/2022/TT-BXD"),
    ("poor", "repair", 20_000_000, "Circular 01/2022/TT-BXD"),
    ("near_poor", "new_build", 40_000_000, "Circular 01/2022/TT-BXD"),
    ("near_poor", "repair", 20_000_000, "Circular 01/2022/TT-BXD"),
    ("disaster", "new_build", 60_000_000, "Campaign value for the other groups"),
    ("disaster", "repair", 30_000_000, "Campaign value for the other groups"),
    ("other", "new_build", 60_000_000, "Campaign value for the other groups"),
    ("other", "repair", 30_000_000, "Campaign value for the other groups"),
)

OPEN_CASE = sa.text("status NOT IN ('handed_over', 'cancelled')")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


STATUSES = (
    "registered",
    "surveyed",
    "approved",
    "in_progress",
    "completed",
    "handed_over",
    "cancelled",
)
GROUPS = ("meritorious", "poor", "near_poor", "disaster", "other")
TYPES = ("new_build", "repair")
SOURCES = ("central_budget", "local_budget", "mobilised", "household", "loan")


def upgrade() -> None:
    op.create_table(
        "cases",
        *record_columns(),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("legacy_commune_code", sa.String(5)),
        sa.Column("legacy_district_code", sa.String(3)),
        sa.Column("household_code", sa.String(32), nullable=False),
        sa.Column("head_of_household", sa.String(200), nullable=False),
        sa.Column("village", sa.String(200)),
        sa.Column("geography", sa.String(7), nullable=False),
        sa.Column("beneficiary_group", sa.String(16), nullable=False),
        sa.Column("support_type", sa.String(16), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("completed_on", sa.Date()),
        sa.Column("handed_over_on", sa.Date()),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.CheckConstraint(_in("status", STATUSES), name=op.f("ck_cases_status")),
        sa.CheckConstraint(
            _in("beneficiary_group", GROUPS), name=op.f("ck_cases_beneficiary_group")
        ),
        sa.CheckConstraint(_in("support_type", TYPES), name=op.f("ck_cases_support_type")),
    )
    for columns in (
        ["commune_code"],
        ["legacy_commune_code"],
        ["legacy_district_code"],
        ["created_at", "id"],
        ["updated_at", "id"],
        ["household_code"],
        ["status"],
        ["beneficiary_group"],
        ["support_type"],
        ["registered_on"],
    ):
        op.create_index(f"ix_cases_{'_'.join(columns)}", "cases", columns)
    op.create_index(
        "uq_cases_open_household",
        "cases",
        ["household_code"],
        unique=True,
        postgresql_where=OPEN_CASE,
        sqlite_where=OPEN_CASE,
    )

    op.create_table(
        "case_transitions",
        *record_columns(),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("superseded_on", sa.Date()),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_case_transitions"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_transitions_case_id_cases"
        ),
        sa.UniqueConstraint("case_id", "seq", name="uq_case_transitions_case_id_seq"),
    )
    op.create_index(
        "ix_case_transitions_case_id_created_at_id",
        "case_transitions",
        ["case_id", "created_at", "id"],
    )

    op.create_table(
        "funding_entries",
        *record_columns(),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("legacy_commune_code", sa.String(5)),
        sa.Column("legacy_district_code", sa.String(3)),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("amount_vnd", Money, nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("reverses_id", sa.Uuid()),
        sa.PrimaryKeyConstraint("id", name="pk_funding_entries"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_funding_entries_case_id_cases"),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["funding_entries.id"],
            name="fk_funding_entries_reverses_id_funding_entries",
        ),
        sa.UniqueConstraint("reverses_id", name="uq_funding_entries_reverses_id"),
        sa.CheckConstraint(_in("source", SOURCES), name=op.f("ck_funding_entries_source")),
    )
    for column in ("commune_code", "legacy_commune_code", "legacy_district_code"):
        op.create_index(f"ix_funding_entries_{column}", "funding_entries", [column])
    op.create_index("ix_funding_entries_case_id_on_date", "funding_entries", ["case_id", "on_date"])
    op.create_index(
        "ix_funding_entries_case_id_created_at_id",
        "funding_entries",
        ["case_id", "created_at", "id"],
    )

    norms = op.create_table(
        "norms",
        *record_columns(),
        sa.Column("beneficiary_group", sa.String(16), nullable=False),
        sa.Column("support_type", sa.String(16), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("amount_vnd", Money, nullable=False),
        sa.Column("basis", sa.String(200)),
        sa.PrimaryKeyConstraint("id", name="pk_norms"),
        sa.UniqueConstraint(
            "beneficiary_group",
            "support_type",
            "valid_from",
            name="uq_norms_beneficiary_group_support_type_valid_from",
        ),
    )
    op.create_index("ix_norms_created_at_id", "norms", ["created_at", "id"])
    op.create_index("ix_norms_updated_at_id", "norms", ["updated_at", "id"])
    now = utcnow()
    op.bulk_insert(
        norms,
        [
            {
                "id": uuid.uuid5(NORM_IDS, f"{group}/{support_type}"),
                "created_at": now,
                "updated_at": now,
                "created_by": "system",
                "version": 1,
                "beneficiary_group": group,
                "support_type": support_type,
                "valid_from": DEFAULTS_VALID_FROM,
                "amount_vnd": amount,
                "basis": basis,
            }
            for group, support_type, amount, basis in DEFAULT_NORMS
        ],
    )

    op.create_table(
        "plans",
        *record_columns(),
        sa.Column("area_code", sa.String(5), nullable=False),
        sa.Column("geography", sa.String(7), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("target_new_build", sa.Integer(), nullable=False),
        sa.Column("target_repair", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plans"),
    )
    op.create_index("ix_plans_created_at_id", "plans", ["created_at", "id"])
    op.create_index("ix_plans_updated_at_id", "plans", ["updated_at", "id"])
    op.create_table(
        "plan_milestones",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("completed_target", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_milestones"),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name="fk_plan_milestones_plan_id_plans",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("plan_id", "due_on", name="uq_plan_milestones_plan_id_due_on"),
    )
    op.create_table(
        "plan_communes",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "commune_code", name="pk_plan_communes"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_plan_communes_plan_id_plans", ondelete="CASCADE"
        ),
    )
    op.create_index(
        "ix_plan_communes_commune_code_plan_id", "plan_communes", ["commune_code", "plan_id"]
    )

    op.create_table(
        "obstacles",
        *record_columns(),
        sa.Column("area_code", sa.String(5), nullable=False),
        sa.Column("geography", sa.String(7), nullable=False),
        sa.Column("case_id", sa.Uuid()),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("resolution", sa.Text()),
        sa.Column("resolved_on", sa.Date()),
        sa.PrimaryKeyConstraint("id", name="pk_obstacles"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_obstacles_case_id_cases"),
        sa.CheckConstraint(
            _in("severity", ("low", "medium", "high")), name=op.f("ck_obstacles_severity")
        ),
        sa.CheckConstraint(_in("status", ("open", "resolved")), name=op.f("ck_obstacles_status")),
    )
    for columns in (
        ["case_id"],
        ["created_at", "id"],
        ["updated_at", "id"],
        ["status"],
        ["severity"],
    ):
        op.create_index(f"ix_obstacles_{'_'.join(columns)}", "obstacles", columns)
    op.create_table(
        "obstacle_communes",
        sa.Column("obstacle_id", sa.Uuid(), nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.PrimaryKeyConstraint("obstacle_id", "commune_code", name="pk_obstacle_communes"),
        sa.ForeignKeyConstraint(
            ["obstacle_id"],
            ["obstacles.id"],
            name="fk_obstacle_communes_obstacle_id_obstacles",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_obstacle_communes_commune_code_obstacle_id",
        "obstacle_communes",
        ["commune_code", "obstacle_id"],
    )


def downgrade() -> None:
    # Children before parents; dropping a table drops its indexes.
    for table in (
        "obstacle_communes",
        "obstacles",
        "plan_communes",
        "plan_milestones",
        "plans",
        "norms",
        "funding_entries",
        "case_transitions",
        "cases",
    ):
        op.drop_table(table)
