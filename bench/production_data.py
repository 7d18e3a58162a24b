"""Bulk data for the production benchmark: the stated volumes, loaded with COPY."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg

from mtqg_shared.admin_units import GEO_OLD, admin_units
from mtqg_shared.types import today_vn

SCHEMA = "production"
CROPS = ("cinnamon", "tea", "banana", "fruit", "rice", "medicinal", "vegetable", "livestock")
# (status, share of projects); money flows to the statuses from approval on.
STATUSES = (
    ("proposed", 10),
    ("rejected", 5),
    ("approved", 15),
    ("in_progress", 40),
    ("suspended", 5),
    ("completed", 25),
)
COUNTED = ("approved", "in_progress", "suspended", "completed")
NOW = dt.datetime.now(dt.UTC)


def _record_columns(rng: random.Random) -> tuple[uuid.UUID, dt.datetime, dt.datetime, str, int]:
    at = NOW - dt.timedelta(seconds=rng.randrange(5 * 365 * 86400))
    return (uuid.UUID(int=rng.getrandbits(128), version=4), at, at, "person:bench", 1)


class Volumes:
    def __init__(self, scale: float) -> None:
        self.projects = max(10, int(50_000 * scale))
        self.disbursements = max(10, int(500_000 * scale))
        self.zones = max(10, int(100_000 * scale))
        self.facilities = max(10, int(20_000 * scale))
        self.ocop = max(10, int(10_000 * scale))


def _places(
    rng: random.Random, new: list[str], old: list[str], n: int
) -> list[tuple[str, str | None]]:
    if rng.random() < 0.3:
        units = admin_units()
        return [(units.place_commune(c, GEO_OLD).commune_code, c) for c in rng.sample(old, n)]
    return [(c, None) for c in rng.sample(new, n)]


async def bulk_load(conn: asyncpg.Connection, volumes: Volumes, seed: int = 7) -> None:
    rng = random.Random(seed)
    units = admin_units()
    new = sorted(units.all_current_communes)
    old = sorted(c.code for c in units.list(GEO_OLD, level="commune"))
    districts = sorted(u.code for u in units.list(GEO_OLD, level="district"))

    async def copy(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        started = time.perf_counter()
        await conn.copy_records_to_table(table, records=rows, columns=columns, schema_name=SCHEMA)
        print(f"  {table}: {len(rows):,} rows in {time.perf_counter() - started:.1f} s", flush=True)

    record = ("id", "created_at", "updated_at", "created_by", "version")
    weights = [w for _, w in STATUSES]
    statuses = [s for s, _ in STATUSES]
    projects: list[tuple[Any, ...]] = []
    places: list[tuple[Any, ...]] = []
    counted: list[tuple[uuid.UUID, int, dt.date]] = []
    for _ in range(volumes.projects):
        head = _record_columns(rng)
        where = _places(rng, new, old, 1 + (rng.random() < 0.3) + (rng.random() < 0.1))
        status = rng.choices(statuses, weights)[0]
        total = rng.randrange(500, 20_000) * 1_000_000
        support = total * rng.randrange(30, 71) // 100
        year = rng.randrange(2021, 2026)
        start = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 28))
        legacy = [lc for _, lc in where if lc is not None] or None
        projects.append(
            (*head, None, "Liên kết chuỗi", "HTX", "cooperative", "sản phẩm",
             rng.choice(CROPS), json.dumps(sorted({c for c, _ in where})),
             json.dumps(legacy) if legacy else None, None, start, None, total, support, 0,
             100, 20, 15, start, status, start, None,
             start if status in COUNTED else None, None)
        )  # fmt: skip
        places.extend((head[0], c, lc) for c, lc in where)
        if status in COUNTED:
            counted.append((head[0], support, start))
    await copy(
        "projects",
        (*record, "code", "name", "lead_entity", "lead_entity_type", "product", "crop",
         "commune_codes", "legacy_commune_codes", "legacy_district_codes", "start_on", "end_on",
         "total_cost_vnd", "state_support_vnd", "disbursed_vnd", "households", "poor_households",
         "near_poor_households", "proposed_on", "status", "status_on", "suspended_from",
         "approved_on", "completed_on"),
        projects,
    )  # fmt: skip
    await copy("project_places", ("project_id", "commune_code", "legacy_commune_code"), places)

    per_project = max(1, volumes.disbursements // max(1, len(counted)))
    money = []
    for n in range(volumes.disbursements):
        project_id, support, start = counted[n % len(counted)]
        on = min(start + dt.timedelta(days=rng.randrange(0, 1500)), today_vn())
        money.append(
            (*_record_columns(rng), project_id, on,
             rng.choice(("central_budget", "local_budget")), support // (per_project + 1),
             None, None)
        )  # fmt: skip
    await copy(
        "disbursements",
        (*record, "project_id", "on_date", "source", "amount_vnd", "reverses_id", "note"),
        money,
    )
    await conn.execute(
        "UPDATE projects p SET disbursed_vnd = d.total FROM (SELECT project_id, sum(amount_vnd)"
        " AS total FROM disbursements GROUP BY project_id) d WHERE d.project_id = p.id"
    )

    zones: list[tuple[Any, ...]] = []
    zone_places: list[tuple[Any, ...]] = []
    for _ in range(volumes.zones):
        head = _record_columns(rng)
        area = rng.randrange(10_000, 50_000_000)
        if rng.random() < 0.2:
            district = rng.choice(districts)
            inside = sorted(units.communes_of_legacy_district(district))
            rows: list[tuple[str, str | None]] = [
                (units.place_commune(c, GEO_OLD).commune_code, c) for c in inside
            ]
            code: str = district
            legacy_commune: str | None = None
            legacy_district: str | None = district
        else:
            rows = _places(rng, new, old, 1)
            code = rows[0][1] or rows[0][0]
            legacy_commune = rows[0][1]
            legacy_district = (
                units.place_commune(rows[0][1], GEO_OLD).legacy_district_code
                if rows[0][1]
                else None
            )
        zones.append(
            (*head, "Vùng", rng.choice(CROPS), code, legacy_commune, legacy_district,
             json.dumps(sorted({c for c, _ in rows})), rng.randrange(2020, 2026), area,
             area // 10, area // 2, "vietgap")
        )  # fmt: skip
        zone_places.extend((head[0], c, lc) for c, lc in rows)
    await copy(
        "zones",
        (*record, "name", "crop", "area_code", "legacy_commune_code", "legacy_district_code",
         "commune_codes", "year", "area_m2", "certified_m2", "linked_m2", "certification"),
        zones,
    )  # fmt: skip
    await copy("zone_places", ("zone_id", "commune_code", "legacy_commune_code"), zone_places)

    def placed(rng: random.Random) -> tuple[str, str | None, str | None]:
        current, legacy = _places(rng, new, old, 1)[0]
        district = units.place_commune(legacy, GEO_OLD).legacy_district_code if legacy else None
        return current, legacy, district

    facilities = [
        (*_record_columns(rng), *placed(rng), "Cơ sở", rng.choice(("household", "cooperative")),
         json.dumps(["quế"]), rng.randrange(1, 200), None)
        for _ in range(volumes.facilities)
    ]  # fmt: skip
    await copy(
        "facilities",
        (*record, "commune_code", "legacy_commune_code", "legacy_district_code", "name", "kind",
         "products", "jobs", "established_on"),
        facilities,
    )  # fmt: skip
    products = []
    for _ in range(volumes.ocop):
        certified = today_vn() - dt.timedelta(days=rng.randrange(0, 1500))
        products.append(
            (*_record_columns(rng), *placed(rng), "Sản phẩm", "HTX", "thực phẩm",
             rng.randrange(1, 6), None, certified, certified + dt.timedelta(days=1095))
        )  # fmt: skip
    await copy(
        "ocop_products",
        (*record, "commune_code", "legacy_commune_code", "legacy_district_code", "name",
         "producer", "category", "stars", "score", "certified_on", "expires_on"),
        products,
    )  # fmt: skip
    # As autovacuum leaves a table in steady state: statistics and the visibility map.
    await conn.execute("VACUUM ANALYZE")
