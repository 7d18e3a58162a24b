"""Small helpers the gender tests share: callers, places, and records made through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from mtqg_shared.types import today_vn
from tests import support
from tests.production.helpers import assert_problem, fields_of

API = "/api/v1/gender"
# Sa Pa: old town 088. Its six wards became the new ward Sa Pa (03006).
SA_PA = "088"
NEW_SA_PA = "03006"  # took Sa Pa 03001, Sa Pả 03002, Ô Quý Hồ, Phan Si Păng, Hàm Rồng, Cầu Mây
NEW_TA_VAN = "03037"  # took Hoàng Liên 03019, Mường Hoa 03037, Tả Van 03040
OLD_TA_VAN = "03040"
OLD_HAM_RONG = "03016"
ELSEWHERE = "02647"  # Phường Lào Cai, far from Sa Pa

__all__ = ["assert_problem", "fields_of"]


def admin(**kwargs: Any) -> dict[str, str]:
    return support.auth(subject="admin", roles=["admin"], **kwargs)


def officer(*areas: str, subject: str = "officer") -> dict[str, str]:
    return support.auth(subject=subject, roles=["officer"], areas=list(areas) or ["15"])


def viewer(*areas: str) -> dict[str, str]:
    return support.auth(subject="viewer", roles=["viewer"], areas=list(areas) or ["15"])


def system(*scopes: str, areas: tuple[str, ...] = ("15",)) -> dict[str, str]:
    return support.auth(subject="system", kind="client", scopes=list(scopes), areas=list(areas))


def days_ago(n: int) -> str:
    return (today_vn() - dt.timedelta(days=n)).isoformat()


async def created(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str] | None
) -> dict[str, Any]:
    answer = await client.post(f"{API}/{path}", json=body, headers=headers or admin())
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def model_body(**fields: Any) -> dict[str, Any]:
    return {
        "kind": "communication_team",
        "name": "Đội truyền thông bản Lao Chải",
        "commune_code": NEW_TA_VAN,
        "village": "Lao Chải",
        "established_on": "2025-08-08",
        "members": 12,
        "members_female": 9,
    } | fields


async def create_model(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "models", model_body(**fields), headers)


def activity_body(**fields: Any) -> dict[str, Any]:
    return {
        "kind": "communication",
        "held_on": "2025-09-12",
        "commune_code": NEW_TA_VAN,
        "topics": ["domestic_violence", "child_marriage"],
        "languages": ["vi", "hmn"],
        "participants": 85,
        "participants_female": 60,
    } | fields


async def create_activity(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "activities", activity_body(**fields), headers)


def material_body(**fields: Any) -> dict[str, Any]:
    return {
        "topic": "child_marriage",
        "format": "leaflet",
        "commune_code": NEW_SA_PA,
        "published_on": "2025-08-20",
        "versions": [
            {"language": "vi", "title": "Nói không với tảo hôn"},
            {"language": "hmn", "title": "Tsis txhob yuav poj niam thaum tseem yau"},
        ],
    } | fields


async def create_material(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "materials", material_body(**fields), headers)


def spending_body(**fields: Any) -> dict[str, Any]:
    return {
        "commune_code": NEW_SA_PA,
        "on": "2025-09-30",
        "amount_vnd": 45_000_000,
        "source": "central_budget",
        "purpose": "In tờ rơi ba thứ tiếng",
    } | fields


async def spend(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "spending", spending_body(**fields), headers)


async def audit_of(client: httpx.AsyncClient, entity_type: str, entity_id: str) -> list[Any]:
    answer = await client.get(
        f"{API}/audit",
        params={"entity_type": entity_type, "entity_id": entity_id},
        headers=admin(),
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])
