"""Remittances name the entry they reverse in `reverses_id`, as every service's money entries
do (the API field stays `reverses`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rename(old: str, new: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("remittances", old, new_column_name=new)
        op.execute(
            f"ALTER TABLE remittances RENAME CONSTRAINT uq_remittances_{old} "
            f"TO uq_remittances_{new}"
        )
        op.execute(
            f"ALTER TABLE remittances RENAME CONSTRAINT fk_remittances_{old}_remittances "
            f"TO fk_remittances_{new}_remittances"
        )
        return
    # SQLite keeps constraint names in the table's definition: the table is rebuilt.
    with op.batch_alter_table("remittances", recreate="always") as batch:
        batch.drop_constraint(f"uq_remittances_{old}", type_="unique")
        batch.drop_constraint(f"fk_remittances_{old}_remittances", type_="foreignkey")
        batch.alter_column(old, new_column_name=new)
    with op.batch_alter_table("remittances", recreate="always") as batch:
        batch.create_unique_constraint(f"uq_remittances_{new}", [new])
        batch.create_foreign_key(f"fk_remittances_{new}_remittances", "remittances", [new], ["id"])


def upgrade() -> None:
    _rename("reverses", "reverses_id")


def downgrade() -> None:
    _rename("reverses_id", "reverses")
