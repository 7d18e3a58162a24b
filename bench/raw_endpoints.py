"""The floor a service's endpoints are measured against: a bare ASGI app (no FastAPI, no ORM,
no pydantic) that runs the same SQL statements as the service's list page, single read and
create, directly with asyncpg, and encodes the same JSON answer with the standard library.

    .venv/bin/python -m bench.raw_endpoints housing --port 18101 --dsn postgresql://...

Started by bench/service_endpoints.py under the same uvicorn settings as `python -m housing`
(uvloop, httptools, no uvicorn access log). It serves, for `housing`, `labour`,
`production`, `gender` or `digital`:

    GET  /api/v1/housing/cases?limit=N       GET /api/v1/housing/cases/{id}      POST ...cases
    GET  /api/v1/labour/workers?limit=N      GET /api/v1/labour/workers/{id}     POST ...workers
    GET  /api/v1/production/projects?limit=N GET .../projects/{id}               POST ...projects
    GET  /api/v1/gender/activities?limit=N   GET .../activities/{id}             POST ...activities
    GET  /api/v1/digital/assets?limit=N      GET /api/v1/digital/assets/{id}     POST ...assets

The statements are the ones each service sends today (read with MTQG_DB_ECHO=true), in the same
transactions: reads in a transaction rolled back at the end, creates committed with their
audit row and their change-feed row, as the kit writes them. It
checks only that an Authorization header is present (the service verifies the token; that is
part of what is measured) and trusts its bodies (bench/service_endpoints.py sends only valid
ones). bench/service_endpoints.py checks that both answer the same JSON
before it times anything.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import unicodedata
import uuid
import zlib
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import asyncpg
import uvicorn

from gender.domain.vocabulary import Language, Topic

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
Answer = tuple[int, Any, list[tuple[bytes, bytes]]]

COLLECTIONS = {
    "housing": "cases",
    "labour": "workers",
    "production": "projects",
    "gender": "activities",
    "digital": "assets",
}
VN = dt.timezone(dt.timedelta(hours=7))
ACTOR = "person:bench"


def stamp(at: dt.datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def day(on: dt.date | None) -> str | None:
    return None if on is None else on.isoformat()


def today() -> dt.date:
    return dt.datetime.now(VN).date()


def cursor(at: dt.datetime, id_: uuid.UUID) -> str:
    raw = json.dumps([at.isoformat(), str(id_)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def changes(record: dict[str, Any]) -> str:
    """A create's audit changes, {field: [null, value]}."""
    return json.dumps({k: [None, v] for k, v in record.items() if v is not None})


AUDIT = (
    "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, changes, request_id, "
    "communes) VALUES ($1::TIMESTAMP WITH TIME ZONE, $2::VARCHAR, $3::VARCHAR, $4::VARCHAR, "
    "$5::VARCHAR, $6::JSON, $7::VARCHAR, $8::VARCHAR) RETURNING audit_log.id"
)


# Housing: one statement, the case row with its funding by source and its norm in force as
# correlated subqueries (as the service sends it).
SOURCES = ("central_budget", "local_budget", "mobilised", "household", "loan")
_FUNDED = "".join(
    f", (SELECT CAST(coalesce(sum(funding_entries.amount_vnd), 0) AS BIGINT) FROM funding_entries "
    f"WHERE funding_entries.case_id = cases.id AND funding_entries.source = '{source}') AS {source}"
    for source in SOURCES
)
_NORM_OF = (
    "(SELECT norms.amount_vnd FROM norms WHERE norms.beneficiary_group = {group} AND "
    "norms.support_type = {kind} AND norms.valid_from <= {on} ORDER BY norms.valid_from DESC "
    "LIMIT 1)"
)
CASE_COLUMNS = (
    "SELECT cases.household_code, cases.head_of_household, cases.village, cases.geography, "
    "cases.beneficiary_group, cases.support_type, cases.registered_on, cases.notes, "
    "cases.status, cases.completed_on, cases.handed_over_on, cases.id, "
    "cases.created_at, cases.updated_at, cases.created_by, cases.version, cases.commune_code, "
    "cases.legacy_commune_code, cases.legacy_district_code"
    + _FUNDED
    + ", "
    + _NORM_OF.format(
        group="cases.beneficiary_group", kind="cases.support_type", on="cases.registered_on"
    )
    + " AS norm_vnd \nFROM cases \n"
)
CASE_PAGE = CASE_COLUMNS + "ORDER BY cases.created_at DESC, cases.id DESC \n LIMIT $1::INTEGER"
CASE_BY_ID = CASE_COLUMNS + "WHERE cases.id = $1::UUID"
OPEN = ("registered", "surveyed", "approved", "in_progress", "completed")
# A new case's checks and its norm in one statement, as the service sends them.
_OPEN_CASE = "cases.household_code = $2::VARCHAR AND cases.status IN ('" + "', '".join(OPEN) + "')"
BEFORE_CREATE = (
    "SELECT (SELECT cases.id FROM cases WHERE cases.id = $1::UUID) AS taken, "
    f"(SELECT cases.id FROM cases WHERE {_OPEN_CASE} LIMIT 1) AS open_id, "
    f"(SELECT cases.commune_code FROM cases WHERE {_OPEN_CASE} LIMIT 1) AS open_commune, "
    + _NORM_OF.format(group="$3::VARCHAR", kind="$4::VARCHAR", on="$5::DATE")
    + " AS norm_vnd"
)
INSERT_CASE = (
    "INSERT INTO cases (household_code, head_of_household, village, geography, "
    "beneficiary_group, support_type, registered_on, notes, status, status_on, completed_on, "
    "handed_over_on, id, created_at, updated_at, created_by, version, commune_code, "
    "legacy_commune_code, legacy_district_code) VALUES ($1::VARCHAR, $2::VARCHAR, $3::VARCHAR, "
    "$4::VARCHAR, $5::VARCHAR, $6::VARCHAR, $7::DATE, $8::VARCHAR, $9::VARCHAR, $10::DATE, "
    "$11::DATE, $12::DATE, $13::UUID, $14::TIMESTAMP WITH TIME ZONE, $15::TIMESTAMP WITH TIME "
    "ZONE, $16::VARCHAR, $17::INTEGER, $18::VARCHAR, $19::VARCHAR, $20::VARCHAR)"
)
INSERT_STEP = (
    "INSERT INTO case_transitions (case_id, seq, from_status, to_status, on_date, "
    "superseded_on, note, id, created_at, updated_at, created_by, version) VALUES ($1::UUID, "
    "$2::INTEGER, $3::VARCHAR, $4::VARCHAR, $5::DATE, $6::DATE, $7::VARCHAR, $8::UUID, "
    "$9::TIMESTAMP WITH TIME ZONE, $10::TIMESTAMP WITH TIME ZONE, $11::VARCHAR, $12::INTEGER)"
)


def case_answer(row: Any) -> dict[str, Any]:
    funding = {source: int(row[source]) for source in SOURCES}
    return {
        "commune_code": row["commune_code"],
        "legacy_commune_code": row["legacy_commune_code"],
        "legacy_district_code": row["legacy_district_code"],
        "id": str(row["id"]),
        "created_at": stamp(row["created_at"]),
        "updated_at": stamp(row["updated_at"]),
        "created_by": row["created_by"],
        "version": row["version"],
        "household_code": row["household_code"],
        "head_of_household": row["head_of_household"],
        "village": row["village"],
        "geography": row["geography"],
        "beneficiary_group": row["beneficiary_group"],
        "support_type": row["support_type"],
        "registered_on": day(row["registered_on"]),
        "notes": row["notes"],
        "status": row["status"],
        "funding_vnd": funding,
        "total_funding_vnd": sum(funding.values()),
        "state_budget_vnd": funding["central_budget"] + funding["local_budget"],
        "norm_vnd": row["norm_vnd"],
        "completed_on": day(row["completed_on"]),
        "handed_over_on": day(row["handed_over_on"]),
    }


async def housing_list(conn: asyncpg.Connection, limit: int) -> Any:
    rows = await conn.fetch(CASE_PAGE, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    items = [case_answer(row) for row in rows]
    last = rows[-1] if more and rows else None
    return {"items": items, "next_cursor": cursor(last["created_at"], last["id"]) if last else None}


async def housing_read(conn: asyncpg.Connection, id_: uuid.UUID) -> tuple[Any, int] | None:
    row = await conn.fetchrow(CASE_BY_ID, id_)
    if row is None:
        return None
    return case_answer(row), row["version"]


async def housing_create(conn: asyncpg.Connection, body: dict[str, Any]) -> Any:
    now = dt.datetime.now(dt.UTC)
    on = dt.date.fromisoformat(body["registered_on"]) if body.get("registered_on") else today()
    case_id = uuid.uuid4()
    checks = await conn.fetchrow(
        BEFORE_CREATE,
        case_id,
        body["household_code"],
        body["beneficiary_group"],
        body["support_type"],
        on,
    )
    record = {
        "household_code": body["household_code"],
        "head_of_household": body["head_of_household"],
        "village": body.get("village"),
        "geography": "2025-07",
        "beneficiary_group": body["beneficiary_group"],
        "support_type": body["support_type"],
        "registered_on": on,
        "notes": body.get("notes"),
        "status": "registered",
        "status_on": on,
        "completed_on": None,
        "handed_over_on": None,
    }
    commune = body["commune_code"]
    await conn.execute(
        INSERT_CASE, *record.values(), case_id, now, now, ACTOR, 1, commune, None, None
    )
    await conn.execute(
        INSERT_STEP, case_id, 1, None, "registered", on, None, None, uuid.uuid4(), now, now,
        ACTOR, 1,
    )  # fmt: skip
    row = {**record, "id": case_id, "created_at": now, "updated_at": now, "created_by": ACTOR}
    row |= {"version": 1, "commune_code": commune}
    row |= {"legacy_commune_code": None, "legacy_district_code": None}
    row |= dict.fromkeys(SOURCES, 0) | {"norm_vnd": checks["norm_vnd"]}
    answer = case_answer(row)
    audit = {k: v for k, v in answer.items() if k in record or k == "commune_code"}
    await conn.fetchval(
        AUDIT, now, ACTOR, "create", "case", str(case_id), changes(audit), uuid.uuid4().hex,
        f" {commune} ",
    )  # fmt: skip
    await feed(conn, "housing", "case", case_id, f" {commune} ", new=True)
    return answer, case_id


# Labour: one statement, the worker with its remittances summed in a subquery.
WORKER_COLUMNS = (
    "SELECT workers.national_id, workers.full_name, workers.name_folded, "
    "workers.date_of_birth, workers.gender, workers.ethnicity, workers.village, "
    "workers.household_code, workers.household_poverty, workers.phone, workers.id, "
    "workers.created_at, workers.updated_at, workers.created_by, workers.version, "
    "workers.commune_code, workers.legacy_commune_code, workers.legacy_district_code, "
    "(SELECT coalesce(sum(remittances.amount_vnd), $1::INTEGER) AS coalesce_1 \n"
    "FROM remittances JOIN placements ON placements.id = remittances.placement_id \n"
    "WHERE placements.worker_id = workers.id) AS remittances_vnd \nFROM workers \n"
)
WORKER_PAGE = WORKER_COLUMNS + (
    "WHERE true ORDER BY workers.created_at DESC, workers.id DESC \n LIMIT $2::INTEGER"
)
WORKER_BY_ID = WORKER_COLUMNS + "WHERE workers.id = $2::UUID"
INSERT_WORKER = (
    "INSERT INTO workers (national_id, full_name, name_folded, date_of_birth, gender, "
    "ethnicity, village, household_code, household_poverty, phone, id, created_at, updated_at, "
    "created_by, version, commune_code, legacy_commune_code, legacy_district_code) VALUES "
    "($1::VARCHAR, $2::VARCHAR, $3::VARCHAR, $4::DATE, $5::VARCHAR, $6::VARCHAR, $7::VARCHAR, "
    "$8::VARCHAR, $9::VARCHAR, $10::VARCHAR, $11::UUID, $12::TIMESTAMP WITH TIME ZONE, "
    "$13::TIMESTAMP WITH TIME ZONE, $14::VARCHAR, $15::INTEGER, $16::VARCHAR, $17::VARCHAR, "
    "$18::VARCHAR)"
)


def worker_answer(row: Any) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "created_at": stamp(row["created_at"]),
        "updated_at": stamp(row["updated_at"]),
        "created_by": row["created_by"],
        "version": row["version"],
        "commune_code": row["commune_code"],
        "legacy_commune_code": row["legacy_commune_code"],
        "legacy_district_code": row["legacy_district_code"],
        # The bench calls as an admin, who sees identity numbers in full.
        "national_id": row["national_id"],
        "full_name": row["full_name"],
        "date_of_birth": day(row["date_of_birth"]),
        "gender": row["gender"],
        "ethnicity": row["ethnicity"],
        "village": row["village"],
        "household_code": row["household_code"],
        "household_poverty": row["household_poverty"],
        "phone": row["phone"],
        "remittances_vnd": int(row["remittances_vnd"]),
    }


async def labour_list(conn: asyncpg.Connection, limit: int) -> Any:
    rows = await conn.fetch(WORKER_PAGE, 0, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if more and rows else None
    return {
        "items": [worker_answer(row) for row in rows],
        "next_cursor": cursor(last["created_at"], last["id"]) if last else None,
    }


async def labour_read(conn: asyncpg.Connection, id_: uuid.UUID) -> tuple[Any, int] | None:
    row = await conn.fetchrow(WORKER_BY_ID, 0, id_)
    return None if row is None else (worker_answer(row), row["version"])


async def labour_create(conn: asyncpg.Connection, body: dict[str, Any]) -> Any:
    now = dt.datetime.now(dt.UTC)
    worker_id = uuid.uuid4()
    name = body["full_name"]
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())
    row = {
        "national_id": body["national_id"],
        "full_name": name,
        "name_folded": folded,
        "date_of_birth": dt.date.fromisoformat(body["date_of_birth"]),
        "gender": body["gender"],
        "ethnicity": body.get("ethnicity"),
        "village": body.get("village"),
        "household_code": body.get("household_code"),
        "household_poverty": body["household_poverty"],
        "phone": body.get("phone"),
        "id": worker_id,
        "created_at": now,
        "updated_at": now,
        "created_by": ACTOR,
        "version": 1,
        "commune_code": body["commune_code"],
        "legacy_commune_code": None,
        "legacy_district_code": None,
    }
    await conn.execute(INSERT_WORKER, *row.values())
    answer = worker_answer(row | {"remittances_vnd": 0})
    audit = {k: v for k, v in answer.items() if k not in ("id", "created_at", "updated_at")}
    audit["national_id"] = "*" * 8 + row["national_id"][-4:]
    await conn.fetchval(
        AUDIT, now, ACTOR, "create", "worker", str(worker_id), changes(audit), uuid.uuid4().hex,
        f" {row['commune_code']} ",
    )  # fmt: skip
    await feed(conn, "labour", "worker", worker_id, f" {row['commune_code']} ")
    return answer, worker_id


# Production: one statement, the project row (its communes kept on it as JSON).
PROJECT_COLUMNS = (
    "SELECT projects.code, projects.name, projects.lead_entity, projects.lead_entity_type, "
    "projects.product, projects.crop, projects.commune_codes, projects.legacy_commune_codes, "
    "projects.legacy_district_codes, projects.start_on, projects.end_on, "
    "projects.total_cost_vnd, projects.state_support_vnd, projects.disbursed_vnd, "
    "projects.households, projects.poor_households, projects.near_poor_households, "
    "projects.proposed_on, projects.status, projects.status_on, projects.suspended_from, "
    "projects.approved_on, projects.completed_on, projects.id, projects.created_at, "
    "projects.updated_at, projects.created_by, projects.version \nFROM projects "
)
PROJECT_PAGE = PROJECT_COLUMNS + (
    "ORDER BY projects.created_at DESC, projects.id DESC \n LIMIT $1::INTEGER"
)
PROJECT_BY_ID = PROJECT_COLUMNS + "\nWHERE projects.id = $1::UUID"
INSERT_PROJECT = (
    "INSERT INTO projects (code, name, lead_entity, lead_entity_type, product, crop, "
    "commune_codes, legacy_commune_codes, legacy_district_codes, start_on, end_on, "
    "total_cost_vnd, state_support_vnd, disbursed_vnd, households, poor_households, "
    "near_poor_households, proposed_on, status, status_on, suspended_from, approved_on, "
    "completed_on, id, created_at, updated_at, created_by, version) VALUES ($1::VARCHAR, "
    "$2::VARCHAR, $3::VARCHAR, $4::VARCHAR, $5::VARCHAR, $6::VARCHAR, $7::JSON, $8::JSON, "
    "$9::JSON, $10::DATE, $11::DATE, $12::BIGINT, $13::BIGINT, $14::BIGINT, $15::INTEGER, "
    "$16::INTEGER, $17::INTEGER, $18::DATE, $19::VARCHAR, $20::DATE, $21::VARCHAR, $22::DATE, "
    "$23::DATE, $24::UUID, $25::TIMESTAMP WITH TIME ZONE, $26::TIMESTAMP WITH TIME ZONE, "
    "$27::VARCHAR, $28::INTEGER)"
)
# The project's place rows in one statement, as the service writes them.
INSERT_PLACES = (
    "INSERT INTO project_places (project_id, commune_code, legacy_commune_code) "
    "SELECT $1::UUID, unnest($2::VARCHAR[]), NULL"
)
INSERT_PROJECT_STEP = (
    "INSERT INTO project_transitions (project_id, from_status, to_status, on_date, note, id, "
    "created_at, updated_at, created_by, version, seq) VALUES ($1::UUID, $2::VARCHAR, "
    "$3::VARCHAR, $4::DATE, $5::VARCHAR, $6::UUID, $7::TIMESTAMP WITH TIME ZONE, "
    "$8::TIMESTAMP WITH TIME ZONE, $9::VARCHAR, $10::INTEGER, 1)"
)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def project_answer(row: Any) -> dict[str, Any]:
    legacy = _json(row["legacy_commune_codes"])
    return {
        "id": str(row["id"]),
        "created_at": stamp(row["created_at"]),
        "updated_at": stamp(row["updated_at"]),
        "created_by": row["created_by"],
        "version": row["version"],
        "code": row["code"],
        "name": row["name"],
        "lead_entity": row["lead_entity"],
        "lead_entity_type": row["lead_entity_type"],
        "product": row["product"],
        "crop": row["crop"],
        "commune_codes": _json(row["commune_codes"]),
        "legacy_commune_codes": legacy,
        "legacy_district_codes": _json(row["legacy_district_codes"]),
        "geography": "2025-01" if legacy is not None else "2025-07",
        "start_on": day(row["start_on"]),
        "end_on": day(row["end_on"]),
        "total_cost_vnd": row["total_cost_vnd"],
        "state_support_vnd": row["state_support_vnd"],
        "disbursed_vnd": row["disbursed_vnd"],
        "households": row["households"],
        "poor_households": row["poor_households"],
        "near_poor_households": row["near_poor_households"],
        "proposed_on": day(row["proposed_on"]),
        "status": row["status"],
        "suspended_from": row["suspended_from"],
        "approved_on": day(row["approved_on"]),
        "completed_on": day(row["completed_on"]),
    }


async def production_list(conn: asyncpg.Connection, limit: int) -> Any:
    rows = await conn.fetch(PROJECT_PAGE, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if more and rows else None
    return {
        "items": [project_answer(row) for row in rows],
        "next_cursor": cursor(last["created_at"], last["id"]) if last else None,
    }


async def production_read(conn: asyncpg.Connection, id_: uuid.UUID) -> tuple[Any, int] | None:
    row = await conn.fetchrow(PROJECT_BY_ID, id_)
    return None if row is None else (project_answer(row), row["version"])


async def production_create(conn: asyncpg.Connection, body: dict[str, Any]) -> Any:
    now = dt.datetime.now(dt.UTC)
    project_id = uuid.uuid4()
    proposed = dt.date.fromisoformat(body["proposed_on"]) if body.get("proposed_on") else today()
    end_on = body.get("end_on")
    row = {
        "code": body.get("code"),
        "name": body["name"],
        "lead_entity": body["lead_entity"],
        "lead_entity_type": body["lead_entity_type"],
        "product": body["product"],
        "crop": body.get("crop"),
        "commune_codes": json.dumps(sorted(set(body["commune_codes"]))),
        "legacy_commune_codes": None,
        "legacy_district_codes": None,
        "start_on": dt.date.fromisoformat(body["start_on"]),
        "end_on": dt.date.fromisoformat(end_on) if end_on else None,
        "total_cost_vnd": body["total_cost_vnd"],
        "state_support_vnd": body["state_support_vnd"],
        "disbursed_vnd": 0,
        "households": body["households"],
        "poor_households": body["poor_households"],
        "near_poor_households": body["near_poor_households"],
        "proposed_on": proposed,
        "status": "proposed",
        "status_on": proposed,
        "suspended_from": None,
        "approved_on": None,
        "completed_on": None,
        "id": project_id,
        "created_at": now,
        "updated_at": now,
        "created_by": ACTOR,
        "version": 1,
    }
    await conn.execute(INSERT_PROJECT, *row.values())
    await conn.execute(INSERT_PLACES, project_id, sorted(set(body["commune_codes"])))
    await conn.execute(
        INSERT_PROJECT_STEP, project_id, None, "proposed", proposed, None, uuid.uuid4(), now,
        now, ACTOR, 1,
    )  # fmt: skip
    answer = project_answer(row)
    audit = {k: v for k, v in answer.items() if k not in ("id", "created_at", "updated_at")}
    communes = " " + " ".join(sorted(set(body["commune_codes"]))) + " "
    await conn.fetchval(
        AUDIT, now, ACTOR, "create", "project", str(project_id), changes(audit),
        uuid.uuid4().hex, communes,
    )  # fmt: skip
    await feed(conn, "production", "project", project_id, communes)
    return answer, project_id


# What every create writes after its audit row, as the kit's change feed
# sends it (mtqg_shared.kit.changes.Feed.write): old superseded rows purged, the record's
# earlier rows superseded, the service's feed lock, the head, the record's row.
PURGE_CHANGES = (
    "DELETE FROM changes WHERE changes.seq IN (SELECT changes.seq \nFROM changes \n"
    "WHERE changes.superseded_at < $1::TIMESTAMP WITH TIME ZONE ORDER BY changes.superseded_at "
    "\n LIMIT $2::INTEGER)"
)
SUPERSEDE_CHANGES = (
    "UPDATE changes SET superseded_at=$1::TIMESTAMP WITH TIME ZONE WHERE changes.entity_type = "
    "$2::VARCHAR AND changes.entity_id = $3::VARCHAR AND changes.superseded_at IS NULL"
)
FEED_LOCK = "SELECT pg_advisory_xact_lock($1)"
FEED_HEAD = "SELECT max(changes.seq) AS max_1 \nFROM changes"
INSERT_CHANGE = (
    "INSERT INTO changes (seq, at, resource, entity_type, entity_id, path, communes) VALUES "
    "($1::BIGINT, $2::TIMESTAMP WITH TIME ZONE, $3::VARCHAR, $4::VARCHAR, $5::VARCHAR, "
    "$6::VARCHAR, $7::VARCHAR)"
)
# As the settings' defaults: changes kept 90 days after they were superseded, 100 purged a write.
RETENTION = dt.timedelta(days=90)
PURGE_BATCH = 100


async def feed(
    conn: asyncpg.Connection,
    service: str,
    entity_type: str,
    id_: uuid.UUID,
    communes: str,
    *,
    new: bool = False,
) -> None:
    """`new`: a record written set-based with an id never used (housing's cases), which has
    no earlier rows to supersede."""
    now = dt.datetime.now(dt.UTC)
    resource = COLLECTIONS[service]
    await conn.execute(PURGE_CHANGES, now - RETENTION, PURGE_BATCH)
    if not new:
        await conn.executemany(SUPERSEDE_CHANGES, [(now, entity_type, str(id_))])
    await conn.execute(FEED_LOCK, zlib.crc32(f"mtqg.changes.{service}".encode()))
    head = await conn.fetchval(FEED_HEAD) or 0
    path = f"/api/v1/{service}/{resource}/{id_}"
    await conn.execute(
        INSERT_CHANGE, head + 1, now, resource, entity_type, str(id_), path, communes
    )


def geography(legacy_commune_code: str | None) -> str:
    return "2025-01" if legacy_commune_code is not None else "2025-07"


def place(row: Any) -> dict[str, Any]:
    """The fields every placed record answers first."""
    return {
        "commune_code": row["commune_code"],
        "legacy_commune_code": row["legacy_commune_code"],
        "legacy_district_code": row["legacy_district_code"],
        "id": str(row["id"]),
        "created_at": stamp(row["created_at"]),
        "updated_at": stamp(row["updated_at"]),
        "created_by": row["created_by"],
        "version": row["version"],
    }


def page_of(rows: list[Any], limit: int, answer: Callable[[Any], Any]) -> Any:
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if more and rows else None
    return {
        "items": [answer(row) for row in rows],
        "next_cursor": cursor(last["created_at"], last["id"]) if last else None,
    }


# Gender: its activities, one row each, a topic or a language one boolean column.
TOPICS = [t.value for t in Topic]
LANGUAGES = [lang.value for lang in Language]
_ACTIVITY_FLAGS = [f"topic_{t}" for t in TOPICS] + [f"language_{lang}" for lang in LANGUAGES]
ACTIVITY_COLUMNS = (
    "SELECT activities.kind, activities.held_on, activities.model_id, activities.participants, "
    "activities.participants_female, activities.online_reach, "
    + ", ".join(f"activities.{column}" for column in _ACTIVITY_FLAGS)
    + ", activities.id, activities.created_at, activities.updated_at, activities.created_by, "
    "activities.version, activities.commune_code, activities.legacy_commune_code, "
    "activities.legacy_district_code \nFROM activities "
)
ACTIVITY_PAGE = ACTIVITY_COLUMNS + (
    "ORDER BY activities.created_at DESC, activities.id DESC \n LIMIT $1::INTEGER"
)
ACTIVITY_BY_ID = ACTIVITY_COLUMNS + "\nWHERE activities.id = $1::UUID"
INSERT_ACTIVITY = (
    "INSERT INTO activities (kind, held_on, model_id, participants, participants_female, "
    "online_reach, " + ", ".join(_ACTIVITY_FLAGS) + ", id, created_at, updated_at, created_by, "
    "version, commune_code, legacy_commune_code, legacy_district_code) VALUES ($1::VARCHAR, "
    "$2::DATE, $3::UUID, $4::INTEGER, $5::INTEGER, $6::INTEGER, $7::BOOLEAN, $8::BOOLEAN, "
    "$9::BOOLEAN, $10::BOOLEAN, $11::BOOLEAN, $12::BOOLEAN, $13::BOOLEAN, $14::BOOLEAN, "
    "$15::BOOLEAN, $16::BOOLEAN, $17::UUID, $18::TIMESTAMP WITH TIME ZONE, $19::TIMESTAMP WITH "
    "TIME ZONE, $20::VARCHAR, $21::INTEGER, $22::VARCHAR, $23::VARCHAR, $24::VARCHAR)"
)

# The fields of its audit row, in the resource's order (gender/activities/repository.py).
ACTIVITY_AUDITED = (
    "kind", "held_on", "commune_code", "legacy_commune_code", "legacy_district_code",
    "geography", "model_id", "topics", "languages", "participants", "participants_female",
    "online_reach",
)  # fmt: skip


def activity_answer(row: Any) -> dict[str, Any]:
    model_id = row["model_id"]
    return place(row) | {
        "kind": row["kind"],
        "held_on": day(row["held_on"]),
        "geography": geography(row["legacy_commune_code"]),
        "model_id": None if model_id is None else str(model_id),
        "topics": [t for t in TOPICS if row[f"topic_{t}"]],
        "languages": [lang for lang in LANGUAGES if row[f"language_{lang}"]],
        "participants": row["participants"],
        "participants_female": row["participants_female"],
        "online_reach": row["online_reach"],
    }


async def gender_list(conn: asyncpg.Connection, limit: int) -> Any:
    return page_of(await conn.fetch(ACTIVITY_PAGE, limit + 1), limit, activity_answer)


async def gender_read(conn: asyncpg.Connection, id_: uuid.UUID) -> tuple[Any, int] | None:
    row = await conn.fetchrow(ACTIVITY_BY_ID, id_)
    return None if row is None else (activity_answer(row), row["version"])


async def gender_create(conn: asyncpg.Connection, body: dict[str, Any]) -> Any:
    """An activity given in the 2025-07 geography (the bench sends only those)."""
    now = dt.datetime.now(dt.UTC)
    activity_id = uuid.uuid4()
    model_id = body.get("model_id")
    row = {
        "kind": body["kind"],
        "held_on": dt.date.fromisoformat(body["held_on"]),
        "model_id": None if model_id is None else uuid.UUID(model_id),
        "participants": body["participants"],
        "participants_female": body["participants_female"],
        "online_reach": body.get("online_reach"),
        **{f"topic_{t}": t in body["topics"] for t in TOPICS},
        **{f"language_{lang}": lang in body["languages"] for lang in LANGUAGES},
        "id": activity_id,
        "created_at": now,
        "updated_at": now,
        "created_by": ACTOR,
        "version": 1,
        "commune_code": body["commune_code"],
        "legacy_commune_code": None,
        "legacy_district_code": None,
    }
    await conn.execute(INSERT_ACTIVITY, *row.values())
    answer = activity_answer(row)
    audit = {k: answer[k] for k in ACTIVITY_AUDITED}
    communes = f" {row['commune_code']} "
    await conn.fetchval(
        AUDIT, now, ACTOR, "create", "activity", str(activity_id), changes(audit),
        uuid.uuid4().hex, communes,
    )  # fmt: skip
    await feed(conn, "gender", "activity", activity_id, communes)
    return answer, activity_id


# Digital: its assets, each with its first status period.
ASSET_COLUMNS = (
    "SELECT assets.kind, assets.village, assets.installed_on, assets.count, "
    "assets.connected_to_ioc, assets.status, assets.status_on, assets.id, assets.created_at, "
    "assets.updated_at, assets.created_by, assets.version, assets.commune_code, "
    "assets.legacy_commune_code, assets.legacy_district_code \nFROM assets "
)
ASSET_PAGE = ASSET_COLUMNS + "ORDER BY assets.created_at DESC, assets.id DESC \n LIMIT $1::INTEGER"
ASSET_BY_ID = ASSET_COLUMNS + "\nWHERE assets.id = $1::UUID"
INSERT_ASSET = (
    "INSERT INTO assets (kind, village, installed_on, count, connected_to_ioc, status, "
    "status_on, id, created_at, updated_at, created_by, version, commune_code, "
    "legacy_commune_code, legacy_district_code) VALUES ($1::VARCHAR, $2::VARCHAR, $3::DATE, "
    "$4::INTEGER, $5::BOOLEAN, $6::VARCHAR, $7::DATE, $8::UUID, $9::TIMESTAMP WITH TIME ZONE, "
    "$10::TIMESTAMP WITH TIME ZONE, $11::VARCHAR, $12::INTEGER, $13::VARCHAR, $14::VARCHAR, "
    "$15::VARCHAR)"
)
INSERT_ASSET_PERIOD = (
    "INSERT INTO asset_statuses (asset_id, seq, status, from_on, until_on) VALUES ($1::UUID, "
    "$2::INTEGER, $3::VARCHAR, $4::DATE, $5::DATE)"
)

# The fields of its audit row, in the resource's order (digital/assets/repository.py).
ASSET_AUDITED = (
    "kind", "commune_code", "legacy_commune_code", "legacy_district_code", "geography",
    "village", "installed_on", "count", "connected_to_ioc", "status", "status_on",
)  # fmt: skip


def asset_answer(row: Any) -> dict[str, Any]:
    return place(row) | {
        "kind": row["kind"],
        "geography": geography(row["legacy_commune_code"]),
        "village": row["village"],
        "installed_on": day(row["installed_on"]),
        "count": row["count"],
        "connected_to_ioc": row["connected_to_ioc"],
        "status": row["status"],
        "status_on": day(row["status_on"]),
    }


async def digital_list(conn: asyncpg.Connection, limit: int) -> Any:
    return page_of(await conn.fetch(ASSET_PAGE, limit + 1), limit, asset_answer)


async def digital_read(conn: asyncpg.Connection, id_: uuid.UUID) -> tuple[Any, int] | None:
    row = await conn.fetchrow(ASSET_BY_ID, id_)
    return None if row is None else (asset_answer(row), row["version"])


async def digital_create(conn: asyncpg.Connection, body: dict[str, Any]) -> Any:
    """An asset given in the 2025-07 geography (the bench sends only those)."""
    now = dt.datetime.now(dt.UTC)
    asset_id = uuid.uuid4()
    installed = dt.date.fromisoformat(body["installed_on"])
    status = body.get("status", "active")
    row = {
        "kind": body["kind"],
        "village": body.get("village"),
        "installed_on": installed,
        "count": body.get("count", 1),
        "connected_to_ioc": body.get("connected_to_ioc", False),
        "status": status,
        "status_on": installed,
        "id": asset_id,
        "created_at": now,
        "updated_at": now,
        "created_by": ACTOR,
        "version": 1,
        "commune_code": body["commune_code"],
        "legacy_commune_code": None,
        "legacy_district_code": None,
    }
    await conn.execute(INSERT_ASSET, *row.values())
    await conn.execute(INSERT_ASSET_PERIOD, asset_id, 1, status, installed, None)
    answer = asset_answer(row)
    audit = {k: answer[k] for k in ASSET_AUDITED}
    communes = f" {row['commune_code']} "
    await conn.fetchval(
        AUDIT, now, ACTOR, "create", "asset", str(asset_id), changes(audit), uuid.uuid4().hex,
        communes,
    )  # fmt: skip
    await feed(conn, "digital", "asset", asset_id, communes)
    return answer, asset_id


HANDLERS: dict[str, tuple[Any, Any, Any]] = {
    "housing": (housing_list, housing_read, housing_create),
    "labour": (labour_list, labour_read, labour_create),
    "production": (production_list, production_read, production_create),
    "gender": (gender_list, gender_read, gender_create),
    "digital": (digital_list, digital_read, digital_create),
}

JSON_HEADER = (b"content-type", b"application/json")


class RawApp:
    """A pure ASGI app: one pool, three routes, /healthz."""

    def __init__(self, service: str, dsn: str, pool_size: int) -> None:
        self.service = service
        self.dsn = dsn
        self.pool_size = pool_size
        self.collection = f"/api/v1/{service}/{COLLECTIONS[service]}"
        self.list, self.read, self.create = HANDLERS[service]
        self.pool: asyncpg.Pool | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        status, body, headers = await self._answer(scope, receive)
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    JSON_HEADER,
                    (b"content-length", str(len(data)).encode()),
                    *headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": data})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.pool = await asyncpg.create_pool(
                    self.dsn,
                    min_size=self.pool_size,
                    max_size=2 * self.pool_size,
                    server_settings={"search_path": self.service},
                )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _answer(self, scope: Scope, receive: Receive) -> Answer:
        path, method = scope["path"], scope["method"]
        if path == "/healthz":
            return 200, {"status": "ok"}, []
        if not any(name == b"authorization" for name, _ in scope["headers"]):
            return 401, {"status": 401, "title": "Unauthorized"}, []
        assert self.pool is not None
        if path == self.collection and method == "GET":
            query = parse_qs(scope["query_string"].decode())
            limit = int(query.get("limit", ["50"])[0])
            async with self.pool.acquire() as conn, _rolled_back(conn):
                return 200, await self.list(conn, limit), []
        if path == self.collection and method == "POST":
            body = json.loads(await _body(receive))
            async with self.pool.acquire() as conn, conn.transaction():
                answer, id_ = await self.create(conn, body)
            location = f"{self.collection}/{id_}".encode()
            return 201, answer, [(b"etag", b'"1"'), (b"location", location)]
        if path.startswith(self.collection + "/") and method == "GET":
            id_ = uuid.UUID(path.rsplit("/", 1)[1])
            async with self.pool.acquire() as conn, _rolled_back(conn):
                found = await self.read(conn, id_)
            if found is None:
                return 404, {"status": 404, "title": "Not Found"}, []
            answer, version = found
            return 200, answer, [(b"etag", f'"{version}"'.encode())]
        return 404, {"status": 404, "title": "Not Found"}, []


class _rolled_back:
    """A read transaction rolled back at the end, as the services' read sessions are."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.transaction = conn.transaction()

    async def __aenter__(self) -> None:
        await self.transaction.start()

    async def __aexit__(self, *_: object) -> None:
        await self.transaction.rollback()


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("service", choices=sorted(COLLECTIONS))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dsn", required=True, help="postgresql://... of the database")
    parser.add_argument("--pool-size", type=int, default=10, help="as MTQG_DB_POOL_SIZE")
    args = parser.parse_args()
    uvicorn.run(
        RawApp(args.service, args.dsn, args.pool_size),
        host="127.0.0.1",
        port=args.port,
        loop="uvloop",
        http="httptools",
        log_level="info",
        access_log=False,
        proxy_headers=False,
    )


if __name__ == "__main__":
    main()
