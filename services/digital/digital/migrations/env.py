from alembic import context

from digital.models import metadata
from mtqg_shared.migrations import run_migrations

run_migrations(context, metadata, schema="digital")
