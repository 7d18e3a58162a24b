"""Zones, linkage projects (places, steps, disbursements, participants), facilities, OCOP.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mtqg_shared.migrations import (
    create_keyset_indexes,
    create_placed_indexes,
    placed_columns,
    record_columns,
)
from mtqg_shared.types import Money

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "zones",
        *record_columns(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("crop", sa.String(16), nullable=False),
        sa.Column("area_code", sa.String(5), nullable=False),
        sa.Column("legacy_commune_code", sa.String(5)),
        sa.Column("legacy_district_code", sa.String(3)),
        sa.Column("commune_codes", sa.JSON(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("area_m2", Money, nullable=False),
        sa.Column("certified_m2", Money),
        sa.Column("linked_m2", Money),
        sa.Column("certification", sa.String(16)),
        sa.PrimaryKeyConstraint("id", name="pk_zones"),
        sa.CheckConstraint("certified_m2 <= area_m2", name=op.f("ck_zones_certified_within_area")),
        sa.CheckConstraint("linked_m2 <= area_m2", name=op.f("ck_zones_linked_within_area")),
    )
    create_keyset_indexes(op, "zones")
    op.create_index("ix_zones_crop", "zones", ["crop"])
    op.create_index("ix_zones_year", "zones", ["year"])
    op.create_index("ix_zones_certification", "zones", ["certification"])

    op.create_table(
        "zone_places",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("zone_id", sa.Uuid(), nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("legacy_commune_code", sa.String(5)),
        sa.PrimaryKeyConstraint("id", name="pk_zone_places"),
        sa.ForeignKeyConstraint(
            ["zone_id"], ["zones.id"], name="fk_zone_places_zone_id_zones", ondelete="CASCADE"
        ),
    )
    op.create_index(
        "ix_zone_places_zone_id_commune_code", "zone_places", ["zone_id", "commune_code"]
    )
    op.create_index(
        "ix_zone_places_commune_code_zone_id", "zone_places", ["commune_code", "zone_id"]
    )
    op.create_index(
        "ix_zone_places_legacy_commune_code_zone_id",
        "zone_places",
        ["legacy_commune_code", "zone_id"],
    )

    op.create_table(
        "projects",
        *record_columns(),
        sa.Column("code", sa.String(32)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("lead_entity", sa.String(200), nullable=False),
        sa.Column("lead_entity_type", sa.String(24), nullable=False),
        sa.Column("product", sa.String(200), nullable=False),
        sa.Column("crop", sa.String(16)),
        sa.Column("commune_codes", sa.JSON(), nullable=False),
        sa.Column("legacy_commune_codes", sa.JSON()),
        sa.Column("legacy_district_codes", sa.JSON()),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date()),
        sa.Column("total_cost_vnd", Money, nullable=False),
        sa.Column("state_support_vnd", Money, nullable=False),
        sa.Column("disbursed_vnd", Money, nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("poor_households", sa.Integer(), nullable=False),
        sa.Column("near_poor_households", sa.Integer(), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("suspended_from", sa.String(16)),
        sa.Column("approved_on", sa.Date()),
        sa.Column("completed_on", sa.Date()),
        sa.PrimaryKeyConstraint("id", name="pk_projects"),
        sa.UniqueConstraint("code", name="uq_projects_code"),
        sa.CheckConstraint(
            "state_support_vnd <= total_cost_vnd", name=op.f("ck_projects_support_within_cost")
        ),
        sa.CheckConstraint(
            "disbursed_vnd <= state_support_vnd", name=op.f("ck_projects_disbursed_within_support")
        ),
    )
    create_keyset_indexes(op, "projects")
    op.create_index("ix_projects_lead_entity_type", "projects", ["lead_entity_type"])
    op.create_index("ix_projects_crop", "projects", ["crop"])
    op.create_index("ix_projects_status", "projects", ["status"])

    op.create_table(
        "project_places",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("legacy_commune_code", sa.String(5)),
        sa.PrimaryKeyConstraint("id", name="pk_project_places"),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name="fk_project_places_project_id_projects",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_project_places_project_id_commune_code",
        "project_places",
        ["project_id", "commune_code"],
    )
    op.create_index(
        "ix_project_places_commune_code_project_id",
        "project_places",
        ["commune_code", "project_id"],
    )
    op.create_index(
        "ix_project_places_legacy_commune_code_project_id",
        "project_places",
        ["legacy_commune_code", "project_id"],
    )

    op.create_table(
        "project_transitions",
        *record_columns(),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_project_transitions"),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name="fk_project_transitions_project_id_projects",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_project_transitions_project_id_created_at_id",
        "project_transitions",
        ["project_id", "created_at", "id"],
    )
    op.create_index(
        "ix_project_transitions_project_id_updated_at_id",
        "project_transitions",
        ["project_id", "updated_at", "id"],
    )

    op.create_table(
        "disbursements",
        *record_columns(),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("amount_vnd", Money, nullable=False),
        sa.Column("reverses_id", sa.Uuid()),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_disbursements"),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name="fk_disbursements_project_id_projects",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["disbursements.id"],
            name="fk_disbursements_reverses_id_disbursements",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("reverses_id", name="uq_disbursements_reverses_id"),
    )
    op.create_index(
        "ix_disbursements_project_id_created_at_id",
        "disbursements",
        ["project_id", "created_at", "id"],
    )
    op.create_index(
        "ix_disbursements_project_id_updated_at_id",
        "disbursements",
        ["project_id", "updated_at", "id"],
    )
    op.create_index(
        "ix_disbursements_project_id_on_date_amount_vnd",
        "disbursements",
        ["project_id", "on_date", "amount_vnd"],
    )

    op.create_table(
        "participants",
        *record_columns(),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("household_code", sa.String(32), nullable=False),
        sa.Column("household_poverty", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_participants"),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name="fk_participants_project_id_projects",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "project_id", "household_code", name="uq_participants_project_id_household_code"
        ),
    )
    op.create_index("ix_participants_household_code", "participants", ["household_code"])
    op.create_index(
        "ix_participants_project_id_created_at_id",
        "participants",
        ["project_id", "created_at", "id"],
    )
    op.create_index(
        "ix_participants_project_id_updated_at_id",
        "participants",
        ["project_id", "updated_at", "id"],
    )

    op.create_table(
        "facilities",
        *record_columns(),
        *placed_columns(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("products", sa.JSON(), nullable=False),
        sa.Column("jobs", sa.Integer(), nullable=False),
        sa.Column("established_on", sa.Date()),
        sa.PrimaryKeyConstraint("id", name="pk_facilities"),
    )
    create_keyset_indexes(op, "facilities")
    create_placed_indexes(op, "facilities")
    op.create_index("ix_facilities_kind", "facilities", ["kind"])

    op.create_table(
        "ocop_products",
        *record_columns(),
        *placed_columns(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("producer", sa.String(200), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer()),
        sa.Column("certified_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ocop_products"),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name=op.f("ck_ocop_products_stars_1_to_5")),
    )
    create_keyset_indexes(op, "ocop_products")
    create_placed_indexes(op, "ocop_products")
    op.create_index("ix_ocop_products_category", "ocop_products", ["category"])
    op.create_index("ix_ocop_products_stars", "ocop_products", ["stars"])
    op.create_index("ix_ocop_products_expires_on", "ocop_products", ["expires_on"])


def downgrade() -> None:
    # Dropping a table drops its indexes with it, on both databases.
    for table in (
        "ocop_products",
        "facilities",
        "participants",
        "disbursements",
        "project_transitions",
        "project_places",
        "projects",
        "zone_places",
        "zones",
    ):
        op.drop_table(table)
