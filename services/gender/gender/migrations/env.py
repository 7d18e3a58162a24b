from alembic import context

from gender.models import metadata
from mtqg_shared.migrations import run_migrations

run_migrations(context, metadata, schema="gender")
