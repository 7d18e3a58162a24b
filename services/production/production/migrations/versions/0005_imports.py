"""Spreadsheet import jobs: each upload, who sent it, and what its run found.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from mtqg_shared.kit.importing import IMPORTS, create_import_table

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_import_table(op)


def downgrade() -> None:
    op.drop_table(IMPORTS)
