"""Money spent on workers under Project 4 of programme 90 (training, documents, travel), as
gender's and digital's spending (API.md section 11).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from mtqg_shared.kit.spending import create_spending_table

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_spending_table(op, "placement_id", "placements")


def downgrade() -> None:
    op.drop_table("spending")
