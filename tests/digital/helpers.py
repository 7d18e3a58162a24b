"""Small helpers the digital tests share: callers, places, and records made through the API."""

from __future__ import annotations

from typing import Any

import httpx

from tests import support
from tests.gender.helpers import admin, days_ago, officer, system, viewer
from tests.production.helpers import assert_problem, fields_of

API = "/api/v1/digital"
# Gia Phú: old commune 02923 of Bảo Thắng (086); from 2025-07 the new commune Gia Phú (02923)
# took it with Xuân Giao (02932) and Thống Nhất (02659).
GIA_PHU = "02923"
BAO_THANG = "086"
XUAN_GIAO = "02932"
ELSEWHERE = "03006"  # Sa Pa, far from Gia Phú

__all__ = ["admin", "assert_problem", "days_ago", "fields_of", "officer", "system", "viewer"]


def approver(*areas: str) -> dict[str, str]:
    return support.auth(subject="approver", roles=["approver"], areas=list(areas) or ["15"])


async def created(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str] | None
) -> dict[str, Any]:
    answer = await client.post(f"{API}/{path}", json=body, headers=headers or admin())
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def asset_body(**fields: Any) -> dict[str, Any]:
    return {
        "kind": "camera",
        "commune_code": GIA_PHU,
        "village": "Đông Căm",
        "installed_on": "2025-08-15",
        "count": 5,
        "connected_to_ioc": True,
    } | fields


async def create_asset(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "assets", asset_body(**fields), headers)


def team_body(**fields: Any) -> dict[str, Any]:
    return {
        "commune_code": GIA_PHU,
        "village": "Đông Căm",
        "established_on": "2025-08-10",
        "members": 5,
    } | fields


async def create_team(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "teams", team_body(**fields), headers)


def village_body(**fields: Any) -> dict[str, Any]:
    return {"commune_code": GIA_PHU, "village": "Đông Căm", "started_on": "2025-08-01"} | fields


async def create_village(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "smart-villages", village_body(**fields), headers)


def seller_body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Hợp tác xã nông nghiệp Gia Phú",
        "kind": "cooperative",
        "commune_code": GIA_PHU,
        "since": "2025-08-01",
        "platforms": ["postmart.vn", "Facebook"],
        "ocop_products_online": 11,
    } | fields


async def create_seller(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "sellers", seller_body(**fields), headers)


def spending_body(**fields: Any) -> dict[str, Any]:
    return {
        "commune_code": GIA_PHU,
        "on": "2025-09-30",
        "amount_vnd": 150_000_000,
        "source": "local_budget",
        "purpose": "Lắp camera giám sát kết nối IOC",
    } | fields


async def spend(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    return await created(client, "spending", spending_body(**fields), headers)


async def put_profile(
    client: httpx.AsyncClient,
    code: str = GIA_PHU,
    year: int = 2025,
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> httpx.Response:
    body = {"officials": 25, "officials_it_certified": 22} | fields
    return await client.put(
        f"{API}/commune-profiles/{code}/{year}", json=body, headers=headers or admin()
    )


async def audit_of(client: httpx.AsyncClient, entity_type: str, entity_id: str) -> list[Any]:
    answer = await client.get(
        f"{API}/audit",
        params={"entity_type": entity_type, "entity_id": entity_id},
        headers=admin(),
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


async def overview(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **params: Any
) -> dict[str, Any]:
    answer = await client.get(f"{API}/reports/overview", params=params, headers=headers or admin())
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def if_match(version: int, headers: dict[str, str] | None = None) -> dict[str, str]:
    return (headers or admin()) | {"If-Match": f'"{version}"'}
