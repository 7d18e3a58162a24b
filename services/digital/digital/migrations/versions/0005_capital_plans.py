"""Capital plans: what decisions allocate to the service's projects, by area, year, capital
type and budget (API.md section 11).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

from mtqg_shared.kit.capital import TABLE, create_capital_plans_table

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_capital_plans_table(op)


def downgrade() -> None:
    op.drop_table(TABLE)
