"""The gender overview endpoint against the same aggregate as one raw SQL query, side by side
in one run, on PostgreSQL.

    .venv/bin/python -m bench.gender_report \\
        --postgres postgresql://postgres@127.0.0.1:5432/postgres [--scale 1.0] [--runs 15]

Creates a throwaway database, migrates the gender schema, bulk-loads (COPY) 100,000
activities, 5,000 community models, 10,000 materials and 50,000 spending entries (three in
ten given in the 2025-01 geography), times `GET /api/v1/gender/reports/overview?year=2025`
in-process (httpx.ASGITransport, a real signed token) and the raw query, alternating, and
prints the median of each and their ratio for a province admin and for an officer of one
commune. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.production_data import _places, _record_columns
from bench.production_report import _median_ms, _token
from gender.app import create_app
from gender.config import Settings
from gender.domain.vocabulary import ActivityKind, Language, ModelKind, Topic
from mtqg_shared.admin_units import GEO_OLD, admin_units
from mtqg_shared.auth import KeyStore, TokenVerifier
from mtqg_shared.db import Database
from mtqg_shared.migrations import upgrade
from mtqg_shared.settings import async_url

SCHEMA = "gender"
REPORT = "/api/v1/gender/reports/overview"
YEAR = 2025
TOPICS = [t.value for t in Topic]
LANGUAGES = [lang.value for lang in Language]


class Volumes:
    def __init__(self, scale: float) -> None:
        self.activities = max(10, int(100_000 * scale))
        self.models = max(10, int(5_000 * scale))
        self.materials = max(10, int(10_000 * scale))
        self.spending = max(10, int(50_000 * scale))


async def bulk_load(conn: asyncpg.Connection, volumes: Volumes, seed: int = 11) -> None:
    rng = random.Random(seed)
    units = admin_units()
    new = sorted(units.all_current_communes)
    old = sorted(c.code for c in units.list(GEO_OLD, level="commune"))
    record = ("id", "created_at", "updated_at", "created_by", "version")
    place = ("commune_code", "legacy_commune_code", "legacy_district_code")

    def placed() -> tuple[str, str | None, str | None]:
        current, legacy = _places(rng, new, old, 1)[0]
        district = units.place_commune(legacy, GEO_OLD).legacy_district_code if legacy else None
        return current, legacy, district

    def day() -> dt.date:
        return dt.date(rng.randrange(2022, 2026), rng.randrange(1, 13), rng.randrange(1, 29))

    async def copy(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        started = time.perf_counter()
        await conn.copy_records_to_table(table, records=rows, columns=columns, schema_name=SCHEMA)
        print(f"  {table}: {len(rows):,} rows in {time.perf_counter() - started:.1f} s", flush=True)

    models = []
    for _ in range(volumes.models):
        members = rng.randrange(1, 40)
        models.append(
            (*_record_columns(rng), *placed(), rng.choice(list(ModelKind)).value, "Đội", None,
             day(), members, rng.randrange(0, members + 1))
        )  # fmt: skip
    await copy(
        "community_models",
        (*record, *place, "kind", "name", "village", "established_on", "members",
         "members_female"),
        models,
    )  # fmt: skip
    activities = []
    for _ in range(volumes.activities):
        people = rng.randrange(0, 300)
        topics = set(rng.sample(TOPICS, rng.randrange(1, 4)))
        languages = {"vi", *rng.sample(LANGUAGES, rng.randrange(0, 3))}
        activities.append(
            (*_record_columns(rng), *placed(), rng.choice(list(ActivityKind)).value, day(), None,
             people, rng.randrange(0, people + 1), None, *(t in topics for t in TOPICS),
             *(lang in languages for lang in LANGUAGES))
        )  # fmt: skip
    await copy(
        "activities",
        (*record, *place, "kind", "held_on", "model_id", "participants", "participants_female",
         "online_reach", *(f"topic_{t}" for t in TOPICS),
         *(f"language_{lang}" for lang in LANGUAGES)),
        activities,
    )  # fmt: skip
    materials = []
    for _ in range(volumes.materials):
        languages = ["vi", *rng.sample(LANGUAGES[1:], rng.randrange(0, 3))]
        versions = [
            {"language": lang, "title": "Tờ rơi", "text": None, "url": None} for lang in languages
        ]
        materials.append(
            (*_record_columns(rng), *placed(), rng.choice(TOPICS), "leaflet", day(),
             json.dumps(versions), *(lang in languages for lang in LANGUAGES))
        )  # fmt: skip
    await copy(
        "materials",
        (*record, *place, "topic", "format", "published_on", "versions",
         *(f"language_{lang}" for lang in LANGUAGES)),
        materials,
    )  # fmt: skip
    spending = [
        (*_record_columns(rng), *placed(), day(), rng.randrange(1, 500) * 100_000,
         rng.choice(("central_budget", "local_budget", "mobilised")), "Chi", None, "1719.DA8",
         "recurrent", None, None)
        for _ in range(volumes.spending)
    ]  # fmt: skip
    await copy(
        "spending",
        (*record, *place, "on_date", "amount_vnd", "source", "purpose", "activity_id",
         "project_code", "capital_type", "reverses_id", "note"),
        spending,
    )  # fmt: skip
    await conn.execute("ANALYZE")


def raw_sql(readable_only: bool) -> str:
    """The overview as one query written by hand: $1..$2 the year's first and last day; for
    a caller bound to some communes, $3 those communes."""
    mine = "commune_code = ANY($3::text[])" if readable_only else "TRUE"
    topics = ", ".join(f"count(*) FILTER (WHERE topic_{t}) AS {t}" for t in TOPICS)
    spoken = ", ".join(f"count(*) FILTER (WHERE language_{lang}) AS {lang}" for lang in LANGUAGES)
    return f"""
WITH
models AS (
    SELECT kind, count(*) AS n, sum(members) AS members, sum(members_female) AS women
    FROM community_models WHERE established_on <= $2 AND {mine} GROUP BY kind
),
held AS (
    SELECT count(*) AS n, coalesce(sum(participants), 0) AS people,
           coalesce(sum(participants_female), 0) AS women, {topics}, {spoken}
    FROM activities WHERE held_on BETWEEN $1 AND $2 AND {mine}
),
published AS (
    SELECT count(*) AS n, {spoken} FROM materials
    WHERE published_on BETWEEN $1 AND $2 AND {mine}
)
SELECT
    (SELECT json_agg(json_build_array(kind, n, members, women) ORDER BY kind) FROM models)
        AS models,
    (SELECT row_to_json(held) FROM held) AS activities,
    (SELECT row_to_json(published) FROM published) AS materials,
    (SELECT coalesce(sum(amount_vnd), 0) FROM spending
     WHERE on_date BETWEEN $1 AND $2 AND {mine}) AS spent_vnd
"""


def _endpoint_figures(body: dict[str, Any]) -> list[Any]:
    activities, materials = body["activities"], body["materials"]
    return [
        sorted(
            [kind, m["count"], m["members"], m["members_female"]]
            for kind, m in body["models"].items()
            if m["count"]
        ),
        [activities["count"], activities["participants"], activities["participants_female"],
         *activities["by_topic"].values(), *activities["by_language"].values()],
        [materials["count"], *materials["by_language"].values()],
        body["spent_vnd"],
    ]  # fmt: skip


def _raw_figures(row: asyncpg.Record) -> list[Any]:
    return [
        sorted(json.loads(row["models"] or "[]")),
        list(json.loads(row["activities"]).values()),
        list(json.loads(row["materials"]).values()),
        int(row["spent_vnd"]),
    ]


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
    year = (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            one_commune = sorted(admin_units().all_current_communes)[0]
            for label, areas, communes in (
                ("province admin (area 15)", ["15"], None),
                (f"officer of commune {one_commune}", [one_commune], [one_commune]),
            ):
                headers = {"Authorization": f"Bearer {_token(key, areas, settings)}"}

                async def endpoint(headers: dict[str, str] = headers) -> dict[str, Any]:
                    answer = await client.get(REPORT, params={"year": YEAR}, headers=headers)
                    answer.raise_for_status()
                    return dict(answer.json())

                sql = raw_sql(communes is not None)

                async def query(
                    communes: list[str] | None = communes, sql: str = sql
                ) -> asyncpg.Record:
                    extra = [] if communes is None else [communes]
                    return await raw.fetchrow(sql, *year, *extra)

                agree = _endpoint_figures(await endpoint()) == _raw_figures(await query())
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
    name = f"mtqg_bench_gender_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{server.rpartition('/')[0]}/{name}"
    try:
        await asyncio.to_thread(upgrade, "gender", url)
        print(f"loading into {name} (scale {scale}):", flush=True)
        conn = await asyncpg.connect(url, server_settings={"search_path": SCHEMA})
        try:
            await bulk_load(conn, Volumes(scale))
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
