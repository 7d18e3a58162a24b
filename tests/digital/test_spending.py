"""Digital spending through the API (the kit's ledger): project 263.CDS by default, the asset
the money went to, reversals copied from their entry and counted on their own day."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.digital.helpers import (
    API,
    ELSEWHERE,
    GIA_PHU,
    admin,
    assert_problem,
    audit_of,
    create_asset,
    fields_of,
    officer,
    overview,
    spend,
    spending_body,
    system,
    viewer,
)

SPENDING = f"{API}/spending"


async def reverse(
    client: httpx.AsyncClient, entry_id: str, on: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    body = {"reverses": entry_id, "on": on, "note": "nhập trùng"}
    return await client.post(SPENDING, json=body, headers=headers or admin())


async def test_an_entry_takes_the_projects_defaults(client: httpx.AsyncClient) -> None:
    entry = await spend(client, headers=officer(GIA_PHU))
    assert (entry["project_code"], entry["capital_type"]) == ("263.CDS", "recurrent")
    assert (entry["amount_vnd"], entry["asset_id"], entry["reversed_by"]) == (
        150_000_000,
        None,
        None,
    )
    one = await client.get(f"{SPENDING}/{entry['id']}", headers=viewer(GIA_PHU))
    assert (one.json(), one.headers["etag"]) == (entry, '"1"')
    trail = await audit_of(client, "spending_entry", entry["id"])
    assert trail[0]["changes"]["amount_vnd"] == [None, 150_000_000]


async def test_a_reversal_copies_the_entry_and_counts_on_its_day(
    client: httpx.AsyncClient,
) -> None:
    camera = await create_asset(client)
    entry = await spend(client, asset_id=camera["id"], capital_type="investment", on="2025-09-30")
    undo = await reverse(client, entry["id"], "2026-01-05")
    assert undo.status_code == 201, undo.text
    made = undo.json()
    assert made["amount_vnd"] == -150_000_000
    for copied in ("source", "purpose", "asset_id", "project_code", "capital_type", "commune_code"):
        assert made[copied] == entry[copied], copied
    read = (await client.get(f"{SPENDING}/{entry['id']}", headers=admin())).json()
    assert read["reversed_by"] == made["id"]
    assert (await overview(client, area_code=GIA_PHU, year=2025))["spent_vnd"] == 150_000_000
    assert (await overview(client, area_code=GIA_PHU, year=2026))["spent_vnd"] == -150_000_000
    assert (await overview(client, area_code=GIA_PHU))["spent_vnd"] == 0
    assert_problem(await reverse(client, entry["id"], "2026-01-06"), 409, "duplicate")
    twice = await reverse(client, made["id"], "2026-01-06")
    assert fields_of(assert_problem(twice, 422, "validation")) == ["body.reverses"]
    early = await spend(client, on="2025-10-01")
    before = await reverse(client, early["id"], "2025-09-30")
    assert fields_of(assert_problem(before, 422, "validation")) == ["body.on"]
    mixed = await client.post(
        SPENDING,
        json={"reverses": early["id"], "on": "2025-10-02", "asset_id": camera["id"]},
        headers=admin(),
    )
    assert fields_of(assert_problem(mixed, 422, "validation")) == ["body.asset_id"]


async def test_money_goes_to_an_asset_the_caller_may_read(client: httpx.AsyncClient) -> None:
    far = await create_asset(client, commune_code=ELSEWHERE)
    hidden = await client.post(
        SPENDING, json=spending_body(asset_id=far["id"]), headers=officer(GIA_PHU)
    )
    assert fields_of(assert_problem(hidden, 422, "validation")) == ["body.asset_id"]
    far_entry = await spend(client, commune_code=ELSEWHERE)
    other = await reverse(client, far_entry["id"], "2025-10-01", officer(GIA_PHU))
    unknown = await reverse(client, str(uuid.uuid4()), "2025-10-01")
    assert fields_of(assert_problem(other, 422, "validation")) == ["body.reverses"]
    assert other.json()["errors"][0]["message"] == unknown.json()["errors"][0]["message"]
    assert_problem(
        await client.get(f"{SPENDING}/{far_entry['id']}", headers=viewer(GIA_PHU)),
        404,
        "not-found",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount_vnd": 0}, "body.amount_vnd"),
        ({"amount_vnd": 1.5}, "body.amount_vnd"),
        ({"amount_vnd": 10**15 + 1}, "body.amount_vnd"),
        ({"source": "donation"}, "body.source"),
        ({"project_code": "1719.DA8"}, "body.project_code"),
        ({"project_code": "263.OCOP"}, "body.project_code"),
        ({"capital_type": "current"}, "body.capital_type"),
        ({"on": "2999-01-01"}, "body.on"),
        ({"asset_id": str(uuid.uuid4())}, "body.asset_id"),
        ({"activity_id": str(uuid.uuid4())}, "body.activity_id"),
        ({"amount_vnd": None}, "body.amount_vnd"),
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
        await client.post(SPENDING, json=spending_body(), headers=system("digital:read")),
        403,
        "forbidden",
    )
    entry_id = str(uuid.uuid4())
    headers = system("digital:write") | {"Idempotency-Key": "d-1"}
    first = await client.post(SPENDING, json=spending_body(id=entry_id), headers=headers)
    replay = await client.post(SPENDING, json=spending_body(id=entry_id), headers=headers)
    assert (first.status_code, replay.status_code) == (201, 201)
    assert_problem(
        await client.post(SPENDING, json=spending_body(id=entry_id), headers=admin()),
        409,
        "duplicate",
    )
    camera = await create_asset(client)
    linked = await spend(client, asset_id=camera["id"], capital_type="investment")
    far = await spend(client, commune_code=ELSEWHERE, source="central_budget")

    async def ids(headers: dict[str, str] | None = None, **params: str) -> list[str]:
        answer = await client.get(SPENDING, params=params, headers=headers or admin())
        assert answer.status_code == 200, answer.text
        return [e["id"] for e in answer.json()["items"]]

    assert await ids() == [far["id"], linked["id"], entry_id]
    assert await ids(asset_id=camera["id"]) == [linked["id"]]
    assert await ids(capital_type="investment") == [linked["id"]]
    assert await ids(source="central_budget") == [far["id"]]
    assert await ids(project_code="263.CDS", area_code=GIA_PHU) == [linked["id"], entry_id]
    assert await ids(viewer(ELSEWHERE)) == [far["id"]]
    for params in ({"asset_id": "x"}, {"activity_id": str(uuid.uuid4())}, {"source": "gift"}):
        assert_problem(
            await client.get(SPENDING, params=params, headers=admin()), 422, "validation"
        )
