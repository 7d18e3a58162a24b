"""The province disbursement report (API.md section 11) over 1,000,000 money entries against the
same figures as one raw SQL query, side by side in one run, on PostgreSQL.

    .venv/bin/python -m bench.disbursement_report \\
        --postgres postgresql://postgres@127.0.0.1:5432/postgres [--scale 1.0] [--runs 15]

Creates a throwaway database, migrates the gender schema (its spending is one of the five
services' money tables, all counted by the same kit code), bulk-loads (COPY) 1,000,000
spending entries over 2023-2026 (three in ten given in the 2025-01 geography; central, local
and mobilised budgets, both capital types, the service's two projects) and 2,000 capital
plans (the province's and every commune's, some of them cuts), then times
`GET /api/v1/gender/reports/disbursement?year=2025&as_of=2025-09-30` in-process
(httpx.ASGITransport, a real signed token) and the raw query, alternating, and prints the
median of each and their ratio for a province admin and for an officer of one commune, and
whether the figures agree. The database is dropped at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import asyncpg

from bench.production_data import _record_columns
from bench.report_bench import BulkLoad, ReportBench, cli
from mtqg_shared.admin_units import GEO_NEW

SCHEMA = "gender"
REPORT = "/api/v1/gender/reports/disbursement"
YEAR = 2025
AS_OF = dt.date(2025, 9, 30)
PROJECTS = ("1719.DA8", "1719.DA3")
CAPITAL = ("investment", "recurrent")
BUDGETS = ("central_budget", "local_budget")


async def bulk_load(conn: asyncpg.Connection, scale: float, seed: int = 25) -> None:
    rng = random.Random(seed)
    load = BulkLoad(conn, SCHEMA, rng)
    record, place = load.RECORD, load.PLACE
    entries = [
        (*_record_columns(rng), *load.placed(), load.day(2023, 2026),
         rng.randrange(1, 500) * 100_000, rng.choice((*BUDGETS, "mobilised")), "Chi", None,
         rng.choice(PROJECTS), rng.choice(CAPITAL), None, None)
        for _ in range(max(100, int(1_000_000 * scale)))
    ]  # fmt: skip
    await load.copy(
        "spending",
        (*record, *place, "on_date", "amount_vnd", "source", "purpose", "activity_id",
         "project_code", "capital_type", "reverses_id", "note"),
        entries,
    )  # fmt: skip
    areas = ["15", *load.new]
    plans = []
    for _ in range(max(20, int(2_000 * scale))):
        amount = rng.randrange(1, 200) * 10_000_000 * (-1 if rng.random() < 0.1 else 1)
        decided = dt.date(rng.choice((YEAR - 1, YEAR)), rng.randrange(1, 13), rng.randrange(1, 29))
        plans.append(
            (*_record_columns(rng), rng.choice((YEAR - 1, YEAR)), rng.choice(PROJECTS),
             rng.choice(areas), GEO_NEW, rng.choice(CAPITAL), rng.choice(BUDGETS), amount,
             "1/QĐ-UBND", decided, False, None, None)
        )  # fmt: skip
    await load.copy(
        "capital_plans",
        (*record, "year", "project_code", "area_code", "geography", "capital_type", "source",
         "amount_vnd", "decision_number", "decision_on", "carried_over", "note", "reverses_id"),
        plans,
    )  # fmt: skip
    await conn.execute("ANALYZE")


def raw_sql(readable_only: bool) -> str:
    """The report's rows as one query written by hand: $1 the year, $2..$3 its first day and
    the report's day; for a caller bound to some communes, $4 those communes (the plans of
    the province and of those communes, the entries of those communes)."""
    entries_mine = "commune_code = ANY($4::text[])" if readable_only else "TRUE"
    plans_mine = "(area_code = '15' OR area_code = ANY($4::text[]))" if readable_only else "TRUE"
    return f"""
WITH
planned AS (
    SELECT project_code, capital_type, source, sum(amount_vnd) AS vnd FROM capital_plans
    WHERE year = $1 AND decision_on <= $3 AND {plans_mine}
    GROUP BY project_code, capital_type, source
),
disbursed AS (
    SELECT project_code, capital_type, source, sum(amount_vnd) AS vnd FROM spending
    WHERE on_date BETWEEN $2 AND $3 AND source IN ('central_budget', 'local_budget')
      AND {entries_mine}
    GROUP BY project_code, capital_type, source
)
SELECT json_agg(json_build_array(project_code, capital_type, source,
                                 coalesce(p.vnd, 0), coalesce(d.vnd, 0))
                ORDER BY project_code, capital_type, source) AS rows
FROM planned p FULL JOIN disbursed d USING (project_code, capital_type, source)
"""


def _endpoint_figures(body: dict[str, Any]) -> list[Any]:
    return sorted(
        [r["project_code"], r["capital_type"], r["source"], r["planned_vnd"], r["disbursed_vnd"]]
        for r in body["rows"]
    )


def _raw_figures(row: asyncpg.Record) -> list[Any]:
    return sorted(json.loads(row["rows"] or "[]"))


def bench(scale: float) -> ReportBench:
    return ReportBench(
        service=SCHEMA,
        path=REPORT,
        params={"year": YEAR, "as_of": AS_OF.isoformat()},
        raw_sql=raw_sql,
        raw_args=(YEAR, dt.date(YEAR, 1, 1), AS_OF),
        endpoint_figures=_endpoint_figures,
        raw_figures=_raw_figures,
        load=lambda conn: bulk_load(conn, scale),
    )


def main() -> None:
    cli(bench, __doc__)


if __name__ == "__main__":
    main()
