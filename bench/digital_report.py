"""The digital overview endpoint against the same figures as one raw SQL query, side by side
in one run, on PostgreSQL.

    .venv/bin/python -m bench.digital_report \\
        --postgres postgresql://postgres@127.0.0.1:5432/postgres [--scale 1.0] [--runs 15]

Creates a throwaway database, migrates the digital schema, bulk-loads (COPY) 200,000 assets
with their status periods (one in five changed status once, at a day of its own), 20,000
teams, 2,000 smart villages, 5,000 sellers, a 2025 profile of every commune and 50,000
spending entries (three in ten given in the 2025-01 geography), times
`GET /api/v1/digital/reports/overview?year=2025` in-process and the raw query, alternating,
and prints the median of each and their ratio for a province admin and for an officer of one
commune (bench.report_bench). The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
from typing import Any

import asyncpg

from bench.production_data import _record_columns
from bench.report_bench import BulkLoad, ReportBench, run
from digital.domain.vocabulary import AssetKind, AssetStatus, SellerKind

SCHEMA = "digital"
REPORT = "/api/v1/digital/reports/overview"
YEAR = 2025
KINDS = [k.value for k in AssetKind]


class Volumes:
    def __init__(self, scale: float) -> None:
        self.assets = max(10, int(200_000 * scale))
        self.teams = max(10, int(20_000 * scale))
        self.villages = max(10, int(2_000 * scale))
        self.sellers = max(10, int(5_000 * scale))
        self.spending = max(10, int(50_000 * scale))


async def bulk_load(conn: asyncpg.Connection, volumes: Volumes, seed: int = 13) -> None:
    rng = random.Random(seed)
    load = BulkLoad(conn, SCHEMA, rng)
    record, place, placed, copy = load.RECORD, load.PLACE, load.placed, load.copy

    def day() -> dt.date:
        return load.day(2021, 2025)

    assets: list[Any] = []
    periods: list[tuple[Any, ...]] = []
    statuses = [s.value for s in AssetStatus]
    for _ in range(volumes.assets):
        columns = _record_columns(rng)
        kind = rng.choice(KINDS)
        installed = day()
        first = rng.choices(statuses, weights=(90, 7, 3))[0]
        ioc = kind == AssetKind.camera and rng.random() < 0.8
        status, since = first, installed
        if rng.random() < 0.2:  # one change, some days after installation
            since = installed + dt.timedelta(days=rng.randrange(1, 500))
            status = rng.choice([s for s in statuses if s != first])
            periods.append((columns[0], 1, first, installed, since))
            periods.append((columns[0], 2, status, since, None))
        else:
            periods.append((columns[0], 1, first, installed, None))
        assets.append(
            (*columns, *placed(), kind, None, installed, rng.randrange(1, 30), ioc, status, since)
        )
    await copy(
        "assets",
        (*record, *place, "kind", "village", "installed_on", "count", "connected_to_ioc",
         "status", "status_on"),
        assets,
    )  # fmt: skip
    await copy("asset_statuses", ("asset_id", "seq", "status", "from_on", "until_on"), periods)
    teams = [
        (*_record_columns(rng), *placed(), None, day(), rng.randrange(1, 12))
        for _ in range(volumes.teams)
    ]
    await copy("teams", (*record, *place, "village", "established_on", "members"), teams)
    villages = []
    for _ in range(volumes.villages):
        started = day()
        recognised = started + dt.timedelta(days=rng.randrange(30, 700))
        done = rng.random() < 0.4
        villages.append(
            (*_record_columns(rng), *placed(), "Thôn", started,
             "recognised" if done else "building", recognised if done else None,
             "1/QĐ" if done else None)
        )  # fmt: skip
    await copy(
        "smart_villages",
        (*record, *place, "village", "started_on", "status", "recognised_on", "decision_number"),
        villages,
    )
    sellers = [
        (*_record_columns(rng), *placed(), "HTX", rng.choice(list(SellerKind)).value, day(),
         json.dumps(["Facebook"]), rng.randrange(0, 15))
        for _ in range(volumes.sellers)
    ]  # fmt: skip
    await copy(
        "sellers",
        (*record, *place, "name", "kind", "since", "platforms", "ocop_products_online"),
        sellers,
    )
    profiles = []
    for code in load.new:
        officials = rng.randrange(15, 40)
        profiles.append(
            (*_record_columns(rng), code, None, None, code, "2025-07", YEAR, officials,
             rng.randrange(0, officials + 1), None, None, None, None)
        )  # fmt: skip
    await copy(
        "commune_profiles",
        (*record, *place, "unit_code", "geography", "year", "officials", "officials_it_certified",
         "online_dossier_rate", "households", "households_fibre", "adults_with_smartphone"),
        profiles,
    )  # fmt: skip
    spending = [
        (*_record_columns(rng), *placed(), day(), rng.randrange(1, 500) * 100_000,
         rng.choice(("central_budget", "local_budget", "mobilised")), "Chi", None, "263.CDS",
         "recurrent", None, None)
        for _ in range(volumes.spending)
    ]  # fmt: skip
    await copy(
        "spending",
        (*record, *place, "on_date", "amount_vnd", "source", "purpose", "asset_id",
         "project_code", "capital_type", "reverses_id", "note"),
        spending,
    )  # fmt: skip
    await conn.execute("ANALYZE")


def raw_sql(readable_only: bool) -> str:
    """The overview as one query written by hand: $1..$2 the year's first and last day, $3
    the year; for a caller bound to some communes, $4 those communes."""
    mine = "commune_code = ANY($4::text[])" if readable_only else "TRUE"
    mine_a = "a.commune_code = ANY($4::text[])" if readable_only else "TRUE"
    return f"""
WITH
active AS (
    SELECT a.kind, sum(a.count) AS n,
           sum(CASE WHEN a.connected_to_ioc THEN a.count ELSE 0 END) AS ioc
    FROM assets a JOIN asset_statuses p ON p.asset_id = a.id
    WHERE p.status = 'active' AND p.from_on <= $2 AND (p.until_on IS NULL OR p.until_on > $2)
      AND a.installed_on <= $2 AND {mine_a}
    GROUP BY a.kind
),
villages AS (
    SELECT count(*) FILTER (WHERE NOT (status = 'recognised' AND recognised_on <= $2))
               AS building,
           count(*) FILTER (WHERE status = 'recognised' AND recognised_on <= $2) AS recognised
    FROM smart_villages WHERE started_on <= $2 AND {mine}
)
SELECT
    (SELECT json_object_agg(kind, n) FROM active) AS items,
    (SELECT coalesce(sum(ioc), 0) FROM active) AS cameras_to_ioc,
    (SELECT json_build_array(coalesce(sum(officials), 0), coalesce(sum(officials_it_certified), 0))
     FROM commune_profiles WHERE year = $3 AND {mine}) AS government,
    (SELECT json_build_array(count(*), coalesce(sum(members), 0))
     FROM teams WHERE established_on <= $2 AND {mine}) AS teams,
    (SELECT row_to_json(villages) FROM villages) AS villages,
    (SELECT json_build_array(count(*), coalesce(sum(ocop_products_online), 0))
     FROM sellers WHERE since <= $2 AND {mine}) AS economy,
    (SELECT coalesce(sum(amount_vnd), 0) FROM spending
     WHERE on_date BETWEEN $1 AND $2 AND {mine}) AS spent_vnd
"""


def _endpoint_figures(body: dict[str, Any]) -> list[Any]:
    infra, gov, society = body["infrastructure"], body["government"], body["society"]
    return [
        [infra["computers"], infra["cameras"], infra["speaker_clusters"], infra["wifi_points"]],
        infra["cameras_to_ioc"],
        [gov["officials"], gov["officials_it_certified"]],
        [society["teams"], society["team_members"]],
        [society["smart_villages"]["building"], society["smart_villages"]["recognised"]],
        [body["economy"]["sellers"], body["economy"]["ocop_products_online"]],
        body["spent_vnd"],
    ]


def _raw_figures(row: asyncpg.Record) -> list[Any]:
    items = json.loads(row["items"] or "{}")
    villages = json.loads(row["villages"])
    return [
        [int(items.get(kind, 0)) for kind in KINDS],
        int(row["cameras_to_ioc"]),
        json.loads(row["government"]),
        json.loads(row["teams"]),
        [villages["building"], villages["recognised"]],
        json.loads(row["economy"]),
        int(row["spent_vnd"]),
    ]


def bench(scale: float) -> ReportBench:
    return ReportBench(
        service=SCHEMA,
        path=REPORT,
        params={"year": YEAR},
        raw_sql=raw_sql,
        raw_args=(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), YEAR),
        endpoint_figures=_endpoint_figures,
        raw_figures=_raw_figures,
        load=lambda conn: bulk_load(conn, Volumes(scale)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: the full volumes")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    server = args.postgres.replace("postgresql+asyncpg://", "postgresql://")
    asyncio.run(run(bench(args.scale), server, args.scale, args.runs))


if __name__ == "__main__":
    main()
