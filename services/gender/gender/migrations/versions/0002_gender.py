"""Community models, activities, materials, spending.

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

TOPICS = (
    "gender_equality",
    "domestic_violence",
    "child_marriage",
    "consanguineous_marriage",
    "human_trafficking",
    "child_protection",
    "women_economy",
)
LANGUAGES = ("vi", "dao", "hmn")


def _flags(prefix: str, values: tuple[str, ...]) -> list[sa.Column]:
    return [sa.Column(f"{prefix}_{value}", sa.Boolean(), nullable=False) for value in values]


def upgrade() -> None:
    op.create_table(
        "community_models",
        *record_columns(),
        *placed_columns(),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("village", sa.String(200)),
        sa.Column("established_on", sa.Date(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("members_female", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_community_models"),
        sa.CheckConstraint(
            "members_female <= members", name=op.f("ck_community_models_female_within_members")
        ),
    )
    create_keyset_indexes(op, "community_models")
    create_placed_indexes(op, "community_models")
    op.create_index("ix_community_models_kind", "community_models", ["kind"])

    op.create_table(
        "activities",
        *record_columns(),
        *placed_columns(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("model_id", sa.Uuid()),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("participants_female", sa.Integer(), nullable=False),
        sa.Column("online_reach", sa.Integer()),
        *_flags("topic", TOPICS),
        *_flags("language", LANGUAGES),
        sa.PrimaryKeyConstraint("id", name="pk_activities"),
        sa.ForeignKeyConstraint(
            ["model_id"], ["community_models.id"], name="fk_activities_model_id_community_models"
        ),
        sa.CheckConstraint(
            "participants_female <= participants",
            name=op.f("ck_activities_female_within_participants"),
        ),
    )
    create_keyset_indexes(op, "activities")
    create_placed_indexes(op, "activities")
    op.create_index("ix_activities_kind", "activities", ["kind"])
    op.create_index("ix_activities_held_on", "activities", ["held_on"])
    op.create_index("ix_activities_model_id", "activities", ["model_id"])

    op.create_table(
        "materials",
        *record_columns(),
        *placed_columns(),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        *_flags("language", LANGUAGES),
        sa.PrimaryKeyConstraint("id", name="pk_materials"),
    )
    create_keyset_indexes(op, "materials")
    create_placed_indexes(op, "materials")
    op.create_index("ix_materials_topic", "materials", ["topic"])
    op.create_index("ix_materials_format", "materials", ["format"])
    op.create_index("ix_materials_published_on", "materials", ["published_on"])

    create_spending_table(op, "activity_id", "activities")


def downgrade() -> None:
    for table in ("spending", "materials", "activities", "community_models"):
        op.drop_table(table)
