"""Protection cases, their status steps, and the log of every read of them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mtqg_shared.migrations import (
    create_keyset_indexes,
    create_placed_indexes,
    placed_columns,
    record_columns,
)
from mtqg_shared.types import UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cases",
        *record_columns(),
        *placed_columns(),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("victim_sex", sa.String(8), nullable=False),
        sa.Column("victim_age", sa.Integer(), nullable=False),
        sa.Column("victim_ethnicity", sa.String(64)),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16)),
        sa.Column("last_step_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.CheckConstraint(
            "victim_age >= 0 AND victim_age <= 120", name=op.f("ck_cases_victim_age_range")
        ),
    )
    create_keyset_indexes(op, "cases")
    create_placed_indexes(op, "cases")
    for column in ("kind", "reported_on", "status"):
        op.create_index(f"ix_cases_{column}", "cases", [column])

    op.create_table(
        "case_transitions",
        *record_columns(),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(16)),
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
        "access_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("reader", sa.String(160), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity_type", sa.String(64), nullable=False),
        sa.Column("records", sa.JSON(), nullable=False),
        sa.Column("request_id", sa.String(128)),
        sa.Column("communes", sa.Text(), server_default=" ", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_access_log"),
    )
    op.create_index("ix_access_log_entity_type_id", "access_log", ["entity_type", "id"])


def downgrade() -> None:
    for table in ("access_log", "case_transitions", "cases"):
        op.drop_table(table)
