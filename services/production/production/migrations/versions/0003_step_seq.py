"""Number each project's status steps (`seq`, from 1), as every service's step tables do.

Existing steps are numbered in the order they were made (created_at, then id); the unique
(project_id, seq) makes two racing steps of one project collide instead of both landing.

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


def upgrade() -> None:
    with op.batch_alter_table("project_transitions") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
    op.execute(
        """
        UPDATE project_transitions SET seq = (
            SELECT count(*) FROM project_transitions AS earlier
            WHERE earlier.project_id = project_transitions.project_id
              AND (earlier.created_at < project_transitions.created_at
                   OR (earlier.created_at = project_transitions.created_at
                       AND earlier.id <= project_transitions.id))
        )
        """
    )
    with op.batch_alter_table("project_transitions") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint(
            "uq_project_transitions_project_id_seq", ["project_id", "seq"]
        )


def downgrade() -> None:
    with op.batch_alter_table("project_transitions") as batch:
        batch.drop_constraint("uq_project_transitions_project_id_seq", type_="unique")
        batch.drop_column("seq")
