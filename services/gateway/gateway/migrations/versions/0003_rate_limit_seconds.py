"""Rate-limit counts per caller per second instead of per calendar minute, so that the limit
holds over any 60-second window (the counts are short-lived: the old table is dropped, not
converted).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _create(window: str, kind: type[sa.types.TypeEngine[int]]) -> None:
    op.create_table(
        "rate_limits",
        sa.Column("caller", sa.String(200), nullable=False),
        sa.Column(window, kind(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("caller", window, name="pk_rate_limits"),
    )
    op.create_index(f"ix_rate_limits_{window}", "rate_limits", [window])


def _drop(window: str) -> None:
    op.drop_index(f"ix_rate_limits_{window}", table_name="rate_limits")
    op.drop_table("rate_limits")


def upgrade() -> None:
    _drop("minute")
    _create("second", sa.BigInteger)


def downgrade() -> None:
    _drop("second")
    _create("minute", sa.Integer)
