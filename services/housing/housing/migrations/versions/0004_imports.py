"""Spreadsheet import jobs: each upload, who sent it, and what its run found.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from mtqg_shared.kit.importing import IMPORTS, create_import_table

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_import_table(op)


def downgrade() -> None:
    op.drop_table(IMPORTS)
