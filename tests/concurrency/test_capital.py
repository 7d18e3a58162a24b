"""Racing writes of capital plans (API.md section 11), on a pool of real connections: a plan
is reversed once however many reversals race, racing plans all land once, and the
disbursement report counts each exactly once afterwards."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests import support
from tests.concurrency.helpers import N, items, problem_types, race, statuses, won

ADMIN = support.auth(subject="admin", roles=["admin"])
PLANS = "/api/v1/housing/capital-plans"


@pytest.fixture(scope="module")
def service() -> str:
    return "housing"


def plan(**fields: object) -> dict[str, object]:
    return {
        "year": 2026,
        "project_code": "90.DA5",
        "area_code": "15",
        "capital_type": "investment",
        "source": "central_budget",
        "amount_vnd": 4_000_000_000,
        "decision_number": "300/QĐ-UBND",
        "decision_on": "2026-02-01",
    } | fields


async def test_one_of_n_reversals_of_a_plan_is_made(client: httpx.AsyncClient) -> None:
    kept = await client.post(PLANS, json=plan(amount_vnd=1_000_000_000), headers=ADMIN)
    wrong = await client.post(PLANS, json=plan(amount_vnd=7_000_000_000), headers=ADMIN)
    assert kept.status_code == wrong.status_code == 201

    answers = await race(
        lambda i: client.post(
            PLANS,
            json={"reverses": wrong.json()["id"], "decision_on": "2026-03-01", "note": f"{i}"},
            headers=ADMIN,
        )
    )

    assert statuses(answers) == {201: 1, 409: N - 1}
    assert problem_types(answers, 409) == {"/problems/duplicate"}
    [winner] = won(answers, 201)
    listed = await items(client, PLANS, ADMIN)
    reversals = [p for p in listed if p["reverses"] == wrong.json()["id"]]
    assert [p["id"] for p in reversals] == [answers[winner].json()["id"]]
    report = await client.get(
        "/api/v1/housing/reports/disbursement", params={"year": "2026"}, headers=ADMIN
    )
    assert report.json()["totals"]["planned_vnd"] == 1_000_000_000


async def test_racing_plans_all_land_once(client: httpx.AsyncClient) -> None:
    ids = [str(uuid.uuid4()) for _ in range(N)]
    answers = await race(
        lambda i: client.post(
            PLANS,
            json=plan(
                id=ids[i], amount_vnd=1_000_000 * (i + 1), year=2025, decision_on="2025-02-01"
            ),
            headers=ADMIN,
        )
    )
    assert statuses(answers) == {201: N}
    listed = {p["id"]: p["amount_vnd"] for p in await items(client, PLANS, ADMIN, year=2025)}
    assert listed == {ids[i]: 1_000_000 * (i + 1) for i in range(N)}
    report = await client.get(
        "/api/v1/housing/reports/disbursement", params={"year": "2025"}, headers=ADMIN
    )
    assert report.json()["totals"]["planned_vnd"] == 1_000_000 * N * (N + 1) // 2
