"""What every report benchmark does alike (gender, digital): a throwaway PostgreSQL database
migrated and bulk-loaded, then the service's report endpoint in-process (httpx.ASGITransport,
a real signed token) against the same figures as one raw SQL query, alternating, for a
province admin and for an officer of one commune; the medians, their ratio and whether the
figures agree are printed, and the database is dropped at the end."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.production_data import _places
from bench.production_report import _median_ms, _token
from mtqg_shared.admin_units import GEO_OLD, admin_units
from mtqg_shared.auth import KeyStore, TokenVerifier
from mtqg_shared.db import Database
from mtqg_shared.migrations import upgrade
from mtqg_shared.settings import async_url


@dataclass(frozen=True)
class ReportBench:
    """`service`'s report at `path` with `params`; `raw_sql(readable_only)` the same figures
    by hand, run with `raw_args` (and, for one commune's officer, its communes as the next
    parameter); `endpoint_figures` and `raw_figures` put both answers in one shape."""

    service: str
    path: str
    params: dict[str, Any]
    raw_sql: Callable[[bool], str]
    raw_args: Sequence[Any]
    endpoint_figures: Callable[[dict[str, Any]], Any]
    raw_figures: Callable[[asyncpg.Record], Any]
    load: Callable[[asyncpg.Connection], Awaitable[None]]


async def measure(bench: ReportBench, url: str, runs: int) -> None:
    app_module = importlib.import_module(f"{bench.service}.app")
    config = importlib.import_module(f"{bench.service}.config")
    settings = config.Settings(database_url=url)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    verifier = TokenVerifier(
        KeyStore({"bench": key.public_key()}),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    db = Database(async_url(url), bench.service, pool_size=4)
    app = app_module.create_app(settings, db=db, verifier=verifier)
    raw = await asyncpg.connect(url, server_settings={"search_path": bench.service})
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            one_commune = sorted(admin_units().all_current_communes)[0]
            for label, areas, communes in (
                ("province admin (area 15)", ["15"], None),
                (f"officer of commune {one_commune}", [one_commune], [one_commune]),
            ):
                headers = {"Authorization": f"Bearer {_token(key, areas, settings)}"}

                async def endpoint(headers: dict[str, str] = headers) -> dict[str, Any]:
                    answer = await client.get(bench.path, params=bench.params, headers=headers)
                    answer.raise_for_status()
                    return dict(answer.json())

                sql = bench.raw_sql(communes is not None)

                async def query(
                    communes: list[str] | None = communes, sql: str = sql
                ) -> asyncpg.Record:
                    extra = [] if communes is None else [communes]
                    return await raw.fetchrow(sql, *bench.raw_args, *extra)

                agree = bench.endpoint_figures(await endpoint()) == bench.raw_figures(await query())
                endpoint_ms, raw_ms = await _median_ms(runs, endpoint, query)
                print(
                    f"{label}: endpoint {endpoint_ms:.1f} ms, raw SQL {raw_ms:.1f} ms, "
                    f"ratio {endpoint_ms / raw_ms:.2f} (median of {runs}; figures "
                    f"{'agree' if agree else 'DIFFER'})",
                    flush=True,
                )
    finally:
        await raw.close()
        await db.dispose()


async def run(bench: ReportBench, server: str, scale: float, runs: int) -> None:
    """`bench` in a database of its own, made, migrated, loaded and dropped."""
    name = f"mtqg_bench_{bench.service}_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{server.rpartition('/')[0]}/{name}"
    try:
        await asyncio.to_thread(upgrade, bench.service, url)
        print(f"loading into {name} (scale {scale}):", flush=True)
        conn = await asyncpg.connect(url, server_settings={"search_path": bench.service})
        try:
            await bench.load(conn)
        finally:
            await conn.close()
        await measure(bench, url, runs)
    finally:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.close()
        print(f"dropped {name}", flush=True)


class BulkLoad:
    """COPY into a service's tables, with the places records are given in: three in ten an
    old commune (2025-01, with its district), the rest a current one."""

    RECORD = ("id", "created_at", "updated_at", "created_by", "version")
    PLACE = ("commune_code", "legacy_commune_code", "legacy_district_code")

    def __init__(self, conn: asyncpg.Connection, schema: str, rng: random.Random) -> None:
        self.conn = conn
        self.schema = schema
        self.rng = rng
        self.units = admin_units()
        self.new = sorted(self.units.all_current_communes)
        self.old = sorted(c.code for c in self.units.list(GEO_OLD, level="commune"))

    def placed(self) -> tuple[str, str | None, str | None]:
        current, legacy = _places(self.rng, self.new, self.old, 1)[0]
        if legacy is None:
            return current, None, None
        return current, legacy, self.units.place_commune(legacy, GEO_OLD).legacy_district_code

    def day(self, first_year: int, last_year: int) -> dt.date:
        rng = self.rng
        return dt.date(
            rng.randrange(first_year, last_year + 1), rng.randrange(1, 13), rng.randrange(1, 29)
        )

    async def copy(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        started = time.perf_counter()
        await self.conn.copy_records_to_table(
            table, records=rows, columns=columns, schema_name=self.schema
        )
        print(f"  {table}: {len(rows):,} rows in {time.perf_counter() - started:.1f} s", flush=True)


def cli(make: Callable[[float], ReportBench], doc: str | None) -> None:
    """The command line of a report benchmark: --postgres, --scale, --runs."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: the full volumes")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    server = args.postgres.replace("postgresql+asyncpg://", "postgresql://")
    asyncio.run(run(make(args.scale), server, args.scale, args.runs))
