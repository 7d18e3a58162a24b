"""The production overview endpoint against the same aggregate as one raw SQL query, side by
side in one run, on PostgreSQL.

    .venv/bin/python -m bench.production_report \\
        --postgres postgresql://postgres@127.0.0.1:5432/postgres [--scale 1.0] [--runs 15]

Creates a throwaway database, migrates the production schema, bulk-loads (COPY) 50,000
projects (with their places), 500,000 disbursements, 100,000 zones (a fifth of them for a
legacy district, so with many place rows), 20,000 facilities and 10,000 OCOP products, times
`GET /api/v1/production/reports/overview` in-process (httpx.ASGITransport, a real signed
token) and the raw query, alternating, and prints the median of each and their ratio for two
callers: a province admin (no area condition) and an officer of one commune (every record
checked for being readable). The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.production_data import SCHEMA, Volumes, bulk_load
from mtqg_shared.admin_units import admin_units
from mtqg_shared.auth import KeyStore, TokenVerifier
from mtqg_shared.db import Database
from mtqg_shared.migrations import upgrade
from mtqg_shared.settings import CommonSettings, async_url
from mtqg_shared.types import today_vn
from production.app import create_app
from production.config import Settings

REPORT = "/api/v1/production/reports/overview"


def raw_sql(readable_only: bool) -> str:
    """The overview as one query, written as one would by hand: for a caller bound to some
    communes ($3), each record must have a place among them. $1..$2: the expiry window."""

    def where(places: str, owner: str, column: str) -> str:
        if not readable_only:
            return "TRUE"
        return (
            f"EXISTS (SELECT 1 FROM {places} x WHERE x.{owner} = {column}"
            " AND x.commune_code = ANY($3::text[]))"
        )

    one_commune = "commune_code = ANY($3::text[])" if readable_only else "TRUE"
    zones_where = where("zone_places", "zone_id", "z.id")
    return f"""
WITH
crops AS (
    SELECT z.crop, sum(z.area_m2) AS area_m2, coalesce(sum(z.certified_m2), 0) AS certified_m2,
           coalesce(sum(z.linked_m2), 0) AS linked_m2
    FROM zones z
    WHERE z.year = (SELECT max(z.year) FROM zones z WHERE {zones_where}) AND {zones_where}
    GROUP BY z.crop
),
counted AS (
    SELECT count(*) AS n, coalesce(sum(p.total_cost_vnd), 0) AS cost,
           coalesce(sum(p.state_support_vnd), 0) AS support
    FROM projects p
    WHERE p.status IN ('approved', 'in_progress', 'suspended', 'completed')
      AND {where("project_places", "project_id", "p.id")}
),
money AS (
    SELECT extract(year FROM d.on_date)::int AS year, sum(d.amount_vnd) AS vnd
    FROM disbursements d WHERE {where("project_places", "project_id", "d.project_id")}
    GROUP BY 1
),
facility AS (
    SELECT count(*) AS n, coalesce(sum(jobs), 0) AS jobs FROM facilities WHERE {one_commune}
),
ocop AS (
    SELECT count(*) AS n,
           count(*) FILTER (WHERE stars = 1) AS s1, count(*) FILTER (WHERE stars = 2) AS s2,
           count(*) FILTER (WHERE stars = 3) AS s3, count(*) FILTER (WHERE stars = 4) AS s4,
           count(*) FILTER (WHERE stars = 5) AS s5,
           count(*) FILTER (WHERE expires_on BETWEEN $1 AND $2) AS expiring
    FROM ocop_products WHERE {one_commune}
)
SELECT
    (SELECT max(z.year) FROM zones z WHERE {zones_where}) AS zones_year,
    (SELECT json_object_agg(crop, json_build_array(area_m2, certified_m2, linked_m2)) FROM crops)
        AS crops,
    counted.n AS projects, counted.cost AS total_cost_vnd, counted.support AS state_support_vnd,
    (SELECT json_object_agg(year, vnd ORDER BY year) FROM money) AS disbursed_by_year,
    facility.n AS facilities, facility.jobs AS jobs,
    json_build_array(ocop.n, ocop.s1, ocop.s2, ocop.s3, ocop.s4, ocop.s5, ocop.expiring) AS ocop
FROM counted, facility, ocop
"""


def _token(key: rsa.RSAPrivateKey, areas: list[str], settings: CommonSettings) -> str:
    now = int(time.time())
    claims = {
        "sub": "bench",
        "kind": "person",
        "roles": ["admin"],
        "areas": areas,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 3600,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "bench"})


def _normalise_endpoint(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "zones_year": body["zones_year"],
        "crops": {
            crop: [
                round(v["area_ha"] * 10_000),
                round(v["certified_area_ha"] * 10_000),
                round(v["linked_area_ha"] * 10_000),
            ]
            for crop, v in body["zones_by_crop"].items()
        },
        "projects": body["projects"]["count"],
        "cost": body["projects"]["total_cost_vnd"],
        "support": body["projects"]["state_support_vnd"],
        "by_year": body["projects"]["disbursed_by_year"],
        "facilities": [body["facilities"]["count"], body["facilities"]["jobs"]],
        "ocop": [
            body["ocop"]["count"],
            *(body["ocop"]["by_stars"][str(s)] for s in range(1, 6)),
            body["ocop"]["expiring_within_90_days"],
        ],
    }


def _normalise_raw(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "zones_year": row["zones_year"],
        "crops": json.loads(row["crops"] or "{}"),
        "projects": row["projects"],
        "cost": int(row["total_cost_vnd"]),
        "support": int(row["state_support_vnd"]),
        "by_year": {
            str(k): int(v) for k, v in json.loads(row["disbursed_by_year"] or "{}").items()
        },
        "facilities": [row["facilities"], int(row["jobs"])],
        "ocop": json.loads(row["ocop"]),
    }


async def _median_ms(
    runs: int, first: Callable[[], Awaitable[Any]], second: Callable[[], Awaitable[Any]]
) -> tuple[float, float]:
    """Alternate the two, after a warm-up of each, so that both see the same machine."""
    for _ in range(2):
        await first()
        await second()
    a, b = [], []
    for _ in range(runs):
        started = time.perf_counter()
        await first()
        a.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        await second()
        b.append((time.perf_counter() - started) * 1000)
    return statistics.median(a), statistics.median(b)


async def measure(url: str, runs: int) -> None:
    settings = Settings(database_url=url)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    verifier = TokenVerifier(
        KeyStore({"bench": key.public_key()}),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    db = Database(async_url(url), SCHEMA, pool_size=4)
    app = create_app(settings, db=db, verifier=verifier)
    raw = await asyncpg.connect(url, server_settings={"search_path": SCHEMA})
    transport = httpx.ASGITransport(app=app)
    today = today_vn()
    window = (today, today + dt.timedelta(days=90))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            one_commune = sorted(admin_units().all_current_communes)[0]
            for label, areas, communes in (
                ("province admin (area 15)", ["15"], None),
                (f"officer of commune {one_commune}", [one_commune], [one_commune]),
            ):
                headers = {"Authorization": f"Bearer {_token(key, areas, settings)}"}

                async def endpoint(headers: dict[str, str] = headers) -> dict[str, Any]:
                    answer = await client.get(REPORT, headers=headers)
                    answer.raise_for_status()
                    return dict(answer.json())

                sql = raw_sql(communes is not None)

                async def query(
                    communes: list[str] | None = communes, sql: str = sql
                ) -> asyncpg.Record:
                    extra = [] if communes is None else [communes]
                    return await raw.fetchrow(sql, *window, *extra)

                agree = _normalise_endpoint(await endpoint()) == _normalise_raw(await query())
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


async def main_async(server: str, scale: float, runs: int) -> None:
    name = f"mtqg_bench_production_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{server.rpartition('/')[0]}/{name}"
    try:
        await asyncio.to_thread(upgrade, "production", url)
        volumes = Volumes(scale)
        print(f"loading into {name} (scale {scale}):", flush=True)
        conn = await asyncpg.connect(url, server_settings={"search_path": SCHEMA})
        try:
            # A bulk load of consistent data: skip the per-row foreign-key triggers.
            await conn.execute("SET session_replication_role = replica")
            await bulk_load(conn, volumes)
        finally:
            await conn.close()
        await measure(url, runs)
    finally:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.close()
        print(f"dropped {name}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: the full volumes")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    server = args.postgres.replace("postgresql+asyncpg://", "postgresql://")
    asyncio.run(main_async(server, args.scale, args.runs))


if __name__ == "__main__":
    main()
