"""/api/v1/labour/placements/{id}/remittances: money sent home by month, and reversals."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests.labour.helpers import (
    ADMIN,
    AWAY_OFFICER,
    CLIENT_READ,
    OFFICER,
    VIEWER,
    P,
    advance,
    assert_problem,
    audit_of,
    departed_placement,
    error_fields,
    make_placement,
    make_worker,
    new_id,
    remit,
)


def url(placement_id: str) -> str:
    return f"{P}/placements/{placement_id}/remittances"


async def test_record_and_list_remittances(client: httpx.AsyncClient) -> None:
    worker, placement = await departed_placement(client)
    amounts = {"2024-03": 30_500_000, "2024-04": 31_000_000, "2024-05": 29_000_000}
    for month, amount in amounts.items():
        answer = await remit(
            client, placement["id"], {"month": month, "amount_vnd": amount}, OFFICER
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["amount_vnd"] == amount
        assert answer.json()["created_by"] == "person:officer"
    listed = (await client.get(url(placement["id"]), headers=VIEWER)).json()
    assert [e["month"] for e in listed["items"]] == ["2024-05", "2024-04", "2024-03"]
    total = sum(amounts.values())
    read = (await client.get(f"{P}/placements/{placement['id']}", headers=VIEWER)).json()
    assert read["remittances_vnd"] == total
    assert (await client.get(f"{P}/workers/{worker['id']}", headers=VIEWER)).json()[
        "remittances_vnd"
    ] == total
    only_april = await client.get(url(placement["id"]), params={"month": "2024-04"}, headers=VIEWER)
    assert [e["amount_vnd"] for e in only_april.json()["items"]] == [31_000_000]


async def test_two_entries_in_one_month_add_up(client: httpx.AsyncClient) -> None:
    _, placement = await departed_placement(client)
    for amount in (10_000_000, 15_000_000):
        await remit(client, placement["id"], {"month": "2024-06", "amount_vnd": amount})
    read = (await client.get(f"{P}/placements/{placement['id']}", headers=ADMIN)).json()
    assert read["remittances_vnd"] == 25_000_000


@pytest.mark.parametrize(
    "walk", [{}, {"training": "2023-10-01"}, {"training": "2023-10-01", "documents": "2023-11-01"}]
)
async def test_no_remittance_before_departure(
    client: httpx.AsyncClient, walk: dict[str, str]
) -> None:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"])
    await advance(client, placement["id"], walk)
    answer = await remit(client, placement["id"], {"month": "2024-03", "amount_vnd": 1_000_000})
    assert_problem(answer, 409, "invalid-state")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"month": "2024-01", "amount_vnd": 1_000_000}, {"body.month"}),  # before departure
        ({"month": "2024-13", "amount_vnd": 1_000_000}, {"body.month"}),
        ({"month": "2024-3", "amount_vnd": 1_000_000}, {"body.month"}),
        ({"month": "2024-03", "amount_vnd": 0}, {"body.amount_vnd"}),
        ({"month": "2024-03", "amount_vnd": -5}, {"body.amount_vnd"}),
        ({"month": "2024-03", "amount_vnd": 1.5}, {"body.amount_vnd"}),
        ({"month": "2024-03", "amount_vnd": "1000"}, {"body.amount_vnd"}),
        ({"month": "2024-03"}, {"body.amount_vnd"}),
        ({"amount_vnd": 1_000_000}, {"body.month"}),
        ({}, {"body.month", "body.amount_vnd"}),
        ({"month": "2024-03", "amount_vnd": 1, "currency": "TWD"}, {"body.currency"}),
    ],
)
async def test_bad_remittances_are_422(
    client: httpx.AsyncClient, body: dict[str, object], fields: set[str]
) -> None:
    _, placement = await departed_placement(client)
    answer = await remit(client, placement["id"], body)
    assert_problem(answer, 422, "validation")
    assert error_fields(answer) == fields


async def test_months_end_with_the_return_or_today(client: httpx.AsyncClient) -> None:
    _, placement = await departed_placement(client)
    next_month = today_vn().replace(day=1) + dt.timedelta(days=32)
    future = await remit(
        client, placement["id"], {"month": next_month.strftime("%Y-%m"), "amount_vnd": 1}
    )
    assert error_fields(future) == {"body.month"}
    this_month = await remit(
        client, placement["id"], {"month": today_vn().strftime("%Y-%m"), "amount_vnd": 1}
    )
    assert this_month.status_code == 201
    _, back = await departed_placement(client)
    await advance(client, back["id"], {"returned": "2024-08-15"})
    assert (
        await remit(client, back["id"], {"month": "2024-08", "amount_vnd": 1})
    ).status_code == 201
    after = await remit(client, back["id"], {"month": "2024-09", "amount_vnd": 1})
    assert error_fields(after) == {"body.month"}


async def test_reversal_records_the_negative_once(client: httpx.AsyncClient) -> None:
    _, placement = await departed_placement(client)
    entry = (
        await remit(client, placement["id"], {"month": "2024-04", "amount_vnd": 30_000_000})
    ).json()
    kept = (
        await remit(client, placement["id"], {"month": "2024-05", "amount_vnd": 20_000_000})
    ).json()
    reversal = await remit(
        client, placement["id"], {"reverses": entry["id"], "note": "Typed twice"}
    )
    assert reversal.status_code == 201, reversal.text
    body = reversal.json()
    assert (body["month"], body["amount_vnd"], body["reverses"]) == (
        "2024-04",
        -30_000_000,
        entry["id"],
    )
    read = (await client.get(f"{P}/placements/{placement['id']}", headers=ADMIN)).json()
    assert read["remittances_vnd"] == kept["amount_vnd"]
    listed = (await client.get(url(placement["id"]), headers=ADMIN)).json()["items"]
    by_id = {e["id"]: e for e in listed}
    assert by_id[entry["id"]]["reversed_by"] == body["id"]
    assert by_id[kept["id"]]["reversed_by"] is None
    assert_problem(
        await remit(client, placement["id"], {"reverses": entry["id"]}), 409, "duplicate"
    )
    # A reversal is undone by recording the entry again, as in every service's ledger.
    undo_undo = assert_problem(
        await remit(client, placement["id"], {"reverses": body["id"]}), 422, "validation"
    )
    assert [e["field"] for e in undo_undo["errors"]] == ["body.reverses"]
    trail = await audit_of(client, "remittance", body["id"])
    assert trail[0]["action"] == "reverse"
    assert trail[0]["changes"]["amount_vnd"] == [None, -30_000_000]


async def test_bad_reversals_are_422(client: httpx.AsyncClient) -> None:
    _, placement = await departed_placement(client)
    _, other = await departed_placement(client)
    entry = (await remit(client, other["id"], {"month": "2024-04", "amount_vnd": 1_000})).json()
    elsewhere = await remit(client, placement["id"], {"reverses": entry["id"]})
    assert error_fields(elsewhere) == {"body.reverses"}
    unknown = await remit(client, placement["id"], {"reverses": new_id()})
    assert error_fields(unknown) == {"body.reverses"}
    mixed = await remit(
        client, other["id"], {"reverses": entry["id"], "amount_vnd": 5, "month": "2024-04"}
    )
    assert error_fields(mixed) == {"body.amount_vnd", "body.month"}


async def test_access_to_remittances(client: httpx.AsyncClient) -> None:
    _, placement = await departed_placement(client)
    body = {"month": "2024-03", "amount_vnd": 1_000_000}
    assert_problem(await client.post(url(placement["id"]), json=body), 401, "unauthorized")
    assert_problem(await remit(client, placement["id"], body, VIEWER), 403, "forbidden")
    assert_problem(await remit(client, placement["id"], body, CLIENT_READ), 403, "forbidden")
    assert_problem(await remit(client, placement["id"], body, AWAY_OFFICER), 404, "not-found")
    assert_problem(await client.get(url(placement["id"]), headers=AWAY_OFFICER), 404, "not-found")
    assert_problem(await remit(client, new_id(), body), 404, "not-found")
    assert_problem(await client.get(url(new_id()), headers=ADMIN), 404, "not-found")


async def test_idempotent_replay_and_client_ids(client: httpx.AsyncClient) -> None:
    _, placement = await departed_placement(client)
    chosen = new_id()
    body = {"id": chosen, "month": "2024-03", "amount_vnd": 25_000_000}
    headers = ADMIN | {"Idempotency-Key": "remit-2024-03"}
    first = await remit(client, placement["id"], body, headers)
    again = await remit(client, placement["id"], body, headers)
    assert first.json()["id"] == chosen
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    # Without the key, the same client id is a duplicate, not a second entry.
    assert_problem(await remit(client, placement["id"], body), 409, "duplicate")
    read = (await client.get(f"{P}/placements/{placement['id']}", headers=ADMIN)).json()
    assert read["remittances_vnd"] == 25_000_000
