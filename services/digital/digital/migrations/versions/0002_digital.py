"""Assets and their status periods, teams, commune profiles, smart villages and their steps,
sellers, spending.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mtqg_shared.kit.spending import create_spending_table
from mtqg_shared.migrations import (
    create_keyset_indexes,
    create_placed_indexes,
    placed_columns,
    record_columns,
)

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assets",
        *record_columns(),
        *placed_columns(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("village", sa.String(200)),
        sa.Column("installed_on", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("connected_to_ioc", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assets"),
        sa.CheckConstraint("count >= 1", name=op.f("ck_assets_count_positive")),
        sa.CheckConstraint(
            "connected_to_ioc = false OR kind = 'camera'", name=op.f("ck_assets_ioc_cameras_only")
        ),
    )
    create_keyset_indexes(op, "assets")
    create_placed_indexes(op, "assets")
    op.create_index("ix_assets_kind", "assets", ["kind"])
    op.create_index("ix_assets_installed_on", "assets", ["installed_on"])
    op.create_index("ix_assets_status", "assets", ["status"])

    op.create_table(
        "asset_statuses",
        sa.Column("asset_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("until_on", sa.Date()),
        sa.PrimaryKeyConstraint("asset_id", "seq", name="pk_asset_statuses"),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["assets.id"],
            name="fk_asset_statuses_asset_id_assets",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_asset_statuses_status_from_on", "asset_statuses", ["status", "from_on"])

    op.create_table(
        "teams",
        *record_columns(),
        *placed_columns(),
        sa.Column("village", sa.String(200)),
        sa.Column("established_on", sa.Date(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_teams"),
        sa.CheckConstraint("members >= 1", name=op.f("ck_teams_members")),
    )
    create_keyset_indexes(op, "teams")
    create_placed_indexes(op, "teams")
    op.create_index("ix_teams_established_on", "teams", ["established_on"])

    op.create_table(
        "commune_profiles",
        *record_columns(),
        *placed_columns(),
        sa.Column("unit_code", sa.String(5), nullable=False),
        sa.Column("geography", sa.String(7), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("officials", sa.Integer(), nullable=False),
        sa.Column("officials_it_certified", sa.Integer(), nullable=False),
        sa.Column("online_dossier_rate", sa.Float()),
        sa.Column("households", sa.Integer()),
        sa.Column("households_fibre", sa.Integer()),
        sa.Column("adults_with_smartphone", sa.Integer()),
        sa.PrimaryKeyConstraint("id", name="pk_commune_profiles"),
        sa.UniqueConstraint(
            "geography", "unit_code", "year", name="uq_commune_profiles_geography_unit_code_year"
        ),
        sa.CheckConstraint(
            "officials_it_certified <= officials",
            name=op.f("ck_commune_profiles_certified_within_officials"),
        ),
    )
    create_placed_indexes(op, "commune_profiles")
    op.create_index("ix_commune_profiles_year", "commune_profiles", ["year"])
    create_keyset_indexes(op, "commune_profiles")

    op.create_table(
        "smart_villages",
        *record_columns(),
        *placed_columns(),
        sa.Column("village", sa.String(200), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("recognised_on", sa.Date()),
        sa.Column("decision_number", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_smart_villages"),
    )
    create_keyset_indexes(op, "smart_villages")
    create_placed_indexes(op, "smart_villages")
    op.create_index("ix_smart_villages_started_on", "smart_villages", ["started_on"])
    op.create_index("ix_smart_villages_status", "smart_villages", ["status"])
    op.create_index("ix_smart_villages_recognised_on", "smart_villages", ["recognised_on"])

    op.create_table(
        "smart_village_transitions",
        *record_columns(),
        sa.Column("village_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("decision_number", sa.String(64)),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_smart_village_transitions"),
        sa.ForeignKeyConstraint(
            ["village_id"],
            ["smart_villages.id"],
            name="fk_smart_village_transitions_village_id_smart_villages",
        ),
        sa.UniqueConstraint(
            "village_id", "seq", name="uq_smart_village_transitions_village_id_seq"
        ),
    )
    op.create_index(
        "ix_smart_village_transitions_village_id_created_at_id",
        "smart_village_transitions",
        ["village_id", "created_at", "id"],
    )

    op.create_table(
        "sellers",
        *record_columns(),
        *placed_columns(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("platforms", sa.JSON(), nullable=False),
        sa.Column("ocop_products_online", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sellers"),
    )
    create_keyset_indexes(op, "sellers")
    create_placed_indexes(op, "sellers")
    op.create_index("ix_sellers_kind", "sellers", ["kind"])
    op.create_index("ix_sellers_since", "sellers", ["since"])

    create_spending_table(op, "asset_id", "assets")


def downgrade() -> None:
    # Dropping a table drops its indexes and constraints with it, on both databases.
    for table in (
        "spending",
        "sellers",
        "smart_village_transitions",
        "smart_villages",
        "commune_profiles",
        "teams",
        "asset_statuses",
        "assets",
    ):
        op.drop_table(table)
