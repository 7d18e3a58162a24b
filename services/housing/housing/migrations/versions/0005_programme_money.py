"""Funding entries name the programme's project and capital type they count under (API.md
section 11); entries already recorded are housing's project 90.DA5, recurrent capital.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from mtqg_shared.kit.money import add_programme_columns, drop_programme_columns

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_programme_columns(op, "funding_entries", "90.DA5")


def downgrade() -> None:
    drop_programme_columns(op, "funding_entries")
