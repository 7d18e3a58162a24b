"""Production under N concurrent writers: one If-Match, one winner; one step; the state
support cap holds however many disbursements race for it."""

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
from tests.production.helpers import (
    API,
    admin,
    approved_project,
    create_facility,
    create_ocop,
    create_project,
    create_zone,
    days_ago,
    disburse,
)

AUDIT = f"{API}/audit"
ADMIN = admin()


@pytest.fixture(scope="module")
def service() -> str:
    return "production"


async def test_one_of_n_zone_edits_wins(client: httpx.AsyncClient) -> None:
    zone = await create_zone(client)
    await one_patch_wins(
        client,
        f"{API}/zones/{zone['id']}",
        audit=AUDIT,
        entity_type="zone",
        field="name",
        values=[f"Vùng quế hữu cơ {i}" for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_project_edits_wins(client: httpx.AsyncClient) -> None:
    project = await create_project(client, proposed_on=days_ago(5))
    await one_patch_wins(
        client,
        f"{API}/projects/{project['id']}",
        audit=AUDIT,
        entity_type="project",
        field="name",
        values=[f"Liên kết chuỗi quế hữu cơ {i}" for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_facility_edits_wins(client: httpx.AsyncClient) -> None:
    facility = await create_facility(client)
    await one_patch_wins(
        client,
        f"{API}/facilities/{facility['id']}",
        audit=AUDIT,
        entity_type="facility",
        field="jobs",
        values=[30 + i for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_ocop_product_edits_wins(client: httpx.AsyncClient) -> None:
    product = await create_ocop(client)
    await one_patch_wins(
        client,
        f"{API}/ocop-products/{product['id']}",
        audit=AUDIT,
        entity_type="ocop_product",
        field="name",
        values=[f"Tinh dầu quế Bảo Yên {i}" for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_identical_approvals_is_taken(client: httpx.AsyncClient) -> None:
    project = await create_project(client, proposed_on=days_ago(20))
    after = await one_step_wins(
        client, f"{API}/projects/{project['id']}", {"to": "approved", "on": days_ago(10)}, ADMIN
    )
    assert after["status"] == "approved"


async def test_racing_disbursements_never_pass_the_state_support(
    client: httpx.AsyncClient,
) -> None:
    support = 3_000_000_000
    project = await approved_project(client, state_support_vnd=support)
    url = f"{API}/projects/{project['id']}/disbursements"
    # Each fits alone; together they ask for 20 x 400,000,000 = 8,000,000,000: 7 fit.
    amount = 400_000_000
    ids = [str(uuid.uuid4()) for _ in range(N)]

    answers = await race(
        lambda i: client.post(
            url,
            json={
                "id": ids[i],
                "amount_vnd": amount,
                "on": days_ago(5),
                "source": "central_budget",
            },
            headers=ADMIN,
        )
    )

    fitting = support // amount
    assert statuses(answers) == {201: fitting, 422: N - fitting}
    assert problem_types(answers, 422) == {"/problems/validation"}
    paid = sum(answers[i].json()["amount_vnd"] for i in won(answers, 201))
    assert paid <= support
    after = await read(client, f"{API}/projects/{project['id']}", ADMIN)
    assert after["disbursed_vnd"] == paid
    listed = await items(client, url, ADMIN)
    assert sorted(e["id"] for e in listed) == sorted(ids[i] for i in won(answers, 201))


async def test_racing_disbursements_that_fit_together_all_land_once(
    client: httpx.AsyncClient,
) -> None:
    project = await approved_project(client)
    url = f"{API}/projects/{project['id']}/disbursements"
    ids = [str(uuid.uuid4()) for _ in range(N)]
    amounts = [10_000_000 + 3 * i for i in range(N)]

    answers = await race(
        lambda i: client.post(
            url,
            json={
                "id": ids[i],
                "amount_vnd": amounts[i],
                "on": days_ago(5),
                "source": ("central_budget", "local_budget")[i % 2],
            },
            headers=ADMIN,
        )
    )

    assert statuses(answers) == {201: N}
    listed = await items(client, url, ADMIN)
    assert sorted(e["id"] for e in listed) == sorted(ids)
    after = await read(client, f"{API}/projects/{project['id']}", ADMIN)
    assert after["disbursed_vnd"] == sum(amounts)


async def test_one_of_n_reversals_of_a_disbursement_is_made(client: httpx.AsyncClient) -> None:
    project = await approved_project(client)
    url = f"{API}/projects/{project['id']}/disbursements"
    kept = await disburse(client, project["id"], 500_000_000, days_ago(20))
    wrong = await disburse(client, project["id"], 2_000_000_000, days_ago(20), "local_budget")
    assert (kept.status_code, wrong.status_code) == (201, 201)
    wrong_id = wrong.json()["id"]

    answers = await race(
        lambda i: client.post(
            url,
            json={"reverses": wrong_id, "on": days_ago(10), "note": f"wrong project ({i})"},
            headers=ADMIN,
        )
    )

    assert statuses(answers) == {201: 1, 409: N - 1}
    assert problem_types(answers, 409) == {"/problems/duplicate"}
    [winner] = won(answers, 201)
    listed = await items(client, url, ADMIN)
    reversals = [e for e in listed if e["reverses"] == wrong_id]
    assert [e["id"] for e in reversals] == [answers[winner].json()["id"]]
    assert (reversals[0]["amount_vnd"], reversals[0]["source"]) == (-2_000_000_000, "local_budget")
    after = await read(client, f"{API}/projects/{project['id']}", ADMIN)
    assert after["disbursed_vnd"] == 500_000_000
