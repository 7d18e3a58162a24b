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
from typing import Any

import asyncpg

from bench.production_data import _record_columns
from bench.report_bench import BulkLoad, ReportBench, run
from gender.domain.vocabulary import ActivityKind, Language, ModelKind, Topic

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
    load = BulkLoad(conn, SCHEMA, rng)
    record, place, placed, copy = load.RECORD, load.PLACE, load.placed, load.copy

    def day() -> dt.date:
        return load.day(2022, 2025)

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
        written_in = ["vi", *rng.sample(LANGUAGES[1:], rng.randrange(0, 3))]
        versions = [
            {"language": lang, "title": "Tờ rơi", "text": None, "url": None} for lang in written_in
        ]
        materials.append(
            (*_record_columns(rng), *placed(), rng.choice(TOPICS), "leaflet", day(),
             json.dumps(versions), *(lang in written_in for lang in LANGUAGES))
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


def bench(scale: float) -> ReportBench:
    return ReportBench(
        service=SCHEMA,
        path=REPORT,
        params={"year": YEAR},
        raw_sql=raw_sql,
        raw_args=(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)),
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
