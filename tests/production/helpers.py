"""Small helpers the production tests share: callers, places, and records made through the API."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import httpx

from mtqg_shared.types import today_vn
from tests import support

API = "/api/v1/production"
# Bảo Yên: old district 087. Its old communes went into these new communes.
BAO_YEN = "087"
NEW_BAO_YEN = "02947"  # took the town Phố Ràng 02947, Xuân Thượng 02980, Yên Sơn, Lương Sơn
NEW_NGHIA_DO = "02953"  # took Tân Tiến 02950, Nghĩa Đô 02953, Vĩnh Yên 02956
NEW_BAO_HA = "02989"  # took Kim Sơn 02971, Cam Cọn 02974, Bảo Hà 02989 and two of old 088
BAO_YEN_NEW_COMMUNES = ("02947", "02953", "02962", "02968", "02989", "02998")
OLD_NGHIA_DO = "02953"
OLD_VINH_YEN = "02956"
OLD_KIM_SON = "02971"
ELSEWHERE = "02647"  # Phường Lào Cai, far from Bảo Yên

_codes = itertools.count(1)


def admin(**kwargs: Any) -> dict[str, str]:
    return support.auth(subject="admin", roles=["admin"], **kwargs)


def officer(*areas: str, subject: str = "officer") -> dict[str, str]:
    return support.auth(subject=subject, roles=["officer"], areas=list(areas) or ["15"])


def approver(*areas: str, subject: str = "approver") -> dict[str, str]:
    return support.auth(subject=subject, roles=["approver"], areas=list(areas) or ["15"])


def viewer(*areas: str) -> dict[str, str]:
    return support.auth(subject="viewer", roles=["viewer"], areas=list(areas) or ["15"])


def system(*scopes: str, areas: tuple[str, ...] = ("15",)) -> dict[str, str]:
    return support.auth(subject="system", kind="client", scopes=list(scopes), areas=list(areas))


def days_ago(n: int) -> str:
    return (today_vn() - dt.timedelta(days=n)).isoformat()


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_codes):06d}"


def assert_problem(answer: httpx.Response, status: int, type_: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["type"] == f"/problems/{type_}", body
    return dict(body)


def fields_of(problem: dict[str, Any]) -> list[str]:
    return [e["field"] for e in problem.get("errors", [])]


async def created(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str] | None
) -> dict[str, Any]:
    answer = await client.post(f"{API}/{path}", json=body, headers=headers or admin())
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def zone_body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Vùng quế hữu cơ",
        "crop": "cinnamon",
        "area_code": NEW_NGHIA_DO,
        "year": 2025,
        "area_ha": 120.5,
    } | fields


async def create_zone(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "zones", zone_body(**fields), headers)


def project_body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Liên kết chuỗi quế hữu cơ",
        "lead_entity": "HTX Nông nghiệp Nghĩa Đô",
        "lead_entity_type": "cooperative",
        "product": "quế vỏ khô",
        "crop": "cinnamon",
        "commune_codes": [NEW_NGHIA_DO],
        "start_on": "2025-08-01",
        "total_cost_vnd": 5_000_000_000,
        "state_support_vnd": 3_000_000_000,
        "households": 120,
        "poor_households": 30,
        "near_poor_households": 25,
    } | fields


async def create_project(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "projects", project_body(**fields), headers)


async def step(
    client: httpx.AsyncClient,
    project_id: str,
    to: str,
    on: str | None = None,
    *,
    headers: dict[str, str] | None = None,
    note: str | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"to": to}
    if on is not None:
        body["on"] = on
    if note is not None or to in ("rejected", "suspended"):
        body["note"] = note or "decided at the district meeting"
    return await client.post(
        f"{API}/projects/{project_id}/transitions", json=body, headers=headers or admin()
    )


async def approved_project(
    client: httpx.AsyncClient, *, on: str | None = None, **fields: Any
) -> dict[str, Any]:
    """A project proposed and approved (on `on`, default 30 days ago)."""
    fields.setdefault("proposed_on", days_ago(60))
    project = await create_project(client, **fields)
    answer = await step(client, project["id"], "approved", on or days_ago(30))
    assert answer.status_code == 201, answer.text
    return project


async def disburse(
    client: httpx.AsyncClient,
    project_id: str,
    amount: int,
    on: str,
    source: str = "central_budget",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return await client.post(
        f"{API}/projects/{project_id}/disbursements",
        json={"amount_vnd": amount, "on": on, "source": source},
        headers=headers or admin(),
    )


def facility_body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Cơ sở chế biến quế",
        "commune_code": NEW_NGHIA_DO,
        "kind": "cooperative",
        "products": ["tinh dầu quế", "quế thanh"],
        "jobs": 25,
    } | fields


async def create_facility(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "facilities", facility_body(**fields), headers)


def ocop_body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Tinh dầu quế Bảo Yên",
        "producer": "HTX Quế Bảo Yên",
        "commune_code": NEW_BAO_YEN,
        "category": "thực phẩm",
        "stars": 4,
        "score": 75,
        "certified_on": "2025-09-15",
    } | fields


async def create_ocop(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "ocop-products", ocop_body(**fields), headers)


async def audit_of(client: httpx.AsyncClient, entity_type: str, entity_id: str) -> list[Any]:
    answer = await client.get(
        f"{API}/audit",
        params={"entity_type": entity_type, "entity_id": entity_id},
        headers=admin(),
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])
