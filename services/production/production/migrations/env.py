from alembic import context

from mtqg_shared.migrations import run_migrations
from production.models import metadata

run_migrations(context, metadata, schema="production")
