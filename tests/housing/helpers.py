"""Small helpers the housing tests share: callers, and records made through the API."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import httpx

from mtqg_shared.types import today_vn
from tests import support

API = "/api/v1/housing"
# Si Ma Cai: old district 084; its old communes became the new communes below.
SI_MA_CAI = "084"
NEW_SI_MA_CAI = "02809"  # took Nàn Sán 02800, the town 02809, Sán Chải, Cán Cấu, Quan Hồ Thẩn
NEW_SIN_CHENG = "02824"  # took Thào Chư Phìn 02803, Bản Mế 02806, Sín Chéng, Nàn Xín 02836
NEW_LUNG_PHINH = "02848"  # took Lùng Thẩn 02818 (and communes of another old district)
OLD_NAN_SAN = "02800"
ELSEWHERE = "02647"  # Phường Lào Cai, far from Si Ma Cai

_households = itertools.count(1)


def admin(**kwargs: Any) -> dict[str, str]:
    return support.auth(subject="admin", roles=["admin"], **kwargs)


def officer(*areas: str, subject: str = "officer") -> dict[str, str]:
    return support.auth(subject=subject, roles=["officer"], areas=list(areas) or ["15"])


def approver(*areas: str, subject: str = "approver") -> dict[str, str]:
    return support.auth(subject=subject, roles=["approver"], areas=list(areas) or ["15"])


def viewer(*areas: str) -> dict[str, str]:
    return support.auth(subject="viewer", roles=["viewer"], areas=list(areas) or ["15"])


def client_token(*scopes: str, areas: tuple[str, ...] = ("15",)) -> dict[str, str]:
    return support.auth(subject="system", kind="client", scopes=list(scopes), areas=list(areas))


def days_ago(n: int) -> str:
    return (today_vn() - dt.timedelta(days=n)).isoformat()


def household() -> str:
    return f"HH-{next(_households):06d}"


def case_body(**fields: Any) -> dict[str, Any]:
    """A valid case to create, for a new household, with `fields` changed."""
    return {
        "household_code": household(),
        "head_of_household": "Giàng Seo Páo",
        "commune_code": NEW_SI_MA_CAI,
        "beneficiary_group": "poor",
        "support_type": "new_build",
    } | fields


async def create_case(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    body = case_body(**fields)
    answer = await client.post(f"{API}/cases", json=body, headers=headers or admin())
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def move(
    client: httpx.AsyncClient,
    case_id: str,
    *steps: str | tuple[str, str],
    headers: dict[str, str] | None = None,
) -> None:
    """Move a case through `steps`, each a status or (status, date)."""
    for step in steps:
        to, on = (step, None) if isinstance(step, str) else step
        body: dict[str, Any] = {"to": to}
        if on is not None:
            body["on"] = on
        if to == "cancelled":
            body["note"] = "no longer eligible"
        answer = await client.post(
            f"{API}/cases/{case_id}/transitions", json=body, headers=headers or admin()
        )
        assert answer.status_code == 201, answer.text


async def fund(
    client: httpx.AsyncClient, case_id: str, source: str, amount: int, on: str
) -> dict[str, Any]:
    answer = await client.post(
        f"{API}/cases/{case_id}/funding",
        json={"source": source, "amount_vnd": amount, "on": on},
        headers=admin(),
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def assert_problem(answer: httpx.Response, status: int, type_: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["type"] == f"/problems/{type_}", body
    return dict(body)


def fields_of(problem: dict[str, Any]) -> list[str]:
    return [e["field"] for e in problem.get("errors", [])]
