"""Tokens, places and record makers the labour tests share."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx

from tests import support

P = "/api/v1/labour"

# New Cao Sơn (2025-07) took in old La Pan Tẩn 02791, Cao Sơn 02782, Lùng Khấu Nhin 02776
# and Tả Thàng 02794, all of old Mường Khương (083).
HOME = "02782"
LA_PAN_TAN = "02791"
OLD_CAO_SON = "02782"
MUONG_KHUONG = "083"
# Another new commune of old Mường Khương, and one far away.
NEIGHBOUR = "02761"
NEIGHBOUR_OLD = "02770"
ELSEWHERE = "02647"

ADMIN = support.auth()
OFFICER = support.auth(subject="officer", roles=["officer"])
VIEWER = support.auth(subject="viewer", roles=["viewer"])
APPROVER = support.auth(subject="approver", roles=["approver"])
HOME_OFFICER = support.auth(subject="home-officer", roles=["officer"], areas=[HOME])
HOME_VIEWER = support.auth(subject="home-viewer", roles=["viewer"], areas=[HOME])
AWAY_OFFICER = support.auth(subject="away-officer", roles=["officer"], areas=[ELSEWHERE])
AWAY_ADMIN = support.auth(subject="away-admin", roles=["admin"], areas=[ELSEWHERE])
CLIENT_READ = support.auth(subject="reader-system", kind="client", scopes=["labour:read"])
CLIENT_WRITE = support.auth(
    subject="writer-system", kind="client", scopes=["labour:read", "labour:write"]
)
HOUSING_CLIENT = support.auth(
    subject="housing-system", kind="client", scopes=["housing:read", "housing:write"]
)

_ids = itertools.count(100_000_000_001)


def national_id() -> str:
    """A fresh 12-digit identity number per call (unique within a run)."""
    return f"{next(_ids):012d}"


def worker_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "national_id": national_id(),
        "full_name": "Vàng Seo Dìn",
        "date_of_birth": "1998-03-04",
        "gender": "male",
        "ethnicity": "Mông",
        "commune_code": LA_PAN_TAN,
        "geography": "2025-01",
        "village": "Thôn Lao Chải",
        "household_code": "LPT-001",
        "household_poverty": "poor",
        "phone": "0912345678",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


async def make_worker(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **overrides: Any
) -> dict[str, Any]:
    answer = await client.post(
        f"{P}/workers", json=worker_body(**overrides), headers=headers or ADMIN
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def make_partner(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    body = {"name": "Trung tâm Dịch vụ việc làm tỉnh Lào Cai", "kind": "employment_service_centre"}
    body.update(overrides)
    answer = await client.post(f"{P}/partners", json=body, headers=ADMIN)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def make_placement(
    client: httpx.AsyncClient,
    worker_id: str,
    headers: dict[str, str] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "worker_id": worker_id,
        "destination_country": "TW",
        "scheme": "contract",
        "employer": "Formosa Plastics",
        "sector": "manufacturing",
        "contract_months": 36,
        "monthly_salary_vnd": 35_000_000,
        "registered_on": "2023-09-01",
    }
    body.update(overrides)
    body = {k: v for k, v in body.items() if v is not None}
    answer = await client.post(f"{P}/placements", json=body, headers=headers or ADMIN)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


PATH = ["training", "documents", "departed", "working", "returned"]


async def move(
    client: httpx.AsyncClient,
    placement_id: str,
    to: str,
    on: str | None = None,
    note: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"to": to}
    if on is not None:
        body["on"] = on
    if note is not None:
        body["note"] = note
    return await client.post(
        f"{P}/placements/{placement_id}/transitions", json=body, headers=headers or ADMIN
    )


async def advance(client: httpx.AsyncClient, placement_id: str, dates: dict[str, str]) -> None:
    """Walk the status path, one step per entry of `dates` (status -> date), in order."""
    for status, on in dates.items():
        answer = await move(client, placement_id, status, on)
        assert answer.status_code == 201, answer.text


async def departed_placement(
    client: httpx.AsyncClient,
    departed_on: str = "2024-02-10",
    **overrides: Any,
) -> tuple[dict[str, Any], dict[str, Any]]:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"], **overrides)
    await advance(
        client,
        placement["id"],
        {"training": "2023-10-01", "documents": "2023-12-01", "departed": departed_on},
    )
    return worker, placement


async def remit(
    client: httpx.AsyncClient,
    placement_id: str,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return await client.post(
        f"{P}/placements/{placement_id}/remittances", json=body, headers=headers or ADMIN
    )


def assert_problem(answer: httpx.Response, status: int, type_: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["type"] == f"/problems/{type_}"
    assert body["status"] == status
    return dict(body)


def error_fields(answer: httpx.Response) -> set[str]:
    return {e["field"] for e in answer.json().get("errors", [])}


async def audit_of(client: httpx.AsyncClient, entity_type: str, entity_id: str) -> list[Any]:
    answer = await client.get(
        f"{P}/audit", params={"entity_type": entity_type, "entity_id": entity_id}, headers=ADMIN
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def new_id() -> str:
    return str(uuid.uuid4())
