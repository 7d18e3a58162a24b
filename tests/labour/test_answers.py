"""What every write answers: a 201 names the new record in `Location` (which reads it back)
and carries its `ETag`; a stale If-Match is 412 with the record's current ETag."""

from __future__ import annotations

import httpx

from tests.labour.helpers import (
    ADMIN,
    LA_PAN_TAN,
    P,
    assert_problem,
    departed_placement,
    make_partner,
    make_placement,
    make_worker,
    move,
    remit,
    worker_body,
)

PROFILE = {
    "population": 5200,
    "households": 1100,
    "working_age": 3100,
    "employed_elsewhere": 700,
    "poor_households": 300,
    "near_poor_households": 150,
}


async def _reads_back(client: httpx.AsyncClient, answer: httpx.Response) -> None:
    assert answer.status_code == 201, answer.text
    assert answer.headers["etag"] == '"1"'
    again = await client.get(answer.headers["location"], headers=ADMIN)
    assert again.status_code == 200, again.text
    assert again.json() == answer.json()
    assert again.headers["etag"] == '"1"'


async def test_every_create_names_its_record(client: httpx.AsyncClient) -> None:
    worker = await client.post(f"{P}/workers", json=worker_body(), headers=ADMIN)
    await _reads_back(client, worker)
    partner = await client.post(
        f"{P}/partners", json={"name": "Công ty A", "kind": "other"}, headers=ADMIN
    )
    await _reads_back(client, partner)
    event = await client.post(
        f"{P}/outreach-events",
        json={
            "commune_code": LA_PAN_TAN,
            "geography": "2025-01",
            "held_on": "2024-04-02",
            "topic": "Lao động ở Đài Loan",
            "participants": 30,
            "registered_interest": 4,
        },
        headers=ADMIN,
    )
    await _reads_back(client, event)
    placement = await client.post(
        f"{P}/placements",
        json={
            "worker_id": worker.json()["id"],
            "destination_country": "KR",
            "scheme": "eps",
            "registered_on": "2023-09-01",
        },
        headers=ADMIN,
    )
    await _reads_back(client, placement)
    step = await move(client, placement.json()["id"], "training", "2023-10-01")
    await _reads_back(client, step)
    assert step.json()["seq"] == 2
    profile = await client.put(
        f"{P}/commune-profiles/{LA_PAN_TAN}/2024", json=PROFILE, headers=ADMIN
    )
    await _reads_back(client, profile)


async def test_a_remittance_and_its_reversal_are_named(client: httpx.AsyncClient) -> None:
    _worker, placement = await departed_placement(client)
    entry = await remit(client, placement["id"], {"month": "2024-03", "amount_vnd": 9_000_000})
    await _reads_back(client, entry)
    reversal = await remit(client, placement["id"], {"reverses": entry.json()["id"]})
    await _reads_back(client, reversal)
    original = await client.get(entry.headers["location"], headers=ADMIN)
    assert original.json()["reversed_by"] == reversal.json()["id"]
    assert reversal.json()["amount_vnd"] == -9_000_000


async def test_an_entry_of_another_placement_is_not_read_under_this_one(
    client: httpx.AsyncClient,
) -> None:
    _worker, placement = await departed_placement(client)
    _other_worker, other = await departed_placement(client)
    entry = await remit(client, placement["id"], {"month": "2024-03", "amount_vnd": 1_000})
    wrong = await client.get(
        f"{P}/placements/{other['id']}/remittances/{entry.json()['id']}", headers=ADMIN
    )
    assert_problem(wrong, 404, "not-found")


async def test_a_stale_if_match_is_told_the_current_version(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    url = f"{P}/workers/{worker['id']}"
    first = await client.patch(
        url, json={"village": "Thôn Mới"}, headers=ADMIN | {"If-Match": '"1"'}
    )
    assert first.status_code == 200 and first.headers["etag"] == '"2"'
    stale = await client.patch(
        url, json={"village": "Thôn Cũ"}, headers=ADMIN | {"If-Match": '"1"'}
    )
    assert_problem(stale, 412, "precondition-failed")
    assert stale.headers["etag"] == '"2"'
    missing = await client.patch(url, json={"village": "Thôn Cũ"}, headers=ADMIN)
    assert_problem(missing, 428, "precondition-required")
    partner = await make_partner(client)
    placement = await make_placement(client, worker["id"], partner_id=partner["id"])
    stale_placement = await client.patch(
        f"{P}/placements/{placement['id']}",
        json={"employer": "Samsung"},
        headers=ADMIN | {"If-Match": '"7"'},
    )
    assert_problem(stale_placement, 412, "precondition-failed")
    assert stale_placement.headers["etag"] == '"1"'
