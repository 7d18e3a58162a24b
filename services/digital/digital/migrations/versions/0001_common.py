"""Audit log and idempotency records.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from mtqg_shared.migrations import create_common_tables, drop_common_tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_common_tables(op)


def downgrade() -> None:
    drop_common_tables(op)
