"""Period reports and their steps (kit.periods): one report per period and area.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

from mtqg_shared.kit.periods import create_period_tables, drop_period_tables

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_period_tables(op)


def downgrade() -> None:
    drop_period_tables(op)
