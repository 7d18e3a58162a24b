"""Spending through the API: integer VND, the project codes of section 11, reversals."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.gender.helpers import (
    API,
    ELSEWHERE,
    NEW_SA_PA,
    NEW_TA_VAN,
    activity_body,
    admin,
    assert_problem,
    audit_of,
    create_activity,
    fields_of,
    officer,
    spend,
    spending_body,
    system,
    viewer,
)

SPENDING = f"{API}/spending"


async def test_an_entry_takes_the_projects_defaults(client: httpx.AsyncClient) -> None:
    entry = await spend(client, headers=officer(NEW_SA_PA))
    assert (entry["project_code"], entry["capital_type"]) == ("1719.DA8", "recurrent")
    assert (entry["amount_vnd"], entry["reverses"], entry["reversed_by"]) == (
        45_000_000,
        None,
        None,
    )
    one = await client.get(f"{SPENDING}/{entry['id']}", headers=viewer(NEW_SA_PA))
    assert (one.json(), one.headers["etag"]) == (entry, '"1"')
    investment = await spend(client, capital_type="investment", project_code="1719.DA8")
    assert investment["capital_type"] == "investment"
    trail = await audit_of(client, "spending_entry", entry["id"])
    assert trail[0]["changes"]["amount_vnd"] == [None, 45_000_000]


async def test_a_reversal_copies_the_entry_and_counts_once(client: httpx.AsyncClient) -> None:
    activity = await create_activity(client, commune_code=NEW_SA_PA)
    entry = await spend(
        client, activity_id=activity["id"], source="mobilised", capital_type="investment"
    )
    reversal = await spend_reversal(client, entry["id"], "2025-10-01")
    assert reversal.status_code == 201, reversal.text
    undo = reversal.json()
    assert undo["amount_vnd"] == -45_000_000
    for copied in ("source", "purpose", "activity_id", "project_code", "capital_type"):
        assert undo[copied] == entry[copied], copied
    assert (undo["commune_code"], undo["reverses"]) == (NEW_SA_PA, entry["id"])
    read = (await client.get(f"{SPENDING}/{entry['id']}", headers=admin())).json()
    assert read["reversed_by"] == undo["id"]
    again = await spend_reversal(client, entry["id"], "2025-10-02")
    assert_problem(again, 409, "duplicate")
    of_reversal = await spend_reversal(client, undo["id"], "2025-10-02")
    assert fields_of(assert_problem(of_reversal, 422, "validation")) == ["body.reverses"]
    early = await spend_reversal(client, (await spend(client))["id"], "2025-09-01")
    assert fields_of(assert_problem(early, 422, "validation")) == ["body.on"]
    trail = await audit_of(client, "spending_entry", undo["id"])
    assert trail[0]["action"] == "reverse"


async def spend_reversal(
    client: httpx.AsyncClient, entry_id: str, on: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return await client.post(
        SPENDING, json={"reverses": entry_id, "on": on}, headers=headers or admin()
    )


async def test_a_reversal_names_nothing_else(client: httpx.AsyncClient) -> None:
    entry = await spend(client)
    body = {"reverses": entry["id"], "on": "2025-10-01", "amount_vnd": 1, "purpose": "x"}
    answer = await client.post(SPENDING, json=body, headers=admin())
    assert set(fields_of(assert_problem(answer, 422, "validation"))) == {
        "body.amount_vnd",
        "body.purpose",
    }
    neither = await client.post(SPENDING, json={"on": "2025-10-01"}, headers=admin())
    assert set(fields_of(assert_problem(neither, 422, "validation"))) == {
        "body.commune_code",
        "body.amount_vnd",
        "body.source",
        "body.purpose",
    }


async def test_an_entry_outside_the_callers_areas_cannot_be_reversed_or_read(
    client: httpx.AsyncClient,
) -> None:
    far = await spend(client, commune_code=ELSEWHERE)
    answer = await spend_reversal(client, far["id"], "2025-10-01", officer(NEW_SA_PA))
    assert fields_of(assert_problem(answer, 422, "validation")) == ["body.reverses"]
    unknown = await spend_reversal(client, str(uuid.uuid4()), "2025-10-01")
    assert fields_of(assert_problem(unknown, 422, "validation")) == ["body.reverses"]
    assert answer.json()["errors"][0]["message"] == unknown.json()["errors"][0]["message"]
    assert_problem(
        await client.get(f"{SPENDING}/{far['id']}", headers=viewer(NEW_SA_PA)), 404, "not-found"
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount_vnd": 0}, "body.amount_vnd"),
        ({"amount_vnd": -5}, "body.amount_vnd"),
        ({"amount_vnd": 1.5}, "body.amount_vnd"),
        ({"amount_vnd": "45000000"}, "body.amount_vnd"),
        ({"amount_vnd": 10**15 + 1}, "body.amount_vnd"),
        ({"source": "donation"}, "body.source"),
        ({"project_code": "90.DA5"}, "body.project_code"),
        ({"project_code": "1719.DA3"}, "body.project_code"),
        ({"capital_type": "current"}, "body.capital_type"),
        ({"on": "2999-01-01"}, "body.on"),
        ({"activity_id": str(uuid.uuid4())}, "body.activity_id"),
        ({"purpose": ""}, "body.purpose"),
    ],
)
async def test_broken_rules_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(SPENDING, json=spending_body(**fields), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_access_rules_and_filters(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(SPENDING), 401, "unauthorized")
    assert_problem(
        await client.post(SPENDING, json=spending_body(), headers=viewer()), 403, "forbidden"
    )
    assert_problem(
        await client.post(SPENDING, json=spending_body(), headers=system("gender:read")),
        403,
        "forbidden",
    )
    outside = await client.post(SPENDING, json=spending_body(), headers=officer(ELSEWHERE))
    assert fields_of(assert_problem(outside, 422, "validation")) == ["body.commune_code"]
    entry_id = str(uuid.uuid4())
    headers = system("gender:write") | {"Idempotency-Key": "s-1"}
    first = await client.post(SPENDING, json=spending_body(id=entry_id), headers=headers)
    replay = await client.post(SPENDING, json=spending_body(id=entry_id), headers=headers)
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.headers["idempotent-replayed"] == "true"
    assert_problem(
        await client.post(SPENDING, json=spending_body(id=entry_id), headers=admin()),
        409,
        "duplicate",
    )
    activity = await client.post(
        f"{API}/activities", json=activity_body(commune_code=NEW_TA_VAN), headers=admin()
    )
    local = await spend(client, source="local_budget", activity_id=activity.json()["id"])
    far = await spend(client, commune_code=ELSEWHERE)

    async def ids(headers: dict[str, str] | None = None, **params: str) -> list[str]:
        answer = await client.get(SPENDING, params=params, headers=headers or admin())
        assert answer.status_code == 200, answer.text
        return [e["id"] for e in answer.json()["items"]]

    assert await ids() == [far["id"], local["id"], entry_id]
    assert await ids(source="local_budget") == [local["id"]]
    assert await ids(activity_id=activity.json()["id"]) == [local["id"]]
    assert await ids(project_code="1719.DA8", area_code=NEW_SA_PA) == [local["id"], entry_id]
    assert await ids(viewer(ELSEWHERE)) == [far["id"]]
