"""One Alembic environment per service; this runs them the same way for all.

On PostgreSQL each service migrates its own schema (created if missing) and keeps its version
table there; on SQLite each service has its own file and batch mode makes ALTERs possible.
"""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from mtqg_shared.settings import async_url


def alembic_config(package: str, url: str) -> Config:
    module_file = importlib.import_module(package).__file__
    assert module_file is not None
    script_location = Path(module_file).parent / "migrations"
    config = Config()
    config.set_main_option("script_location", str(script_location))
    # '%' would be read as interpolation by configparser.
    config.set_main_option("sqlalchemy.url", async_url(url).replace("%", "%%"))
    config.attributes["schema"] = package
    return config


def upgrade(package: str, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(package, url), revision)


def downgrade(package: str, url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(package, url), revision)


def _configure_and_run(
    connection: Connection, context: Any, metadata: MetaData, schema: str
) -> None:
    is_pg = connection.dialect.name == "postgresql"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table_schema=schema if is_pg else None,
        render_as_batch=not is_pg,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(context: Any, metadata: MetaData, schema: str) -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                # Look first: a service's own role owns its schema but may not create schemas.
                found = await connection.scalar(
                    text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": schema}
                )
                if not found:
                    await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
                await connection.execute(text(f'SET search_path TO "{schema}"'))
                await connection.commit()
            await connection.run_sync(_configure_and_run, context, metadata, schema)
    finally:
        await engine.dispose()


def run_migrations(context: Any, metadata: MetaData, schema: str) -> None:
    """Called from a service's migrations/env.py."""
    if context.is_offline_mode():
        is_pg = "postgresql" in context.config.get_main_option("sqlalchemy.url")
        context.configure(
            url=context.config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            literal_binds=True,
            version_table_schema=schema if is_pg else None,
            render_as_batch=not is_pg,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(context, metadata, schema))


def main(argv: list[str] | None = None) -> None:
    """`python -m mtqg_shared.migrations SERVICE [upgrade|downgrade] [REVISION]`."""
    import argparse
    import importlib

    from mtqg_shared.registry import NAMES

    parser = argparse.ArgumentParser(description="Migrate one service's database.")
    parser.add_argument("service", choices=NAMES)
    parser.add_argument("action", nargs="?", default="upgrade", choices=["upgrade", "downgrade"])
    parser.add_argument("revision", nargs="?")
    args = parser.parse_args(argv)
    config_module = importlib.import_module(f"{args.service}.config")
    settings = config_module.Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.async_database_url
    if args.action == "upgrade":
        upgrade(args.service, url, args.revision or "head")
    else:
        downgrade(args.service, url, args.revision or "base")


if __name__ == "__main__":
    main()


def create_common_tables(op: Any) -> None:
    """The first migration of every service: its audit log and idempotency records."""
    import sqlalchemy as sa

    from mtqg_shared.types import UtcDateTime

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(160), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity_type", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("request_id", sa.String(128)),
        sa.Column("communes", sa.Text(), nullable=False, server_default=" "),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index(
        "ix_audit_log_entity_type_entity_id_id", "audit_log", ["entity_type", "entity_id", "id"]
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("caller", sa.String(160), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("status_code", sa.Integer()),
        sa.Column("response_body", sa.Text()),
        sa.Column("response_headers", sa.JSON()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("completed_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("caller", "key", name="pk_idempotency_keys"),
    )


def drop_common_tables(op: Any) -> None:
    op.drop_table("idempotency_keys")
    op.drop_index("ix_audit_log_entity_type_entity_id_id", table_name="audit_log")
    op.drop_table("audit_log")


def record_columns() -> list[Any]:
    """The columns of `types.RecordMixin`, for a migration's create_table."""
    import sqlalchemy as sa

    from mtqg_shared.types import UtcDateTime

    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def placed_columns() -> list[Any]:
    """The columns of `types.PlacedMixin`."""
    import sqlalchemy as sa

    return [
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("legacy_commune_code", sa.String(5)),
        sa.Column("legacy_district_code", sa.String(3)),
    ]


def create_placed_indexes(op: Any, table: str) -> None:
    """The indexes `PlacedMixin` declares (every area filter uses one)."""
    for column in ("commune_code", "legacy_commune_code", "legacy_district_code"):
        op.create_index(f"ix_{table}_{column}", table, [column])


def create_keyset_indexes(op: Any, table: str) -> None:
    """(created_at, id) and (updated_at, id): the two orders lists page by."""
    op.create_index(f"ix_{table}_created_at_id", table, ["created_at", "id"])
    op.create_index(f"ix_{table}_updated_at_id", table, ["updated_at", "id"])
