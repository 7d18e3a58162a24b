"""The labour overview endpoint against the same aggregate as one raw SQL query, side by side
in one run, on PostgreSQL.

    .venv/bin/python -m bench.labour_report \\
        --postgres postgresql://postgres@127.0.0.1:5432/postgres [--scale 1.0] [--runs 15]

Creates a throwaway database, migrates the labour schema, bulk-loads 200,000 workers (half
given in the old geography), 100,000 placements in every status, 2,000,000 remittances, 5,000
outreach events and 600 commune profiles (INSERT ... SELECT generate_series, server side), times
`GET /api/v1/labour/reports/overview` in-process (httpx.ASGITransport, a real signed token)
and the raw query, alternating, and prints the median of each and their ratio for four cases:
the province for 2024 and for all years (a province admin: no area condition), an old district
(083) for 2024, and the province for 2024 as an officer of one commune (every record checked
for being readable). The database is dropped at the end.
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
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from labour.app import create_app
from labour.config import Settings
from mtqg_shared.admin_units import GEO_NEW, GEO_OLD, admin_units
from mtqg_shared.auth import KeyStore, TokenVerifier
from mtqg_shared.db import Database
from mtqg_shared.migrations import upgrade
from mtqg_shared.settings import async_url

REPORT = "/api/v1/labour/reports/overview"
WORKERS, PLACEMENTS, REMITTANCES, EVENTS = 200_000, 100_000, 2_000_000, 5_000
COUNTRIES = "ARRAY['TW','TW','TW','KR','KR','JP','JP','JP','MY','DE']"
POVERTY = "ARRAY['poor','near_poor','escaped','none','unknown']"
# Placement statuses by g % 10, with their dates (days after registration).
STATUS = (
    "(ARRAY['registered','training','documents','withdrawn','departed','working',"
    "'working','broke_contract','returned','returned'])[1 + g % 10]"
)


def raw_sql(condition: str, by_year: bool) -> str:
    """The overview as one query written by hand, with the same meaning as the endpoint's.
    With `by_year`: $1..$2 the year's first and last day, $3..$4 its first and last month.
    `condition` is the area/readable filter on workers `w` (with none, remittances need no
    worker)."""
    workers = (
        ""
        if condition == "TRUE"
        else "JOIN placements p ON p.id = r.placement_id JOIN workers w ON w.id = p.worker_id"
    )
    if by_year:
        departed = "p.departed_on BETWEEN $1 AND $2"
        preparing = (
            "(p.departed_on IS NULL OR p.departed_on > $2)"
            " AND (p.withdrawn_on IS NULL OR p.withdrawn_on > $2)"
        )
        abroad = "p.departed_on <= $2 AND (p.returned_on IS NULL OR p.returned_on > $2)"
        returned = "p.returned_on BETWEEN $1 AND $2"
        registered, months, held = (
            "p.registered_on <= $2",
            "r.month BETWEEN $3 AND $4",
            ("held_on BETWEEN $1 AND $2"),
        )
        year = "extract(year FROM $2::date)"
    else:
        departed = "p.departed_on IS NOT NULL"
        preparing = "p.status IN ('registered', 'training', 'documents')"
        abroad = "p.status IN ('departed', 'working', 'broke_contract')"
        returned = "p.status = 'returned'"
        registered, months, held = "TRUE", "TRUE", "TRUE"
        year = f"(SELECT max(year) FROM commune_profiles w WHERE {condition})"
    return f"""
WITH
p AS (
    SELECT p.destination_country AS country,
        count(*) FILTER (WHERE {departed}) AS departures,
        count(*) FILTER (WHERE {departed}
                         AND w.household_poverty IN ('poor', 'near_poor')) AS poor,
        sum(p.monthly_salary_vnd) FILTER (WHERE {departed}) AS salary,
        count(p.monthly_salary_vnd) FILTER (WHERE {departed}) AS salaried,
        count(*) FILTER (WHERE {preparing}) AS in_preparation,
        count(*) FILTER (WHERE {abroad}) AS abroad,
        count(*) FILTER (WHERE {returned}) AS returned
    FROM placements p JOIN workers w ON w.id = p.worker_id
    WHERE {registered} AND {condition}
    GROUP BY p.destination_country
),
r AS (
    SELECT r.destination_country AS country, sum(r.amount_vnd) AS amount
    FROM remittances r {workers}
    WHERE {months} AND {condition}
    GROUP BY r.destination_country
),
e AS (
    SELECT count(*) AS events, coalesce(sum(participants), 0) AS participants
    FROM outreach_events w WHERE {held} AND {condition}
),
f AS (
    SELECT count(*) AS n, sum(households) AS households, sum(working_age) AS working_age,
        sum(employed_elsewhere) AS elsewhere, sum(poor_households) AS poor,
        sum(near_poor_households) AS near_poor
    FROM commune_profiles w WHERE year = {year} AND {condition}
)
SELECT (SELECT json_agg(p) FROM p), (SELECT json_agg(r) FROM r),
       (SELECT row_to_json(e) FROM e), (SELECT row_to_json(f) FROM f)
"""


async def load(conn: asyncpg.Connection, scale: float) -> dict[str, int]:
    """Bulk-load the volumes, generated by the server (no row crosses the wire), with the
    foreign-key triggers off while loading (the generated keys are right by construction) and
    the remittances' plain indexes built once at the end rather than row by row."""

    async def step(label: str, sql: str, *args: Any) -> None:
        started = time.perf_counter()
        await conn.execute(sql, *args)
        print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)

    units = admin_units()
    rows: list[tuple[str, str | None, str | None, str | None]] = [
        (c.code, c.successor_code, c.code, c.parent_code)
        for c in units.list(GEO_OLD, level="commune")
    ]
    rows += [(c.code, c.code, None, None) for c in units.list(GEO_NEW, level="commune")]
    await conn.execute("SET session_replication_role = replica")
    await conn.execute(
        "CREATE TEMP TABLE places (i int, commune_code text, legacy_commune_code text,"
        " legacy_district_code text)"
    )
    await conn.copy_records_to_table(
        "places", records=[(i, r[1], r[2], r[3]) for i, r in enumerate(rows)]
    )
    n = {
        "workers": int(WORKERS * scale),
        "placements": int(PLACEMENTS * scale),
        "remittances": int(REMITTANCES * scale),
        "events": int(EVENTS * scale),
        "places": len(rows),
    }
    await step(
        "workers",
        f"""
        INSERT INTO workers (id, created_at, updated_at, created_by, version, commune_code,
            legacy_commune_code, legacy_district_code, national_id, full_name, name_folded,
            date_of_birth, gender, household_code, household_poverty)
        SELECT md5('w' || g)::uuid, now(), now(), 'bench', 1, u.commune_code,
            u.legacy_commune_code, u.legacy_district_code, lpad(g::text, 12, '0'),
            'Worker ' || g, 'worker ' || g, date '1975-01-01' + g % 9000,
            CASE WHEN g % 3 = 0 THEN 'female' ELSE 'male' END, 'H-' || g,
            ({POVERTY})[1 + g % 5]
        FROM generate_series(1, $1) g JOIN places u ON u.i = g % $2
        """,
        n["workers"],
        n["places"],
    )
    # Registered 2019-2024; departed 90 days after registration, back 700 days later.
    await step(
        "placements",
        f"""
        INSERT INTO placements (id, created_at, updated_at, created_by, version, worker_id,
            destination_country, scheme, registered_on, status, last_step_on, departed_on,
            returned_on, withdrawn_on, monthly_salary_vnd)
        SELECT md5('p' || g)::uuid, now(), now(), 'bench', 1, md5('w' || g)::uuid,
            ({COUNTRIES})[1 + g % 10], 'contract', reg, {STATUS}, reg,
            CASE WHEN g % 10 >= 4 THEN reg + 90 END,
            CASE WHEN g % 10 >= 8 THEN reg + 790 END,
            CASE WHEN g % 10 = 3 THEN reg + 30 END,
            CASE WHEN g % 7 <> 0 THEN 30000000 + (g % 21) * 500000 END
        FROM generate_series(1, $1) g, LATERAL (SELECT date '2019-01-01' + (g * 7) % 2100 AS reg) d
        """,
        n["placements"],
    )
    indexes = await conn.fetch(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'labour' AND i.tablename = 'remittances'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """
    )
    for index in indexes:
        await conn.execute(f'DROP INDEX "{index["indexname"]}"')
    await step(
        "remittances",
        """
        INSERT INTO remittances (id, created_at, updated_at, created_by, version, placement_id,
            month, destination_country, amount_vnd)
        SELECT gen_random_uuid(), now(), now(), 'bench', 1, p.id,
            to_char(p.departed_on + make_interval(months => m + 1), 'YYYY-MM'),
            p.destination_country, 20000000 + (m % 11) * 1000000
        FROM placements p CROSS JOIN generate_series(0, 35) m
        WHERE p.departed_on IS NOT NULL
        LIMIT $1
        """,
        n["remittances"],
    )
    await step(
        "outreach events",
        """
        INSERT INTO outreach_events (id, created_at, updated_at, created_by, version,
            commune_code, legacy_commune_code, legacy_district_code, held_on, topic,
            participants, registered_interest)
        SELECT gen_random_uuid(), now(), now(), 'bench', 1, u.commune_code,
            u.legacy_commune_code, u.legacy_district_code, date '2019-01-01' + g % 2100,
            'Outreach', 50 + g % 100, g % 50
        FROM generate_series(1, $1) g JOIN places u ON u.i = g % $2
        """,
        n["events"],
        n["places"],
    )
    await step(
        "commune profiles",
        """
        INSERT INTO commune_profiles (id, created_at, updated_at, created_by, version,
            commune_code, legacy_commune_code, legacy_district_code, unit_code, geography,
            year, population, households, working_age, employed_elsewhere, poor_households,
            near_poor_households)
        SELECT gen_random_uuid(), now(), now(), 'bench', 1, u.commune_code, NULL, NULL,
            u.commune_code, '2025-07', y, 10000, 2500, 6000, 1200, 500, 400
        FROM (SELECT DISTINCT commune_code FROM places) u, generate_series(2019, 2024) y
        """,
    )
    for index in indexes:
        await step(f"index {index['indexname']}", index["indexdef"])
    await conn.execute("SET session_replication_role = DEFAULT")
    # Set hint bits and the visibility map now, not during the first timed runs.
    await step("vacuum analyze", "VACUUM ANALYZE")
    n["remittances"] = await conn.fetchval("SELECT count(*) FROM remittances")
    n["profiles"] = await conn.fetchval("SELECT count(*) FROM commune_profiles")
    return n


@dataclass(frozen=True, slots=True)
class Scenario:
    label: str
    params: dict[str, str]
    areas: tuple[str, ...]
    condition: str


def scenarios() -> list[Scenario]:
    district = admin_units().resolve_area("083")
    legacy = ", ".join(f"'{c}'" for c in sorted(district.legacy_communes))
    return [
        Scenario("province 2024, province admin", {"year": "2024"}, ("15",), "TRUE"),
        Scenario("province all years, province admin", {}, ("15",), "TRUE"),
        Scenario(
            "old district 083, 2024",
            {"area_code": "083", "year": "2024"},
            ("15",),
            f"w.legacy_commune_code IN ({legacy})",
        ),
        Scenario(
            "province 2024, officer of one commune",
            {"year": "2024"},
            ("02782",),
            "w.commune_code IN ('02782')",
        ),
    ]


def token(key: Any, areas: tuple[str, ...], settings: Settings) -> str:
    now = int(time.time())
    claims = {
        "sub": "bench",
        "kind": "person",
        "roles": ["admin"],
        "areas": list(areas),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 3600,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "bench"})


def agree(report: dict[str, Any], row: Any) -> None:
    """The endpoint and the raw query must give the same figures, or the timing means
    nothing."""
    placements = json.loads(row[0] or "[]")
    remittances = json.loads(row[1] or "[]")
    raw = {
        "departures": sum(r["departures"] for r in placements),
        "in_preparation": sum(r["in_preparation"] for r in placements),
        "abroad": sum(r["abroad"] for r in placements),
        "returned": sum(r["returned"] for r in placements),
        "remittances_vnd": sum(r["amount"] for r in remittances),
        "events": json.loads(row[2])["events"],
    }
    served = {
        "departures": report["departures"]["total"],
        "in_preparation": report["in_preparation"],
        "abroad": report["abroad"],
        "returned": report["returned"],
        "remittances_vnd": report["remittances_vnd"],
        "events": report["outreach"]["events"],
    }
    if raw != served:
        raise SystemExit(f"the endpoint and the raw query disagree: {served} vs {raw}")


async def timed(call: Callable[[], Awaitable[Any]], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    return times


async def run(server: str, scale: float, runs: int) -> None:
    name = f"labour_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = server.rpartition("/")
    url = f"{base}/{name}"
    try:
        await asyncio.to_thread(upgrade, "labour", url)
        conn = await asyncpg.connect(url, server_settings={"search_path": "labour"})
        try:
            started = time.perf_counter()
            counts = await load(conn, scale)
            print(f"loaded {counts} in {time.perf_counter() - started:.1f} s", flush=True)
            await compare(url, conn, runs)
        finally:
            await conn.close()
    finally:
        await admin.execute(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        )
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.close()


async def compare(url: str, conn: asyncpg.Connection, runs: int) -> None:
    settings = Settings(database_url=url)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    verifier = TokenVerifier(
        KeyStore({"bench": key.public_key()}),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    db = Database(async_url(url), "labour")
    app = create_app(settings, db=db, verifier=verifier)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            print(f"{'case':40} {'endpoint ms':>12} {'raw SQL ms':>11} {'ratio':>6}")
            for case in scenarios():
                headers = {"Authorization": f"Bearer {token(key, case.areas, settings)}"}
                year = int(case.params.get("year", "0"))
                args: tuple[Any, ...] = (
                    (dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}-01", f"{year}-12")
                    if year
                    else ()
                )
                sql = raw_sql(case.condition, by_year=bool(year))

                async def endpoint(
                    params: dict[str, str] = case.params, headers: dict[str, str] = headers
                ) -> None:
                    answer = await client.get(REPORT, params=params, headers=headers)
                    answer.raise_for_status()

                async def raw(sql: str = sql, args: tuple[Any, ...] = args) -> None:
                    # fetch, not fetchrow: a row limit would keep PostgreSQL from running the
                    # query in parallel, which the endpoint's queries may do.
                    await conn.fetch(sql, *args)

                # Warm caches and the pool once, and check that both count the same.
                answer = await client.get(REPORT, params=case.params, headers=headers)
                answer.raise_for_status()
                row = await conn.fetchrow(sql, *args)
                agree(answer.json(), row)
                api_times: list[float] = []
                sql_times: list[float] = []
                for _ in range(runs):  # alternate, so both see the same machine load
                    api_times += await timed(endpoint, 1)
                    sql_times += await timed(raw, 1)
                api, sql_ms = statistics.median(api_times), statistics.median(sql_times)
                print(f"{case.label:40} {api:12.1f} {sql_ms:11.1f} {api / sql_ms:6.2f}", flush=True)
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--postgres", required=True, help="a server URL (any database)")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the volumes")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    asyncio.run(run(args.postgres, args.scale, args.runs))


if __name__ == "__main__":
    main()
