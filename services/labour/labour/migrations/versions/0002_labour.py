"""Workers, partners, outreach events, placements with their steps and remittances, commune
labour profiles.

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

ACTIVE = "status NOT IN ('returned', 'withdrawn')"


def upgrade() -> None:
    op.create_table(
        "workers",
        *record_columns(),
        *placed_columns(),
        sa.Column("national_id", sa.String(12), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("name_folded", sa.String(200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("gender", sa.String(8), nullable=False),
        sa.Column("ethnicity", sa.String(64)),
        sa.Column("village", sa.String(200)),
        sa.Column("household_code", sa.String(32)),
        sa.Column("household_poverty", sa.String(16), nullable=False),
        sa.Column("phone", sa.String(20)),
        sa.PrimaryKeyConstraint("id", name="pk_workers"),
        sa.UniqueConstraint("national_id", name="uq_workers_national_id"),
    )
    create_placed_indexes(op, "workers")
    op.create_index("ix_workers_name_folded", "workers", ["name_folded"])
    op.create_index("ix_workers_household_code", "workers", ["household_code"])
    create_keyset_indexes(op, "workers")

    op.create_table(
        "partners",
        *record_columns(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("licence_number", sa.String(64)),
        sa.Column("address", sa.String(400)),
        sa.PrimaryKeyConstraint("id", name="pk_partners"),
    )
    op.create_index("ix_partners_kind", "partners", ["kind"])
    create_keyset_indexes(op, "partners")

    op.create_table(
        "outreach_events",
        *record_columns(),
        *placed_columns(),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("partner_id", sa.Uuid()),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("village", sa.String(200)),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("registered_interest", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_outreach_events"),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name="fk_outreach_events_partner_id_partners"
        ),
        sa.CheckConstraint(
            "registered_interest <= participants",
            name="ck_outreach_events_interest_within",
        ),
    )
    create_placed_indexes(op, "outreach_events")
    op.create_index("ix_outreach_events_held_on", "outreach_events", ["held_on"])
    op.create_index("ix_outreach_events_partner_id", "outreach_events", ["partner_id"])
    create_keyset_indexes(op, "outreach_events")

    op.create_table(
        "placements",
        *record_columns(),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column("destination_country", sa.String(2), nullable=False),
        sa.Column("scheme", sa.String(16), nullable=False),
        sa.Column("partner_id", sa.Uuid()),
        sa.Column("employer", sa.String(200)),
        sa.Column("sector", sa.String(200)),
        sa.Column("contract_months", sa.Integer()),
        sa.Column("monthly_salary_vnd", Money),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("last_step_on", sa.Date(), nullable=False),
        sa.Column("departed_on", sa.Date()),
        sa.Column("returned_on", sa.Date()),
        sa.Column("withdrawn_on", sa.Date()),
        sa.Column("notes", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_placements"),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["workers.id"], name="fk_placements_worker_id_workers"
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name="fk_placements_partner_id_partners"
        ),
    )
    op.create_index(
        "uq_placements_active_worker",
        "placements",
        ["worker_id"],
        unique=True,
        sqlite_where=sa.text(ACTIVE),
        postgresql_where=sa.text(ACTIVE),
    )
    op.create_index("ix_placements_worker_id_created_at", "placements", ["worker_id", "created_at"])
    op.create_index("ix_placements_destination_country", "placements", ["destination_country"])
    op.create_index("ix_placements_scheme", "placements", ["scheme"])
    op.create_index("ix_placements_partner_id", "placements", ["partner_id"])
    op.create_index("ix_placements_status", "placements", ["status"])
    op.create_index("ix_placements_departed_on", "placements", ["departed_on"])
    create_keyset_indexes(op, "placements")

    op.create_table(
        "placement_steps",
        *record_columns(),
        sa.Column("placement_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_placement_steps"),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placements.id"], name="fk_placement_steps_placement_id_placements"
        ),
        sa.UniqueConstraint("placement_id", "seq", name="uq_placement_steps_placement_id_seq"),
    )
    op.create_index(
        "ix_placement_steps_placement_id_created_at_id",
        "placement_steps",
        ["placement_id", "created_at", "id"],
    )

    op.create_table(
        "remittances",
        *record_columns(),
        sa.Column("placement_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("destination_country", sa.String(2), nullable=False),
        sa.Column("amount_vnd", Money, nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("reverses", sa.Uuid()),
        sa.PrimaryKeyConstraint("id", name="pk_remittances"),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placements.id"], name="fk_remittances_placement_id_placements"
        ),
        sa.ForeignKeyConstraint(
            ["reverses"], ["remittances.id"], name="fk_remittances_reverses_remittances"
        ),
        sa.UniqueConstraint("reverses", name="uq_remittances_reverses"),
    )
    op.create_index("ix_remittances_month", "remittances", ["month"])
    op.create_index("ix_remittances_placement_id_month", "remittances", ["placement_id", "month"])
    op.create_index(
        "ix_remittances_placement_id_created_at_id",
        "remittances",
        ["placement_id", "created_at", "id"],
    )

    op.create_table(
        "commune_profiles",
        *record_columns(),
        *placed_columns(),
        sa.Column("unit_code", sa.String(5), nullable=False),
        sa.Column("geography", sa.String(7), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("working_age", sa.Integer(), nullable=False),
        sa.Column("employed_elsewhere", sa.Integer(), nullable=False),
        sa.Column("poor_households", sa.Integer(), nullable=False),
        sa.Column("near_poor_households", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_commune_profiles"),
        sa.UniqueConstraint(
            "geography", "unit_code", "year", name="uq_commune_profiles_geography_unit_code_year"
        ),
    )
    create_placed_indexes(op, "commune_profiles")
    op.create_index("ix_commune_profiles_year", "commune_profiles", ["year"])
    create_keyset_indexes(op, "commune_profiles")


def downgrade() -> None:
    # Dropping a table drops its indexes and constraints with it, on both databases.
    for table in (
        "commune_profiles",
        "remittances",
        "placement_steps",
        "placements",
        "outreach_events",
        "partners",
        "workers",
    ):
        op.drop_table(table)
