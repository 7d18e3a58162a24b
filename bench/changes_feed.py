"""Benchmark: how many changes a follower of the housing change feed reads per second, at
1,000,000 change rows, against the raw SQL of the same pages, on PostgreSQL.

    .venv/bin/python -m bench.changes_feed \\
        --postgres postgresql://postgres@127.0.0.1:5432/postgres [--scale 1.0] [--runs 5]

Creates a throwaway database, migrates the housing schema, bulk-loads (COPY) 100,000 cases
and 1,000,000 change rows of them (ten per case: nine superseded, the latest kept; times
--scale), then follows `GET /api/v1/housing/changes?limit=200` for ten pages from the feed's
start and from 90% of the way in (the app in-process, a real signed token), against the same
pages in raw SQL with asyncpg: the page of change rows below the head, each case's answer
(its columns, its funding by source and its norm: what its GET reads) and the JSON of the
page. Both sides are checked to hold the same records first. It prints the changes read per
second of each side and their ratio, interleaved in one run, then drops the database.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import time
import uuid
from functools import partial
from typing import Any

import asyncpg
import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.common import admin_token
from bench.housing_report import _admin, _rows, _timed
from housing.app import create_app
from housing.config import Settings
from mtqg_shared.auth import KeyStore, Principal, TokenVerifier
from mtqg_shared.db import Database
from mtqg_shared.kit.changes import encode_position
from mtqg_shared.migrations import upgrade
from mtqg_shared.settings import async_url

CASES = 100_000
CHANGES = 1_000_000
PAGE = 200
PAGES = 10
FEED = "/api/v1/housing/changes"
SOURCES = ("central_budget", "local_budget", "mobilised", "household", "loan")

# The raw side: the page of change rows, then what each case's GET answers, by hand.
RAW_PAGE = """
SELECT seq, at, resource, entity_type, entity_id, path FROM changes
WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3
"""
RAW_CASES = f"""
SELECT c.*, {
    ", ".join(
        f"(SELECT coalesce(sum(f.amount_vnd), 0)::bigint FROM funding_entries f "
        f"WHERE f.case_id = c.id AND f.source = '{s}') AS {s}"
        for s in SOURCES
    )
},
  (SELECT n.amount_vnd FROM norms n WHERE n.beneficiary_group = c.beneficiary_group
     AND n.support_type = c.support_type AND n.valid_from <= c.registered_on
   ORDER BY n.valid_from DESC LIMIT 1) AS norm_vnd
FROM cases c WHERE c.id = ANY($1::uuid[])
"""


def _change_rows(cases: list[dict[str, Any]], n_changes: int) -> list[tuple[Any, ...]]:
    """`n_changes` rows over the cases in turn: each case's last row is its latest."""
    at = dt.datetime(2025, 11, 1, tzinfo=dt.UTC)
    last_of = {i % len(cases): i for i in range(max(0, n_changes - len(cases)), n_changes)}
    rows = []
    for i in range(n_changes):
        case = cases[i % len(cases)]
        latest = last_of.get(i % len(cases)) == i
        rows.append(
            (
                i + 1,
                at + dt.timedelta(seconds=i),
                "cases",
                "case",
                str(case["id"]),
                f"/api/v1/housing/cases/{case['id']}",
                f" {case['commune_code']} ",
                None if latest else at + dt.timedelta(seconds=i + len(cases)),
            )
        )
    return rows


async def _load(url: str, scale: float) -> int:
    n_cases = max(100, int(CASES * scale))
    cases, steps, entries = _rows(n_cases, n_cases * 2)
    changes = _change_rows(cases, max(1000, int(CHANGES * scale)))
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
        await conn.copy_records_to_table(
            "changes",
            records=changes,
            columns=[
                "seq",
                "at",
                "resource",
                "entity_type",
                "entity_id",
                "path",
                "communes",
                "superseded_at",
            ],
        )
        await conn.execute("VACUUM ANALYZE")
        print(
            f"loaded {len(cases):,} cases, {len(entries):,} funding entries and "
            f"{len(changes):,} change rows by COPY in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    finally:
        await conn.close()
    return len(changes)


def _json(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date | uuid.UUID):
        return str(value)
    return value


async def _raw_pages(raw: asyncpg.Connection, after: int) -> list[dict[str, Any]]:
    """`PAGES` pages from `after` as a hand-written follower would read them."""
    items: list[dict[str, Any]] = []
    head = await raw.fetchval("SELECT max(seq) FROM changes")
    for _ in range(PAGES):
        rows = await raw.fetch(RAW_PAGE, after, head, PAGE)
        if not rows:
            break
        latest = {r["entity_id"]: r for r in rows}
        found = await raw.fetch(RAW_CASES, [uuid.UUID(i) for i in latest])
        cases = {str(r["id"]): r for r in found}
        page = []
        for id_, row in latest.items():
            case = cases[id_]
            record = {k: _json(v) for k, v in case.items() if k not in SOURCES}
            record["funding_vnd"] = {s: case[s] for s in SOURCES}
            page.append(
                {
                    "seq": row["seq"],
                    "resource": row["resource"],
                    "id": id_,
                    "action": "upsert",
                    "at": _json(row["at"]),
                    "record": record,
                }
            )
        json.dumps({"items": page, "next_cursor": str(rows[-1]["seq"])})
        items.extend(page)
        after = rows[-1]["seq"]
    return items


async def _bench(url: str, total: int, runs: int) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    verifier = TokenVerifier(
        KeyStore({"bench": key.public_key()}), issuer="mtqg-gateway", audience="mtqg-api"
    )
    token = admin_token(key)
    principal = Principal.build("bench", "person", roles=["admin"], areas=["15"])
    db = Database(async_url(url), "housing", pool_size=4)
    app = create_app(Settings(database_url=url, access_log=False), db=db, verifier=verifier)
    raw = await asyncpg.connect(url, server_settings={"search_path": "housing"})
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://bench",
            headers={"Authorization": f"Bearer {token}"},
        ) as client:

            async def follow(after: int) -> list[dict[str, Any]]:
                cursor = encode_position(after, principal)
                items: list[dict[str, Any]] = []
                for _ in range(PAGES):
                    answer = await client.get(FEED, params={"limit": PAGE, "cursor": cursor})
                    assert answer.status_code == 200, answer.text
                    page = answer.json()
                    if not page["items"]:
                        break
                    items.extend(page["items"])
                    cursor = page["next_cursor"]
                return items

            for label, after in (("from the start", 0), ("90% in", int(total * 0.9))):
                ours, theirs = await follow(after), await _raw_pages(raw, after)
                assert [i["id"] for i in ours] == [i["id"] for i in theirs]
                for a, b in zip(ours, theirs, strict=True):
                    assert a["record"]["funding_vnd"] == b["record"]["funding_vnd"]
                    assert a["record"]["version"] == b["record"]["version"]
                read = len(ours)
                endpoint, sql = await _timed(
                    runs, partial(follow, after), partial(_raw_pages, raw, after)
                )
                print(
                    f"follower {label} ({PAGES} pages of {PAGE}, {read:,} changes): "
                    f"endpoint {read / endpoint * 1000:,.0f} changes/s ({endpoint:.0f} ms) | "
                    f"raw SQL {read / sql * 1000:,.0f} changes/s ({sql:.0f} ms) | "
                    f"ratio {endpoint / sql:.1f}",
                    flush=True,
                )
    finally:
        await raw.close()
        await db.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server URL (a database on it)",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="shrink (or grow) the volumes")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each side")
    args = parser.parse_args(argv)
    server = args.postgres.replace("postgresql+asyncpg://", "postgresql://")
    name = f"mtqg_bench_changes_{uuid.uuid4().hex[:10]}"
    base, _, _ = server.rpartition("/")
    url = f"{base}/{name}"
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    try:
        upgrade("housing", url)
        total = asyncio.run(_load(url, args.scale))
        asyncio.run(_bench(url, total, args.runs))
    finally:
        asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        print(f"dropped {name}")


if __name__ == "__main__":
    main()
