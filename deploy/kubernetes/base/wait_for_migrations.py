"""Wait until a service's database schema is at the migration head this image carries.

    python wait_for_migrations.py SERVICE [--timeout SECONDS] [--interval SECONDS]

The init container of every Deployment runs it (mounted from the `mtqg-scripts` ConfigMap), so
a new release's pods start only once its migration Job has upgraded the schema; pods of the
release before keep serving meanwhile. Exit 0 when the revision in the database is the head,
1 when the timeout passes first (the kubelet restarts the init container, and the pod waits
on). The database URL comes from the service's settings (MTQG_DATABASE_URL).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
import time

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from mtqg_shared.migrations import alembic_config
from mtqg_shared.registry import NAMES


def _current(connection: Connection, schema: str) -> set[str]:
    is_pg = connection.dialect.name == "postgresql"
    opts = {"version_table_schema": schema} if is_pg else {}
    context = MigrationContext.configure(connection, opts=opts)
    return set(context.get_current_heads())


async def revisions_in_database(url: str, schema: str) -> set[str]:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_current, schema)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("service", choices=NAMES)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--interval", type=float, default=2.0)
    args = parser.parse_args(argv)
    settings = importlib.import_module(f"{args.service}.config").Settings()
    url = settings.async_database_url
    heads = set(ScriptDirectory.from_config(alembic_config(args.service, url)).get_heads())
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            found = asyncio.run(revisions_in_database(url, args.service))
            reason = f"database at {sorted(found) or 'no revision'}"
        except Exception as exc:  # the database not up yet is a reason to wait, like the rest
            found, reason = set(), f"database not reachable ({type(exc).__name__})"
        if found == heads:
            print(f"{args.service}: schema at {sorted(heads)}", flush=True)
            return 0
        if time.monotonic() >= deadline:
            print(f"{args.service}: gave up waiting for {sorted(heads)}: {reason}", flush=True)
            return 1
        print(f"{args.service}: waiting for {sorted(heads)}: {reason}", flush=True)
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
