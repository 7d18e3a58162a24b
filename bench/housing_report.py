"""Benchmark: the housing progress report and case lists on PostgreSQL, at province scale.

    .venv/bin/python -m bench.housing_report \
        --postgres postgresql://postgres@127.0.0.1:5432/postgres [--scale 1.0] [--runs 15]

Creates a throwaway database, migrates it, bulk-loads 100,000 cases (with their status steps)
and 400,000 funding entries by COPY (times --scale), then times side by side, interleaved in
one run:
  1. GET /reports/progress for the province (through the app in-process, with a token)
     against the same aggregate written as one hand-written SQL query;
  2. the same as of a past date (statuses from the step history, money cut at the date);
  3. a list page deep in the collection (90% of the way, by cursor) against the first page.
It prints the median of each and the ratios, then drops the database.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.common import admin_token
from housing.app import create_app
from housing.config import Settings
from mtqg_shared.admin_units import GEO_OLD, REORGANISED_ON, admin_units
from mtqg_shared.auth import KeyStore, TokenVerifier
from mtqg_shared.db import Database
from mtqg_shared.migrations import upgrade
from mtqg_shared.pagination import encode_cursor
from mtqg_shared.settings import async_url

CASES = 100_000
ENTRIES = 400_000
PATH = ("registered", "surveyed", "approved", "in_progress", "completed", "handed_over")
SOURCES = ("central_budget", "local_budget", "mobilised", "household", "loan")
GROUPS = ("meritorious", "poor", "near_poor", "disaster", "other")
TODAY = dt.date(2025, 11, 30)
PAST = dt.date(2025, 3, 31)

STATUSES = (*PATH, "cancelled")


# The same aggregate as a person would write it by hand: cases by commune (from the steps in
# force on the date, for a past date), money by commune, joined.
def _raw(cases_from: str, money_where: str) -> str:
    statuses = ", ".join(f"count(*) FILTER (WHERE status = '{s}') AS {s}" for s in STATUSES)
    money = ", ".join(f"sum(amount_vnd) FILTER (WHERE source = '{s}') AS {s}" for s in SOURCES)
    return f"""
WITH counts AS (
    SELECT code, {statuses},
           count(*) FILTER (WHERE support_type = 'new_build') AS new_build,
           count(*) FILTER (WHERE support_type = 'repair') AS repair
    FROM ({cases_from}) c GROUP BY code
), money AS (
    SELECT commune_code AS code, {money} FROM funding_entries {money_where} GROUP BY commune_code
)
SELECT counts.*, {", ".join(f"coalesce(money.{s}, 0)" for s in SOURCES)}
FROM counts LEFT JOIN money USING (code)
ORDER BY code
"""


RAW_CURRENT = _raw("SELECT commune_code AS code, status, support_type FROM cases", "")
RAW_PAST = _raw(
    "SELECT k.commune_code AS code, t.to_status AS status, k.support_type"
    " FROM case_transitions t JOIN cases k ON k.id = t.case_id"
    " WHERE t.on_date <= $1 AND (t.superseded_on IS NULL OR t.superseded_on > $1)",
    "WHERE on_date <= $1",
)


def _rows(n_cases: int, n_entries: int, seed: int = 84) -> tuple[list[Any], list[Any], list[Any]]:
    """Cases over every commune (40% given in the old geography), their steps, their money;
    as dicts by column name, turned into COPY records by the caller."""
    rng = random.Random(seed)
    units = admin_units()
    new_communes = sorted(units.all_current_communes)
    old_communes = [u.code for u in units.list(GEO_OLD, level="commune")]
    start = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    span_days = (TODAY - dt.date(2023, 1, 1)).days
    cases: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []

    def record(at: dt.datetime, version: int = 1) -> dict[str, Any]:
        return {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "created_at": at,
            "updated_at": at,
            "created_by": "bench",
            "version": version,
        }

    for i in range(n_cases):
        created = start + dt.timedelta(seconds=i * (span_days * 86400 // n_cases))
        if rng.random() < 0.4:
            placed = units.place_commune(rng.choice(old_communes), GEO_OLD)
            registered = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(900))
            registered = min(registered, REORGANISED_ON - dt.timedelta(days=1))
            geography = "2025-01"
        else:
            placed = units.place_commune(rng.choice(new_communes), "2025-07")
            registered = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(span_days))
            geography = "2025-07"
        reach = rng.choice((0, 1, 2, 3, 4, 4, 5, 5, 5))
        on = registered
        chain: list[tuple[str | None, str, dt.date]] = [(None, "registered", on)]
        for k in range(1, reach + 1):
            on = min(on + dt.timedelta(days=rng.randrange(1, 40)), TODAY)
            chain.append((PATH[k - 1], PATH[k], on))
        if reach < 4 and rng.random() < 0.05:
            on = min(on + dt.timedelta(days=3), TODAY)
            chain.append((chain[-1][1], "cancelled", on))
        case = record(created, version=len(chain)) | {
            "updated_at": created + dt.timedelta(minutes=len(chain)),
            "commune_code": placed.commune_code,
            "legacy_commune_code": placed.legacy_commune_code,
            "legacy_district_code": placed.legacy_district_code,
            "household_code": f"B{i:08d}",
            "head_of_household": f"Household {i}",
            "village": None,
            "geography": geography,
            "beneficiary_group": rng.choice(GROUPS),
            "support_type": "new_build" if rng.random() < 0.6 else "repair",
            "registered_on": registered,
            "notes": None,
            "status": chain[-1][1],
            "status_on": chain[-1][2],
            "completed_on": next((d for _, s, d in chain if s == "completed"), None),
            "handed_over_on": next((d for _, s, d in chain if s == "handed_over"), None),
        }
        cases.append(case)
        for seq, (before, after, day) in enumerate(chain, start=1):
            steps.append(
                record(created + dt.timedelta(minutes=seq))
                | {
                    "case_id": case["id"],
                    "seq": seq,
                    "from_status": before,
                    "to_status": after,
                    "on_date": day,
                    "superseded_on": chain[seq][2] if seq < len(chain) else None,
                    "note": None,
                }
            )
    for j in range(n_entries):
        case = cases[rng.randrange(n_cases)]
        registered = case["registered_on"]
        day = registered + dt.timedelta(days=rng.randrange(max(1, (TODAY - registered).days)))
        entries.append(
            record(case["created_at"] + dt.timedelta(hours=1, seconds=j % 3600))
            | {
                "case_id": case["id"],
                "commune_code": case["commune_code"],
                "legacy_commune_code": case["legacy_commune_code"],
                "legacy_district_code": case["legacy_district_code"],
                "source": rng.choice(SOURCES),
                "amount_vnd": rng.randrange(1_000_000, 60_000_000),
                "on_date": day,
                "note": None,
                "reverses_id": None,
            }
        )
    return cases, steps, entries


async def _admin(server: str, statement: str) -> None:
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def _load(url: str, scale: float, log: Callable[[str], None]) -> None:
    started = time.perf_counter()
    cases, steps, entries = _rows(max(100, int(CASES * scale)), max(400, int(ENTRIES * scale)))
    log(
        f"generated {len(cases):,} cases, {len(steps):,} steps, {len(entries):,} entries "
        f"in {time.perf_counter() - started:.1f} s"
    )
    conn = await asyncpg.connect(url, server_settings={"search_path": "housing"})
    try:
        started = time.perf_counter()
        for table, rows in (
            ("cases", cases),
            ("case_transitions", steps),
            ("funding_entries", entries),
        ):
            columns = list(rows[0])
            records = [tuple(row[c] for c in columns) for row in rows]
            await conn.copy_records_to_table(table, records=records, columns=columns)
        # Steady state: hint bits set and statistics fresh, as on a database in service.
        await conn.execute("VACUUM ANALYZE")
        log(f"loaded by COPY in {time.perf_counter() - started:.1f} s")
    finally:
        await conn.close()


async def _timed(runs: int, *jobs: Callable[[], Awaitable[Any]]) -> list[float]:
    """Median ms of each job, run interleaved (A B A B ...) after one warm-up each."""
    for job in jobs:
        await job()
    samples: list[list[float]] = [[] for _ in jobs]
    for _ in range(runs):
        for k, job in enumerate(jobs):
            started = time.perf_counter()
            await job()
            samples[k].append((time.perf_counter() - started) * 1000)
    return [statistics.median(s) for s in samples]


async def _bench(url: str, runs: int, log: Callable[[str], None]) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    verifier = TokenVerifier(
        KeyStore({"bench": key.public_key()}), issuer="mtqg-gateway", audience="mtqg-api"
    )
    token = admin_token(key)
    db = Database(async_url(url), "housing", pool_size=4)
    app = create_app(Settings(database_url=url, access_log=False), db=db, verifier=verifier)
    raw = await asyncpg.connect(url, server_settings={"search_path": "housing"})
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", headers=headers
        ) as client:

            async def get(path: str, params: dict[str, str]) -> Any:
                answer = await client.get(path, params=params)
                assert answer.status_code == 200, answer.text
                return answer.json()

            report = "/api/v1/housing/reports/progress"
            today = (await get(report, {}))["as_of"]
            current = dt.date.fromisoformat(today)
            answer = await get(report, {})
            rows = await raw.fetch(RAW_CURRENT)
            _same(answer, rows)
            past_answer = await get(report, {"as_of": PAST.isoformat()})
            _same(past_answer, await raw.fetch(RAW_PAST, PAST))
            log(
                f"report checked against raw SQL: {answer['totals']['cases']:,} cases, "
                f"{answer['totals']['total_funding_vnd']:,} VND"
            )
            assert current >= TODAY, "the bench data ends on 2025-11-30"

            endpoint, sql = await _timed(
                runs, lambda: get(report, {}), lambda: raw.fetch(RAW_CURRENT)
            )
            log(_line("province report, today", endpoint, sql))
            past = {"as_of": PAST.isoformat()}
            endpoint, sql = await _timed(
                runs, lambda: get(report, past), lambda: raw.fetch(RAW_PAST, PAST)
            )
            log(_line(f"province report, as of {PAST}", endpoint, sql))

            total = await raw.fetchval("SELECT count(*) FROM cases")
            deep_at = await raw.fetchrow(
                "SELECT created_at, id FROM cases "
                "ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1",
                int(total * 0.9),
            )
            cursor = encode_cursor(deep_at["created_at"], deep_at["id"])
            cases = "/api/v1/housing/cases"
            first, deep = await _timed(
                runs,
                lambda: get(cases, {"limit": "50"}),
                lambda: get(cases, {"limit": "50", "cursor": cursor}),
            )
            log(
                f"case list, 50 a page: first page {first:.1f} ms | page at 90% "
                f"({int(total * 0.9):,} in) {deep:.1f} ms | ratio {deep / first:.2f}"
            )
    finally:
        await raw.close()
        await db.dispose()


def _line(what: str, endpoint: float, sql: float) -> str:
    return f"{what}: endpoint {endpoint:.1f} ms | raw SQL {sql:.1f} ms | ratio {endpoint / sql:.2f}"


def _same(answer: dict[str, Any], rows: list[Any]) -> None:
    """The endpoint and the raw SQL must agree before their times mean anything."""
    by_code = {row["code"]: row for row in answer["rows"]}
    assert len(by_code) == len(rows)
    for record in rows:
        row = by_code[record[0]]
        values = list(record)[1:]
        assert [row["by_status"][s] for s in STATUSES] == values[:7]
        assert [row["new_build"], row["repair"]] == values[7:9]
        assert [row["funding_vnd"][s] for s in SOURCES] == [int(v) for v in values[9:]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres", required=True, help="a PostgreSQL server URL (a database on it)"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="shrink (or grow) the volumes")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each side")
    args = parser.parse_args(argv)
    server = args.postgres.replace("postgresql+asyncpg://", "postgresql://")
    name = f"mtqg_bench_housing_{uuid.uuid4().hex[:10]}"
    base, _, _ = server.rpartition("/")
    url = f"{base}/{name}"
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    try:
        upgrade("housing", url)
        asyncio.run(_load(url, args.scale, print))
        asyncio.run(_bench(url, args.runs, print))
    finally:
        asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        print(f"dropped {name}")


if __name__ == "__main__":
    main()
