"""POST/GET /cases/{id}/funding: money by source, immutable, corrected by reversal."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.housing.helpers import (
    API,
    ELSEWHERE,
    NEW_SI_MA_CAI,
    admin,
    assert_problem,
    create_case,
    days_ago,
    fields_of,
    fund,
    move,
    officer,
    viewer,
)


def url(case_id: str) -> str:
    return f"{API}/cases/{case_id}/funding"


async def test_entries_add_up_on_the_case(client: httpx.AsyncClient) -> None:
    case = await create_case(client, registered_on="2024-05-01", commune_code="02800")
    entries = [
        ("central_budget", 28_000_000, "2024-06-01"),
        ("local_budget", 12_000_000, "2024-06-15"),
        ("household", 55_500_000, "2024-07-01"),
        ("mobilised", 3_000_001, "2024-07-02"),
        ("loan", 50_000_000, "2024-07-03"),
        ("central_budget", 1, "2024-07-04"),
    ]
    for source, amount, on in entries:
        made = await fund(client, case["id"], source, amount, on)
        assert (made["source"], made["amount_vnd"], made["on"]) == (source, amount, on)
        assert made["reverses"] is None and made["reversed_by"] is None
    expected = {s: 0 for s in ("central_budget", "local_budget", "mobilised", "household", "loan")}
    for source, amount, _ in entries:
        expected[source] += amount
    read = (await client.get(f"{API}/cases/{case['id']}", headers=admin())).json()
    assert read["funding_vnd"] == expected
    assert read["total_funding_vnd"] == sum(expected.values())
    assert read["state_budget_vnd"] == expected["central_budget"] + expected["local_budget"]
    listed = (await client.get(url(case["id"]), headers=viewer(NEW_SI_MA_CAI))).json()["items"]
    assert [e["amount_vnd"] for e in listed] == [a for _, a, _ in reversed(entries)]


async def test_a_reversal_records_the_negative_once(client: httpx.AsyncClient) -> None:
    case = await create_case(client, registered_on="2024-05-01", commune_code="02800")
    wrong = await fund(client, case["id"], "local_budget", 7_000_000, "2024-06-01")
    answer = await client.post(
        url(case["id"]),
        json={"reverses": wrong["id"], "on": "2024-06-03", "note": "typed twice"},
        headers=admin(),
    )
    assert answer.status_code == 201, answer.text
    reversal = answer.json()
    assert (reversal["source"], reversal["amount_vnd"], reversal["reverses"]) == (
        "local_budget",
        -7_000_000,
        wrong["id"],
    )
    read = (await client.get(f"{API}/cases/{case['id']}", headers=admin())).json()
    assert read["funding_vnd"]["local_budget"] == 0 and read["total_funding_vnd"] == 0
    listed = (await client.get(url(case["id"]), headers=admin())).json()["items"]
    assert {e["id"]: e["reversed_by"] for e in listed} == {
        wrong["id"]: reversal["id"],
        reversal["id"]: None,
    }
    one = await client.get(f"{url(case['id'])}/{wrong['id']}", headers=admin())
    assert one.json()["reversed_by"] == reversal["id"] and one.headers["etag"] == '"1"'
    twice = await client.post(
        url(case["id"]), json={"reverses": wrong["id"], "on": "2024-06-04"}, headers=admin()
    )
    assert_problem(twice, 409, "duplicate")
    back = await client.post(
        url(case["id"]), json={"reverses": reversal["id"], "on": "2024-06-04"}, headers=admin()
    )
    assert fields_of(assert_problem(back, 422, "validation")) == ["body.reverses"]
    early = await fund(client, case["id"], "household", 5, "2024-06-10")
    before = await client.post(
        url(case["id"]), json={"reverses": early["id"], "on": "2024-06-09"}, headers=admin()
    )
    assert fields_of(assert_problem(before, 422, "validation")) == ["body.on"]


async def test_reversing_an_entry_of_another_case_is_422(client: httpx.AsyncClient) -> None:
    one = await create_case(client)
    other = await create_case(client)
    entry = await fund(client, one["id"], "household", 1_000, days_ago(0))
    for target in (entry["id"], str(uuid.uuid4())):
        answer = await client.post(
            url(other["id"]), json={"reverses": target, "on": days_ago(0)}, headers=admin()
        )
        assert fields_of(assert_problem(answer, 422, "validation")) == ["body.reverses"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount_vnd": 0}, "body.amount_vnd"),
        ({"amount_vnd": -5}, "body.amount_vnd"),
        ({"amount_vnd": 1.5}, "body.amount_vnd"),
        ({"amount_vnd": 100.0}, "body.amount_vnd"),
        ({"amount_vnd": "100"}, "body.amount_vnd"),
        ({"amount_vnd": 10**15 + 1}, "body.amount_vnd"),
        ({"source": "lottery"}, "body.source"),
        ({"source": None}, "body.source"),
        ({"amount_vnd": None}, "body.amount_vnd"),
        ({"on": "2999-01-01"}, "body.on"),
        ({"on": "2020-01-01"}, "body.on"),
        # A reversal may repeat its entry's source (checked against it), never an amount.
        ({"reverses": str(uuid.uuid4())}, "body.amount_vnd"),
        ({"project_code": "90.DA4"}, "body.project_code"),
        ({"project_code": "1719.DA3"}, "body.project_code"),
        ({"capital_type": "current"}, "body.capital_type"),
        ({"unknown": 1}, "body.unknown"),
    ],
)
async def test_bad_entries_are_422(
    client: httpx.AsyncClient, change: dict[str, object], field: str
) -> None:
    case = await create_case(client, registered_on="2024-01-10", commune_code="02800")
    entry = {"source": "household", "amount_vnd": 1_000_000, "on": "2024-02-01"} | change
    answer = await client.post(url(case["id"]), json=entry, headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_the_largest_amount_is_kept_exactly(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    made = await fund(client, case["id"], "loan", 10**15, days_ago(0))
    assert made["amount_vnd"] == 10**15
    read = (await client.get(f"{API}/cases/{case['id']}", headers=admin())).json()
    assert read["total_funding_vnd"] == 10**15


async def test_a_cancelled_case_takes_only_reversals(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    entry = await fund(client, case["id"], "household", 2_000_000, days_ago(0))
    await move(client, case["id"], "cancelled")
    answer = await client.post(
        url(case["id"]),
        json={"source": "household", "amount_vnd": 1, "on": days_ago(0)},
        headers=admin(),
    )
    assert_problem(answer, 409, "invalid-state")
    back = await client.post(
        url(case["id"]), json={"reverses": entry["id"], "on": days_ago(0)}, headers=admin()
    )
    assert back.status_code == 201


async def test_client_ids_replays_and_audit(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    chosen = str(uuid.uuid4())
    entry = {"id": chosen, "source": "mobilised", "amount_vnd": 9, "on": days_ago(0)}
    headers = officer(subject="lan") | {"Idempotency-Key": "money-1"}
    first = await client.post(url(case["id"]), json=entry, headers=headers)
    again = await client.post(url(case["id"]), json=entry, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == chosen and again.headers["idempotent-replayed"] == "true"
    duplicate = await client.post(url(case["id"]), json=entry, headers=admin())
    assert_problem(duplicate, 409, "duplicate")
    audit = await client.get(
        f"{API}/audit",
        params={"entity_type": "funding_entry", "entity_id": chosen},
        headers=admin(),
    )
    (row,) = audit.json()["items"]
    assert (row["action"], row["actor"]) == ("create", "person:lan")
    assert row["changes"]["amount_vnd"] == [None, 9]
    assert row["changes"]["source"] == [None, "mobilised"]


async def test_funding_outside_the_area_is_404(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    entry = await fund(client, case["id"], "household", 5, days_ago(0))
    outside = officer(ELSEWHERE)
    money = {"source": "household", "amount_vnd": 1, "on": days_ago(0)}
    assert_problem(
        await client.post(url(case["id"]), json=money, headers=outside), 404, "not-found"
    )
    assert_problem(await client.get(url(case["id"]), headers=outside), 404, "not-found")
    assert_problem(
        await client.get(f"{url(case['id'])}/{entry['id']}", headers=outside), 404, "not-found"
    )
    assert_problem(
        await client.get(f"{url(case['id'])}/{uuid.uuid4()}", headers=admin()), 404, "not-found"
    )
    assert_problem(
        await client.post(url(case["id"]), json=money, headers=viewer()), 403, "forbidden"
    )
    assert_problem(await client.post(url(case["id"]), json=money), 401, "unauthorized")
