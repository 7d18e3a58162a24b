"""Benchmark: importing housing cases against PostgreSQL's COPY of the same rows into the
same table, side by side in one run (issue 14: the import at 25% of COPY's rate or better,
with every rule checked).

    .venv/bin/python -m bench.import_bench \
        --postgres postgresql://postgres@127.0.0.1:5432/postgres [--rows 100000] [--runs 5]

Creates a throwaway database, migrates it and makes 100,000 case rows as a spreadsheet gives
them (text cells by field name; 40% in the old geography, every commune, five groups, two
support types, registration dates over three years). Then, in each run, with the tables
emptied (and a CHECKPOINT) before each side:

  1. COPY: the same cases, every column already made (ids, places, timestamps), written by
     `copy_records_to_table` into `housing.cases`: the floor, no rule checked, nothing else
     written;
  2. create_many: the rows validated as `CaseCreate` bodies, then `cases.service.create_many`
     in one write (one `WriteContext`, committed): every rule of the single create checked per
     row (date, place in the caller's areas, ids, the household's one open case, the norm),
     the cases, their first steps, audit rows and change-feed rows written.

  3. the import engine: the same rows as a CSV file (what `POST /imports` stores), read,
     matched to the template's columns, each row's cells read and validated, the records
     their natural keys name found a chunk at a time, the new rows given to `create_many`
     5,000 at a time, each chunk in its SAVEPOINT while the next chunk is read, and the
     whole committed: what a job of mode=commit runs (`engine.run_rows`, under
     `collector.bulk_write` as the runner runs it), without the HTTP upload and the job's
     own row.

It prints each run, then the medians: rows per second of each side, the ratio to COPY, and
how create_many's time splits (validation, rules and writes, commit); then drops the database.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import csv
import datetime as dt
import io
import pstats
import random
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
from pydantic import TypeAdapter

from housing.app import create_app
from housing.cases.repository import CASE_COLUMNS
from housing.cases.schemas import CaseCreate
from housing.cases.service import create_many
from housing.config import Settings
from mtqg_shared.admin_units import GEO_NEW, GEO_OLD, REORGANISED_ON, admin_units
from mtqg_shared.auth import Principal
from mtqg_shared.collector import bulk_write
from mtqg_shared.db import Database
from mtqg_shared.imports.engine import Outcome, Rows, run_rows
from mtqg_shared.imports.reading import header_names, read_sheet
from mtqg_shared.migrations import upgrade
from mtqg_shared.settings import async_url
from mtqg_shared.types import utcnow
from mtqg_shared.writes import IN_PARTS, WriteContext
from tests import support

ROWS = 100_000
GROUPS = ("meritorious", "poor", "near_poor", "disaster", "other")
TODAY = dt.date(2025, 11, 30)
# What the import writes besides the cases, emptied with them before each side.
TABLES = ("changes", "audit_log", "case_transitions", "cases")
BODIES = TypeAdapter(list[CaseCreate])


def sheet(n: int, seed: int = 14) -> list[dict[str, str]]:
    """`n` rows as the import reads them from a sheet: text cells by field name."""
    rng = random.Random(seed)
    units = admin_units()
    new_communes = sorted(units.all_current_communes)
    old_communes = [u.code for u in units.list(GEO_OLD, level="commune")]
    span = (TODAY - dt.date(2023, 1, 1)).days
    rows = []
    for i in range(n):
        if rng.random() < 0.4:
            commune, geography = rng.choice(old_communes), GEO_OLD
            registered = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(900))
            registered = min(registered, REORGANISED_ON - dt.timedelta(days=1))
        else:
            commune, geography = rng.choice(new_communes), GEO_NEW
            registered = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(span))
        row = {
            "household_code": f"IMP-{i:07d}",
            "head_of_household": f"Hộ gia đình {i}",
            "commune_code": commune,
            "geography": geography,
            "beneficiary_group": rng.choice(GROUPS),
            "support_type": "new_build" if rng.random() < 0.6 else "repair",
            "registered_on": registered.isoformat(),
        }
        if rng.random() < 0.5:
            row["village"] = f"Thôn {rng.randrange(1, 30)}"
        rows.append(row)
    return rows


def csv_file(rows: list[dict[str, str]]) -> bytes:
    """The rows as the CSV file an officer uploads (a header of field names)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*dict.fromkeys(k for row in rows for k in row)])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


# Every column of the table, in its order: what COPY is given.
COPY_COLUMNS = CASE_COLUMNS


def copy_records(rows: list[dict[str, str]]) -> list[tuple[Any, ...]]:
    """The same cases with every column made, as COPY writes them (made before the clock)."""
    units = admin_units()
    now = utcnow()
    records = []
    for row in rows:
        placed = units.place_commune(row["commune_code"], row["geography"])
        registered = dt.date.fromisoformat(row["registered_on"])
        case = {
            "id": uuid.uuid4(),
            "created_at": now,
            "updated_at": now,
            "created_by": "person:bench",
            "version": 1,
            "commune_code": placed.commune_code,
            "legacy_commune_code": placed.legacy_commune_code,
            "legacy_district_code": placed.legacy_district_code,
            "household_code": row["household_code"],
            "head_of_household": row["head_of_household"],
            "village": row.get("village"),
            "geography": row["geography"],
            "beneficiary_group": row["beneficiary_group"],
            "support_type": row["support_type"],
            "registered_on": registered,
            "notes": None,
            "status": "registered",
            "status_on": registered,
            "completed_on": None,
            "handed_over_on": None,
        }
        records.append(tuple(case[c] for c in COPY_COLUMNS))
    return records


async def _admin(server: str, statement: str) -> None:
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


class Bench:
    def __init__(self, url: str, rows: list[dict[str, str]], profile: bool) -> None:
        self.url = url
        self.rows = rows
        self.records = copy_records(rows)
        self.csv = csv_file(rows)
        self.profile = profile
        self.db = Database(async_url(url), "housing", pool_size=2)
        self.app = create_app(Settings(access_log=False), db=self.db, verifier=support.verifier())
        self.principal = Principal.build("bench", "person", roles=["officer"], areas=["15"])

    async def reset(self, conn: asyncpg.Connection) -> None:
        await conn.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
        await conn.execute("VACUUM ANALYZE cases, case_transitions, audit_log, changes")
        # Each side starts with no dirty page of another's left to write.
        await conn.execute("CHECKPOINT")

    async def copy(self, conn: asyncpg.Connection) -> float:
        started = time.perf_counter()
        async with conn.transaction():
            await conn.copy_records_to_table("cases", records=self.records, columns=COPY_COLUMNS)
        return time.perf_counter() - started

    async def create_many(self) -> tuple[float, float, float]:
        """Seconds of the whole import, of its validation and of its commit."""
        profiler = cProfile.Profile() if self.profile else None
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        with bulk_write():  # as the import engine, its one caller, runs it
            bodies = BODIES.validate_python(self.rows)
            validated = time.perf_counter()
            async with self.db.session() as session:
                ctx = self.context(session)
                answers = await create_many(ctx, bodies)
                written = time.perf_counter()
                await ctx.commit(None, status=204)
        done = time.perf_counter()
        if profiler is not None:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
        assert len(answers) == len(self.rows)
        return done - started, validated - started, done - written

    def context(self, session: Any) -> WriteContext:
        state = self.app.state
        return WriteContext(
            session=session,
            principal=self.principal,
            request_id="bench",
            idempotency=state.idempotency,
            audit_table=state.audit_table,
            feed=state.feed,
        )

    async def engine(self) -> float:
        """Seconds of the import engine's run of the rows as a CSV file, committed."""
        state = self.app.state
        entry = state.imports["cases"]
        started = time.perf_counter()
        with bulk_write():  # as the job runner runs it: the file read, every row, the commit
            found = read_sheet(
                self.csv,
                len(self.rows) + 1,
                header_names("housing", entry.create.model_fields),
                entry.name,
            )
            rows = Rows(entry, found, "error", getattr(state, "vocabulary", None))
            outcome = Outcome("vi")

            async def progress(processed: int) -> None:
                return None

            async with self.db.session() as session:
                session.info[IN_PARTS] = True
                ctx = self.context(session)
                await run_rows(ctx, rows, outcome, progress)
                assert outcome.error_count == 0, outcome.errors[:3]
                assert outcome.created == len(self.rows), outcome.created
                await ctx.commit(None)
        return time.perf_counter() - started

    async def check(self, conn: asyncpg.Connection) -> None:
        """Both sides wrote the same cases (but their ids and timestamps)."""
        query = (
            "SELECT household_code, head_of_household, village, commune_code, "
            "legacy_commune_code, legacy_district_code, geography, beneficiary_group, "
            "support_type, registered_on, status, status_on FROM cases ORDER BY household_code"
        )
        await self.reset(conn)
        await self.copy(conn)
        copied = [tuple(r) for r in await conn.fetch(query)]
        await self.reset(conn)
        await self.create_many()
        imported = [tuple(r) for r in await conn.fetch(query)]
        assert copied == imported, "COPY and create_many wrote different cases"
        await self.counted(conn)
        await self.reset(conn)
        await self.engine()
        assert copied == [tuple(r) for r in await conn.fetch(query)], "the engine's differ"
        await self.counted(conn)

    async def counted(self, conn: asyncpg.Connection) -> None:
        for table in ("case_transitions", "audit_log", "changes"):
            count = await conn.fetchval(f"SELECT count(*) FROM {table}")
            assert count == len(self.rows), (table, count)

    async def run(self, runs: int, log: Callable[[str], None]) -> None:
        conn = await asyncpg.connect(self.url, server_settings={"search_path": "housing"})
        n = len(self.rows)
        copies: list[float] = []
        imports: list[tuple[float, float, float]] = []
        engines: list[float] = []
        try:
            await self.check(conn)
            log(f"checked: COPY and create_many write the same {n:,} cases")
            for k in range(1, runs + 1):
                await self.reset(conn)
                copies.append(await self.copy(conn))
                await self.reset(conn)
                imports.append(await self.create_many())
                await self.reset(conn)
                engines.append(await self.engine())
                whole, validation, commit = imports[-1]
                log(
                    f"run {k}: COPY {n / copies[-1]:,.0f} rows/s | create_many "
                    f"{n / whole:,.0f} rows/s, {copies[-1] / whole:.0%} of COPY's (validation "
                    f"{validation:.2f} s, rules and writes {whole - validation - commit:.2f} s, "
                    f"commit {commit:.2f} s) | import engine {n / engines[-1]:,.0f} rows/s, "
                    f"{copies[-1] / engines[-1]:.0%} of COPY's"
                )
        finally:
            await conn.close()
            await self.db.dispose()
        copy = statistics.median(copies)
        whole = statistics.median(i[0] for i in imports)
        parts = [statistics.median(i[k] for i in imports) for k in (1, 2)]
        log(f"medians of {runs} runs, {n:,} cases each:")
        log("| side | seconds | rows/s | of COPY's rate |")
        log("|---|---|---|---|")
        log(f"| COPY into housing.cases | {copy:.2f} | {n / copy:,.0f} | 100% |")
        log(
            f"| create_many, every rule, cases + steps + audit + changes | {whole:.2f} | "
            f"{n / whole:,.0f} | {copy / whole:.0%} |"
        )
        engine = statistics.median(engines)
        log(
            f"| import engine, a CSV file, every rule, same writes | {engine:.2f} | "
            f"{n / engine:,.0f} | {copy / engine:.0%} |"
        )
        log(
            f"create_many's time: validation {parts[0]:.2f} s, rules and writes "
            f"{whole - parts[0] - parts[1]:.2f} s, commit (audit, changes) {parts[1]:.2f} s"
        )
        # Each run's sides ran one after the other: the ratio within a run is the figure least
        # moved by what else the machine (or its host) did meanwhile.
        for side, times in (("create_many", [i[0] for i in imports]), ("import engine", engines)):
            ratio = statistics.median(c / t for c, t in zip(copies, times, strict=True))
            of_medians = copy / statistics.median(times)
            goal = "met" if ratio >= 0.25 else "NOT met"
            log(
                f"goal (issue 14), {side}: at least 25% of COPY's rate: {goal} (median of the "
                f"runs' own ratios: {ratio:.0%}; of the medians above: {of_medians:.0%})"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres", required=True, help="a PostgreSQL server URL (a database on it)"
    )
    parser.add_argument("--rows", type=int, default=ROWS, help="cases each side writes")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each side")
    parser.add_argument("--profile", action="store_true", help="cProfile each import")
    args = parser.parse_args(argv)
    server = args.postgres.replace("postgresql+asyncpg://", "postgresql://")
    name = f"mtqg_bench_import_{uuid.uuid4().hex[:10]}"
    base, _, _ = server.rpartition("/")
    url = f"{base}/{name}"
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    try:
        upgrade("housing", url)
        bench = Bench(url, sheet(args.rows), args.profile)
        asyncio.run(bench.run(args.runs, print))
    finally:
        asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        print(f"dropped {name}")


if __name__ == "__main__":
    main()
