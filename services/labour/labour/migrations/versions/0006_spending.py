"""Money spent on workers under Project 4 of programme 90 (training, documents, travel), as
gender's and digital's spending (API.md section 11).

Revision ID: 0006
Revises: 0005
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
from mtqg_shared.types import Money

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "spending",
        *record_columns(),
        *placed_columns(),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("amount_vnd", Money, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("purpose", sa.String(200)),
        sa.Column("placement_id", sa.Uuid()),
        sa.Column("project_code", sa.String(32), nullable=False),
        sa.Column("capital_type", sa.String(16), nullable=False),
        sa.Column("reverses_id", sa.Uuid()),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_spending"),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placements.id"], name="fk_spending_placement_id_placements"
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
    op.create_index("ix_spending_placement_id", "spending", ["placement_id"])


def downgrade() -> None:
    op.drop_table("spending")
