"""Disbursements through the API: only once approved, never beyond the approved support,
corrected by reversals, audited."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.production.helpers import (
    API,
    ELSEWHERE,
    NEW_BAO_HA,
    NEW_NGHIA_DO,
    admin,
    approved_project,
    assert_problem,
    audit_of,
    create_project,
    days_ago,
    disburse,
    fields_of,
    officer,
    step,
    system,
    viewer,
)

SUPPORT = 3_000_000_000


def path(project_id: str) -> str:
    return f"{API}/projects/{project_id}/disbursements"


async def test_disbursements_need_an_approved_project(client: httpx.AsyncClient) -> None:
    project = await create_project(client, proposed_on=days_ago(40))
    pid = project["id"]
    assert_problem(await disburse(client, pid, 1_000, days_ago(1)), 409, "invalid-state")
    assert (await step(client, pid, "approved", days_ago(30))).status_code == 201
    first = await disburse(client, pid, 1_000_000_000, days_ago(20), "local_budget")
    assert first.status_code == 201, first.text
    entry = first.json()
    assert (entry["amount_vnd"], entry["source"], entry["on"]) == (
        1_000_000_000,
        "local_budget",
        days_ago(20),
    )
    assert (entry["reverses"], entry["reversed_by"]) == (None, None)
    assert (await step(client, pid, "suspended", days_ago(10))).status_code == 201
    assert_problem(await disburse(client, pid, 1_000, days_ago(1)), 409, "invalid-state")
    assert (await step(client, pid, "approved", days_ago(9))).status_code == 201
    assert (await step(client, pid, "in_progress", days_ago(8))).status_code == 201
    assert (await disburse(client, pid, 1_000, days_ago(1))).status_code == 201
    assert (await step(client, pid, "completed", days_ago(1))).status_code == 201
    # A completed project may still receive what was approved (final payments).
    assert (await disburse(client, pid, 1_000, days_ago(0))).status_code == 201
    rejected = await create_project(client, proposed_on=days_ago(5))
    assert (await step(client, rejected["id"], "rejected")).status_code == 201
    assert_problem(await disburse(client, rejected["id"], 1, days_ago(0)), 409, "invalid-state")


async def test_never_beyond_the_approved_support(client: httpx.AsyncClient) -> None:
    project = await approved_project(client)
    pid = project["id"]
    assert (await disburse(client, pid, SUPPORT - 5, days_ago(10))).status_code == 201
    over = await disburse(client, pid, 6, days_ago(9))
    problem = assert_problem(over, 422, "validation")
    assert fields_of(problem) == ["body.amount_vnd"]
    assert "5 VND remain" in problem["detail"]
    assert (await disburse(client, pid, 5, days_ago(9))).status_code == 201
    assert_problem(await disburse(client, pid, 1, days_ago(9)), 422, "validation")
    read = (await client.get(f"{API}/projects/{pid}", headers=admin())).json()
    assert read["disbursed_vnd"] == SUPPORT
    # Each disbursement is a change of the project's figures: its version moves.
    assert read["version"] == 4


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount_vnd": 0, "on": "D", "source": "central_budget"}, "body.amount_vnd"),
        ({"amount_vnd": -5, "on": "D", "source": "central_budget"}, "body.amount_vnd"),
        ({"amount_vnd": 10.0, "on": "D", "source": "central_budget"}, "body.amount_vnd"),
        ({"amount_vnd": "10", "on": "D", "source": "central_budget"}, "body.amount_vnd"),
        ({"amount_vnd": 10, "on": "D", "source": "household"}, "body.source"),
        ({"amount_vnd": 10, "on": "D"}, "body.source"),
        ({"on": "D", "source": "central_budget"}, "body.amount_vnd"),
        ({"amount_vnd": 10, "source": "central_budget"}, "body.on"),
        ({"amount_vnd": 10, "on": "FUTURE", "source": "central_budget"}, "body.on"),
        ({"amount_vnd": 10, "on": "BEFORE", "source": "central_budget"}, "body.on"),
        ({"amount_vnd": 10, "on": "D", "source": "local_budget", "extra": 1}, "body.extra"),
    ],
)
async def test_broken_rules_are_422(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    project = await approved_project(client, on=days_ago(30))
    dates = {"D": days_ago(1), "FUTURE": days_ago(-1), "BEFORE": days_ago(31)}
    if "on" in body:
        body = body | {"on": dates[body["on"]]}
    answer = await client.post(path(project["id"]), json=body, headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_a_reversal_undoes_an_entry_once(client: httpx.AsyncClient) -> None:
    project = await approved_project(client)
    pid = project["id"]
    entry = (await disburse(client, pid, 2_000_000_000, days_ago(20))).json()
    undo = await client.post(
        path(pid),
        json={"reverses": entry["id"], "on": days_ago(10), "note": "wrong project"},
        headers=admin(),
    )
    assert undo.status_code == 201, undo.text
    reversal = undo.json()
    assert (reversal["amount_vnd"], reversal["source"], reversal["reverses"]) == (
        -2_000_000_000,
        "central_budget",
        entry["id"],
    )
    again = await client.post(
        path(pid), json={"reverses": entry["id"], "on": days_ago(9)}, headers=admin()
    )
    # The same answers in every service's ledger: a second reversal duplicates the first
    # (409 duplicate); a reversal is undone by recording the entry again (422).
    assert_problem(again, 409, "duplicate")
    undo_undo = await client.post(
        path(pid), json={"reverses": reversal["id"], "on": days_ago(9)}, headers=admin()
    )
    assert fields_of(assert_problem(undo_undo, 422, "validation")) == ["body.reverses"]
    listed = (await client.get(path(pid), headers=viewer())).json()["items"]
    by_id = {item["id"]: item for item in listed}
    assert by_id[entry["id"]]["reversed_by"] == reversal["id"]
    assert by_id[reversal["id"]]["reversed_by"] is None
    read = (await client.get(f"{API}/projects/{pid}", headers=admin())).json()
    assert read["disbursed_vnd"] == 0
    # The room freed by the reversal can be disbursed again.
    assert (await disburse(client, pid, SUPPORT, days_ago(5))).status_code == 201
    trail = await audit_of(client, "disbursement", reversal["id"])
    assert trail[0]["action"] == "reverse"
    assert trail[0]["changes"]["amount_vnd"] == [None, -2_000_000_000]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"amount_vnd": 5}, "body.amount_vnd"),
        ({"source": "local_budget"}, "body.source"),
        ({"on": "EARLY"}, "body.on"),
        ({"reverses": "OTHER"}, "body.reverses"),
        ({"reverses": "RANDOM"}, "body.reverses"),
    ],
)
async def test_broken_reversals_are_422(
    client: httpx.AsyncClient, extra: dict[str, Any], field: str
) -> None:
    project = await approved_project(client)
    other = await approved_project(client)
    entry = (await disburse(client, project["id"], 1_000, days_ago(10))).json()
    foreign = (await disburse(client, other["id"], 1_000, days_ago(10))).json()
    body: dict[str, Any] = {"reverses": entry["id"], "on": days_ago(5)} | extra
    body["on"] = days_ago(11) if body["on"] == "EARLY" else body["on"]
    body["reverses"] = {"OTHER": foreign["id"], "RANDOM": str(uuid.uuid4())}.get(
        body["reverses"], body["reverses"]
    )
    answer = await client.post(path(project["id"]), json=body, headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_who_may_disburse(client: httpx.AsyncClient) -> None:
    project = await approved_project(client, commune_codes=[NEW_NGHIA_DO, NEW_BAO_HA])
    pid = project["id"]
    assert_problem(await disburse(client, pid, 1, days_ago(1), headers=viewer()), 403, "forbidden")
    assert_problem(
        await disburse(client, pid, 1, days_ago(1), headers=system("production:read")),
        403,
        "forbidden",
    )
    assert_problem(
        await disburse(client, pid, 1, days_ago(1), headers=officer(NEW_NGHIA_DO)),
        403,
        "forbidden",
    )
    assert_problem(
        await disburse(client, pid, 1, days_ago(1), headers=officer(ELSEWHERE)), 404, "not-found"
    )
    assert_problem(await client.get(path(pid), headers=viewer(ELSEWHERE)), 404, "not-found")
    assert_problem(
        await client.post(path(pid), json={"amount_vnd": 1, "on": days_ago(1)}),
        401,
        "unauthorized",
    )
    made = await disburse(client, pid, 1, days_ago(1), headers=system("production:write"))
    assert made.status_code == 201
    assert (await client.get(path(pid), headers=viewer(NEW_BAO_HA))).status_code == 200


async def test_client_ids_and_replays(client: httpx.AsyncClient) -> None:
    project = await approved_project(client)
    entry_id = str(uuid.uuid4())
    body = {"id": entry_id, "amount_vnd": 7, "on": days_ago(1), "source": "local_budget"}
    headers = admin() | {"Idempotency-Key": "money-1"}
    first = await client.post(path(project["id"]), json=body, headers=headers)
    again = await client.post(path(project["id"]), json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert first.json()["id"] == entry_id
    assert_problem(
        await client.post(path(project["id"]), json=body, headers=admin()), 409, "duplicate"
    )
    read = (await client.get(f"{API}/projects/{project['id']}", headers=admin())).json()
    assert read["disbursed_vnd"] == 7
    assert len(await audit_of(client, "disbursement", entry_id)) == 1
