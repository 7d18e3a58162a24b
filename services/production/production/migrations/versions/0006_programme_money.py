"""Disbursements name the programme's project and capital type they count under (API.md
section 11); entries already recorded are production's project 1719.DA3, recurrent capital.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from mtqg_shared.kit.money import add_programme_columns, drop_programme_columns

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_programme_columns(op, "disbursements", "1719.DA3")


def downgrade() -> None:
    drop_programme_columns(op, "disbursements")
