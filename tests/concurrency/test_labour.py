"""Labour under N concurrent writers: one If-Match, one winner; one step; money lands once."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.concurrency.helpers import (
    N,
    items,
    one_patch_wins,
    one_step_wins,
    problem_types,
    race,
    read,
    statuses,
    won,
)
from tests.labour.helpers import (
    ADMIN,
    P,
    advance,
    departed_placement,
    make_partner,
    make_placement,
    make_worker,
    worker_body,
)
from tests.labour.test_partners_outreach import event_body

AUDIT = f"{P}/audit"


@pytest.fixture(scope="module")
def service() -> str:
    return "labour"


async def test_one_of_n_worker_edits_wins(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    await one_patch_wins(
        client,
        f"{P}/workers/{worker['id']}",
        audit=AUDIT,
        entity_type="worker",
        field="full_name",
        values=[f"Vàng Seo Dìn {i}" for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_partner_edits_wins(client: httpx.AsyncClient) -> None:
    partner = await make_partner(client)
    await one_patch_wins(
        client,
        f"{P}/partners/{partner['id']}",
        audit=AUDIT,
        entity_type="partner",
        field="address",
        values=[f"Số {i} Hoàng Liên, Lào Cai" for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_outreach_event_edits_wins(client: httpx.AsyncClient) -> None:
    answer = await client.post(f"{P}/outreach-events", json=event_body(), headers=ADMIN)
    assert answer.status_code == 201, answer.text
    await one_patch_wins(
        client,
        f"{P}/outreach-events/{answer.json()['id']}",
        audit=AUDIT,
        entity_type="outreach_event",
        field="participants",
        values=[130 + i for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_placement_edits_wins(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"])
    await one_patch_wins(
        client,
        f"{P}/placements/{placement['id']}",
        audit=AUDIT,
        entity_type="placement",
        field="employer",
        values=[f"Formosa Plastics {i}" for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_identical_steps_is_taken(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"])
    await advance(client, placement["id"], {"training": "2023-10-01"})
    after = await one_step_wins(
        client,
        f"{P}/placements/{placement['id']}",
        {"to": "documents", "on": "2023-12-01"},
        ADMIN,
    )
    assert after["status"] == "documents"


async def test_one_of_n_placements_for_one_worker_is_made(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    body = {
        "worker_id": worker["id"],
        "destination_country": "JP",
        "scheme": "titp",
        "registered_on": "2024-01-15",
    }

    answers = await race(lambda _: client.post(f"{P}/placements", json=body, headers=ADMIN))

    assert statuses(answers) == {201: 1, 409: N - 1}
    assert problem_types(answers, 409) == {"/problems/duplicate"}
    [winner] = won(answers, 201)
    listed = await items(client, f"{P}/placements", ADMIN, worker_id=worker["id"])
    assert [p["id"] for p in listed] == [answers[winner].json()["id"]]


async def test_n_remittances_with_their_own_ids_all_land_once(client: httpx.AsyncClient) -> None:
    _, placement = await departed_placement(client)
    url = f"{P}/placements/{placement['id']}/remittances"
    ids = [str(uuid.uuid4()) for _ in range(N)]
    amounts = [5_000_000 + 1_000 * i for i in range(N)]

    answers = await race(
        lambda i: client.post(
            url,
            json={"id": ids[i], "month": "2024-06", "amount_vnd": amounts[i]},
            headers=ADMIN,
        )
    )

    assert statuses(answers) == {201: N}
    listed = await items(client, url, ADMIN)
    assert sorted(e["id"] for e in listed) == sorted(ids)
    after = await read(client, f"{P}/placements/{placement['id']}", ADMIN)
    assert after["remittances_vnd"] == sum(amounts)


async def test_one_of_n_reversals_of_a_remittance_is_made(client: httpx.AsyncClient) -> None:
    _, placement = await departed_placement(client)
    url = f"{P}/placements/{placement['id']}/remittances"
    kept = await client.post(url, json={"month": "2024-05", "amount_vnd": 9_000_000}, headers=ADMIN)
    wrong = await client.post(
        url, json={"month": "2024-06", "amount_vnd": 30_000_000}, headers=ADMIN
    )
    assert (kept.status_code, wrong.status_code) == (201, 201)

    answers = await race(
        lambda i: client.post(
            url, json={"reverses": wrong.json()["id"], "note": f"typed twice ({i})"}, headers=ADMIN
        )
    )

    assert statuses(answers) == {201: 1, 409: N - 1}
    assert problem_types(answers, 409) == {"/problems/duplicate"}
    [winner] = won(answers, 201)
    listed = await items(client, url, ADMIN)
    reversals = [e for e in listed if e["reverses"] == wrong.json()["id"]]
    assert [e["id"] for e in reversals] == [answers[winner].json()["id"]]
    assert reversals[0]["amount_vnd"] == -30_000_000
    after = await read(client, f"{P}/placements/{placement['id']}", ADMIN)
    assert after["remittances_vnd"] == 9_000_000


async def test_n_workers_with_one_identity_number_make_one(client: httpx.AsyncClient) -> None:
    body = worker_body()

    answers = await race(lambda _: client.post(f"{P}/workers", json=body, headers=ADMIN))

    assert statuses(answers) == {201: 1, 409: N - 1}
    assert problem_types(answers, 409) == {"/problems/duplicate"}
    listed = await items(client, f"{P}/workers", ADMIN, national_id=body["national_id"])
    assert len(listed) == 1
