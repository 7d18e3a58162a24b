"""Reads answer exactly what the write answered: the same bytes (fields in the same order) for
a record read alone, in a list and as created, for every resource; and the creates that take
fewer round trips refuse as before."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.labour.helpers import (
    ADMIN,
    LA_PAN_TAN,
    VIEWER,
    P,
    assert_problem,
    departed_placement,
    make_partner,
    make_placement,
    make_worker,
    move,
    new_id,
    remit,
    worker_body,
)


def pairs(content: bytes) -> Any:
    """JSON with every object as its list of (key, value) pairs: order counts."""
    return json.loads(content, object_pairs_hook=list)


async def _same_everywhere(
    client: httpx.AsyncClient,
    created: httpx.Response,
    listing: str,
    headers: dict[str, str] = ADMIN,
) -> None:
    """The record read at its Location is the create's answer byte for byte, and the list
    holds it with the same fields in the same order."""
    assert created.status_code == 201, created.text
    read = await client.get(created.headers["location"], headers=headers)
    assert read.status_code == 200, read.text
    assert read.content == created.content
    assert read.headers["etag"] == created.headers["etag"]
    page = await client.get(listing, headers=headers)
    assert page.status_code == 200, page.text
    items = dict(pairs(page.content))["items"]
    assert pairs(read.content) in items


async def test_every_record_reads_as_it_was_created(client: httpx.AsyncClient) -> None:
    worker = await client.post(f"{P}/workers", json=worker_body(), headers=ADMIN)
    await _same_everywhere(client, worker, f"{P}/workers?limit=200")
    partner = await client.post(
        f"{P}/partners", json={"name": "Công ty B", "kind": "other"}, headers=ADMIN
    )
    await _same_everywhere(client, partner, f"{P}/partners?limit=200")
    event = await client.post(
        f"{P}/outreach-events",
        json={
            "commune_code": LA_PAN_TAN,
            "geography": "2025-01",
            "held_on": "2024-04-02",
            "partner_id": partner.json()["id"],
            "topic": "Lao động ở Hàn Quốc",
            "participants": 30,
            "registered_interest": 4,
        },
        headers=ADMIN,
    )
    await _same_everywhere(client, event, f"{P}/outreach-events?year=2024")
    placement = await client.post(
        f"{P}/placements",
        json={
            "worker_id": worker.json()["id"],
            "destination_country": "kr",
            "scheme": "eps",
            "partner_id": partner.json()["id"],
            "monthly_salary_vnd": 30_000_000,
            "registered_on": "2023-09-01",
        },
        headers=ADMIN,
    )
    await _same_everywhere(client, placement, f"{P}/placements?status=registered&limit=200")
    step = await move(client, placement.json()["id"], "training", "2023-10-01")
    await _same_everywhere(client, step, f"{P}/placements/{placement.json()['id']}/transitions")
    profile = await client.put(
        f"{P}/commune-profiles/{LA_PAN_TAN}/2024",
        json={
            "population": 5200,
            "households": 1100,
            "working_age": 3100,
            "employed_elsewhere": 700,
            "poor_households": 300,
            "near_poor_households": 150,
        },
        headers=ADMIN,
    )
    await _same_everywhere(client, profile, f"{P}/commune-profiles?year=2024")


async def test_remittances_read_as_recorded_and_show_their_reversal(
    client: httpx.AsyncClient,
) -> None:
    worker, placement = await departed_placement(client)
    entries = f"{P}/placements/{placement['id']}/remittances"
    entry = await remit(client, placement["id"], {"month": "2024-03", "amount_vnd": 4_000_000})
    await _same_everywhere(client, entry, entries)
    for path in (f"{P}/placements/{placement['id']}", f"{P}/workers/{worker['id']}"):
        sums = await client.get(path, headers=ADMIN)
        assert sums.json()["remittances_vnd"] == 4_000_000
    reversal = await remit(client, placement["id"], {"reverses": entry.json()["id"]})
    await _same_everywhere(client, reversal, entries)
    read = await client.get(entry.headers["location"], headers=ADMIN)
    assert read.json()["reversed_by"] == reversal.json()["id"]
    placed = await client.get(f"{P}/placements/{placement['id']}", headers=ADMIN)
    assert placed.json()["remittances_vnd"] == 0


async def test_a_viewer_reads_masked_numbers_in_lists_and_reads_alike(
    client: httpx.AsyncClient,
) -> None:
    worker = await make_worker(client)
    read = await client.get(f"{P}/workers/{worker['id']}", headers=VIEWER)
    assert read.status_code == 200, read.text
    assert read.json()["national_id"] == "********" + worker["national_id"][-4:]
    page = await client.get(f"{P}/workers", params={"limit": 200}, headers=VIEWER)
    assert pairs(read.content) in dict(pairs(page.content))["items"]


async def test_a_taken_identity_number_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient,
) -> None:
    first = await make_worker(client)
    chosen = new_id()
    again = await client.post(
        f"{P}/workers", json=worker_body(id=chosen, national_id=first["national_id"]), headers=ADMIN
    )
    body = assert_problem(again, 409, "duplicate")
    assert body["detail"] == "A worker with this identity number already exists."
    missing = await client.get(f"{P}/workers/{chosen}", headers=ADMIN)
    assert_problem(missing, 404, "not-found")
    listed = await client.get(
        f"{P}/workers", params={"national_id": first["national_id"]}, headers=ADMIN
    )
    assert [w["id"] for w in listed.json()["items"]] == [first["id"]]


async def test_a_new_placement_is_refused_in_the_same_order(client: httpx.AsyncClient) -> None:
    """Unknown worker, then unknown partner, then a taken id, then an active placement."""
    worker = await make_worker(client)
    taken = await make_placement(client, worker["id"])
    body = {"worker_id": new_id(), "destination_country": "TW", "scheme": "eps"}
    answer = await client.post(
        f"{P}/placements", json=body | {"partner_id": new_id()}, headers=ADMIN
    )
    assert_problem(answer, 422, "validation")
    assert {e["field"] for e in answer.json()["errors"]} == {"body.worker_id"}
    body["worker_id"] = worker["id"]
    answer = await client.post(
        f"{P}/placements", json=body | {"partner_id": new_id(), "id": taken["id"]}, headers=ADMIN
    )
    assert_problem(answer, 422, "validation")
    assert {e["field"] for e in answer.json()["errors"]} == {"body.partner_id"}
    partner = await make_partner(client)
    answer = await client.post(
        f"{P}/placements",
        json=body | {"partner_id": partner["id"], "id": taken["id"]},
        headers=ADMIN,
    )
    assert_problem(answer, 409, "duplicate")
    assert "id already exists" in answer.json()["detail"]
    answer = await client.post(
        f"{P}/placements", json=body | {"partner_id": partner["id"]}, headers=ADMIN
    )
    assert_problem(answer, 409, "duplicate")
    assert answer.json()["existing_id"] == taken["id"]
    steps = await client.get(f"{P}/placements/{taken['id']}/transitions", headers=ADMIN)
    assert [s["to"] for s in steps.json()["items"]] == ["registered"]
