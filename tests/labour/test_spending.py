"""Labour's spending (Project 4 of programme 90: training, documents, travel for workers):
the kit's spending book with the placement the money supported, within the caller's areas,
in the audit trail and the change feed. What every money entry shares (projects, capital
types, reversals, exports) is tested for every service in tests/money."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.feed import follow, latest
from tests.labour.helpers import (
    ADMIN,
    AWAY_OFFICER,
    CLIENT_READ,
    CLIENT_WRITE,
    ELSEWHERE,
    HOME,
    HOME_OFFICER,
    HOME_VIEWER,
    HOUSING_CLIENT,
    VIEWER,
    P,
    assert_problem,
    audit_of,
    error_fields,
    make_placement,
    make_worker,
)

SPENDING = f"{P}/spending"


def body(**fields: Any) -> dict[str, Any]:
    return {
        "commune_code": HOME,
        "on": "2025-09-30",
        "amount_vnd": 4_500_000,
        "source": "central_budget",
        "purpose": "Hỗ trợ học tiếng Hàn trước khi xuất cảnh",
    } | fields


async def spend(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    answer = await client.post(SPENDING, json=body(**fields), headers=headers or ADMIN)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def placement_in(client: httpx.AsyncClient, commune: str) -> dict[str, Any]:
    worker = await make_worker(client, commune_code=commune, geography="2025-07")
    return await make_placement(client, worker["id"])


async def test_money_for_a_workers_placement_is_read_audited_and_in_the_feed(
    client: httpx.AsyncClient,
) -> None:
    _, since = await follow(client, "labour", HOME_OFFICER)
    placement = await placement_in(client, HOME)
    entry = await spend(client, HOME_OFFICER, placement_id=placement["id"])
    assert (entry["placement_id"], entry["project_code"], entry["amount_vnd"]) == (
        placement["id"],
        "90.DA4",
        4_500_000,
    )
    one = await client.get(f"{SPENDING}/{entry['id']}", headers=HOME_VIEWER)
    assert (one.json(), one.headers["etag"]) == (entry, '"1"')
    listed = await client.get(SPENDING, params={"placement_id": placement["id"]}, headers=VIEWER)
    assert [e["id"] for e in listed.json()["items"]] == [entry["id"]]
    trail = await audit_of(client, "spending_entry", entry["id"])
    assert trail[0]["changes"]["placement_id"] == [None, placement["id"]]
    items, _ = await follow(client, "labour", HOME_OFFICER, since)
    assert latest(items)[("spending", entry["id"])]["action"] == "upsert"
    # A reversal keeps the placement, as it keeps the source and the project.
    undo = await client.post(
        SPENDING, json={"reverses": entry["id"], "on": "2025-10-01"}, headers=HOME_OFFICER
    )
    assert undo.status_code == 201, undo.text
    assert (undo.json()["placement_id"], undo.json()["amount_vnd"]) == (placement["id"], -4_500_000)


async def test_a_placement_the_caller_cannot_read_or_that_does_not_exist_is_422(
    client: httpx.AsyncClient,
) -> None:
    far = await placement_in(client, ELSEWHERE)
    for placement_id in (far["id"], str(uuid.uuid4())):
        answer = await client.post(
            SPENDING, json=body(placement_id=placement_id), headers=HOME_OFFICER
        )
        assert_problem(answer, 422, "validation")
        assert error_fields(answer) == {"body.placement_id"}
    assert (await client.get(SPENDING, headers=ADMIN)).json()["items"] == []


async def test_access_rules(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(SPENDING), 401, "unauthorized")
    assert_problem(await client.post(SPENDING, json=body()), 401, "unauthorized")
    for headers in (VIEWER, CLIENT_READ, HOUSING_CLIENT):
        assert_problem(await client.post(SPENDING, json=body(), headers=headers), 403, "forbidden")
    assert_problem(await client.get(SPENDING, headers=HOUSING_CLIENT), 403, "forbidden")
    outside = await client.post(SPENDING, json=body(), headers=AWAY_OFFICER)
    assert_problem(outside, 422, "validation")
    assert error_fields(outside) == {"body.commune_code"}
    text = await client.post(
        SPENDING, content=b"amount_vnd=1", headers=ADMIN | {"Content-Type": "text/plain"}
    )
    assert_problem(text, 415, "unsupported-media-type")
    entry = await spend(client)
    assert_problem(
        await client.get(f"{SPENDING}/{entry['id']}", headers=AWAY_OFFICER), 404, "not-found"
    )
    assert_problem(await client.get(f"{SPENDING}/{uuid.uuid4()}", headers=ADMIN), 404, "not-found")
    assert await ids(client, AWAY_OFFICER) == []
    assert_problem(
        await client.get(SPENDING, params={"area_code": HOME}, headers=AWAY_OFFICER),
        404,
        "not-found",
    )
    assert_problem(
        await client.get(SPENDING, params={"placement": "x"}, headers=ADMIN), 422, "validation"
    )


async def test_client_ids_replays_and_duplicates(client: httpx.AsyncClient) -> None:
    entry_id = str(uuid.uuid4())
    headers = CLIENT_WRITE | {"Idempotency-Key": "labour-spending-1"}
    first = await client.post(SPENDING, json=body(id=entry_id), headers=headers)
    replay = await client.post(SPENDING, json=body(id=entry_id), headers=headers)
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == first.json()
    changed = await client.post(SPENDING, json=body(id=entry_id, amount_vnd=1), headers=headers)
    assert_problem(changed, 422, "idempotency-mismatch")
    again = await client.post(SPENDING, json=body(id=entry_id), headers=ADMIN)
    assert_problem(again, 409, "duplicate")
    reversal = {"reverses": entry_id, "on": "2025-10-01"}
    assert (await client.post(SPENDING, json=reversal, headers=ADMIN)).status_code == 201
    twice = await client.post(SPENDING, json=reversal, headers=ADMIN)
    assert_problem(twice, 409, "duplicate")
    assert len(await ids(client, ADMIN)) == 2  # the entry and its one reversal


async def ids(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    answer = await client.get(SPENDING, headers=headers)
    assert answer.status_code == 200, answer.text
    return [e["id"] for e in answer.json()["items"]]
