"""Housing under N concurrent writers: one If-Match, one winner; one step; money lands once."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests import support
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
from tests.housing.helpers import API, admin, case_body, create_case, fund, household, move
from tests.housing.test_obstacles import obstacle
from tests.housing.test_plans import plan_body

AUDIT = f"{API}/audit"
ADMIN = admin()


@pytest.fixture(scope="module")
def service() -> str:
    return "housing"


async def test_one_of_n_case_edits_wins(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    await one_patch_wins(
        client,
        f"{API}/cases/{case['id']}",
        audit=AUDIT,
        entity_type="case",
        field="head_of_household",
        values=[f"Giàng Seo Páo {i}" for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_plan_edits_wins(client: httpx.AsyncClient) -> None:
    answer = await client.post(f"{API}/plans", json=plan_body(), headers=ADMIN)
    assert answer.status_code == 201, answer.text
    await one_patch_wins(
        client,
        f"{API}/plans/{answer.json()['id']}",
        audit=AUDIT,
        entity_type="plan",
        field="title",
        values=[f"Remove every temporary house in Si Ma Cai, draft {i}" for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_obstacle_edits_wins(client: httpx.AsyncClient) -> None:
    answer = await client.post(f"{API}/obstacles", json=obstacle(), headers=ADMIN)
    assert answer.status_code == 201, answer.text
    await one_patch_wins(
        client,
        f"{API}/obstacles/{answer.json()['id']}",
        audit=AUDIT,
        entity_type="obstacle",
        field="title",
        values=[f"Landslide blocks the road, report {i}" for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_identical_steps_is_taken(client: httpx.AsyncClient) -> None:
    case = await create_case(client, registered_on="2024-05-01")
    await move(client, case["id"], ("surveyed", "2024-05-10"))
    after = await one_step_wins(
        client, f"{API}/cases/{case['id']}", {"to": "approved", "on": "2024-05-20"}, ADMIN
    )
    assert after["status"] == "approved"


async def test_one_of_n_open_cases_for_one_household_is_made(client: httpx.AsyncClient) -> None:
    code = household()
    body = {
        "household_code": code,
        "head_of_household": "Lù Thị Mai",
        "commune_code": "02809",
        "beneficiary_group": "near_poor",
        "support_type": "repair",
    }

    answers = await race(lambda _: client.post(f"{API}/cases", json=body, headers=ADMIN))

    assert statuses(answers) == {201: 1, 409: N - 1}
    assert problem_types(answers, 409) == {"/problems/duplicate"}
    [winner] = won(answers, 201)
    listed = await items(client, f"{API}/cases", ADMIN, household_code=code)
    assert [c["id"] for c in listed] == [answers[winner].json()["id"]]


async def test_n_funding_entries_with_their_own_ids_all_land_once(
    client: httpx.AsyncClient,
) -> None:
    case = await create_case(client, registered_on="2024-05-01")
    url = f"{API}/cases/{case['id']}/funding"
    ids = [str(uuid.uuid4()) for _ in range(N)]
    sources = ["central_budget", "local_budget", "mobilised", "household", "loan"]
    entries = [(sources[i % len(sources)], 1_000_000 + 7 * i) for i in range(N)]

    answers = await race(
        lambda i: client.post(
            url,
            json={
                "id": ids[i],
                "source": entries[i][0],
                "amount_vnd": entries[i][1],
                "on": "2024-06-01",
            },
            headers=ADMIN,
        )
    )

    assert statuses(answers) == {201: N}
    listed = await items(client, url, ADMIN)
    assert sorted(e["id"] for e in listed) == sorted(ids)
    expected = dict.fromkeys(sources, 0)
    for source, amount in entries:
        expected[source] += amount
    after = await read(client, f"{API}/cases/{case['id']}", ADMIN)
    assert after["funding_vnd"] == expected
    assert after["total_funding_vnd"] == sum(expected.values())
    assert after["state_budget_vnd"] == expected["central_budget"] + expected["local_budget"]


async def test_one_of_n_reversals_of_an_entry_is_made(client: httpx.AsyncClient) -> None:
    case = await create_case(client, registered_on="2024-05-01")
    url = f"{API}/cases/{case['id']}/funding"
    await fund(client, case["id"], "central_budget", 28_000_000, "2024-06-01")
    wrong = await fund(client, case["id"], "local_budget", 7_000_000, "2024-06-02")

    answers = await race(
        lambda i: client.post(
            url,
            json={"reverses": wrong["id"], "on": "2024-06-03", "note": f"typed twice ({i})"},
            headers=ADMIN,
        )
    )

    assert statuses(answers) == {201: 1, 409: N - 1}
    assert problem_types(answers, 409) == {"/problems/duplicate"}
    [winner] = won(answers, 201)
    listed = await items(client, url, ADMIN)
    reversals = [e for e in listed if e["reverses"] == wrong["id"]]
    assert [e["id"] for e in reversals] == [answers[winner].json()["id"]]
    assert reversals[0]["amount_vnd"] == -7_000_000
    after = await read(client, f"{API}/cases/{case['id']}", ADMIN)
    assert after["funding_vnd"]["local_budget"] == 0
    assert after["total_funding_vnd"] == 28_000_000


@pytest.mark.skipif(
    support.postgres_base_url() is None, reason="needs PostgreSQL (MTQG_TEST_POSTGRES_URL)"
)
async def test_a_case_opened_between_an_imports_lookup_and_its_write_is_still_refused(
    client: httpx.AsyncClient,
) -> None:
    """An import's key lookup finds no open case for a household, and its create does not
    ask again (`NO_OPEN_CASE`): a case another request opens in between is still refused
    (the unique rule), as that row's error, and the import writes nothing."""
    import dataclasses

    from tests.imports.helpers import CASE_COLUMNS, csv_file, errors_of, run
    from tests.imports.test_rows import case_row

    app = client.app  # type: ignore[attr-defined]
    entry = app.state.imports["cases"]
    code, other = household(), household()
    opened: list[httpx.Response] = []

    async def lookup_then_open(session: Any, names: Any, keys: Any) -> Any:
        found = await entry.existing_many(session, names, keys)
        if not opened:  # another officer registers the household meanwhile
            body = case_body(household_code=code)
            opened.append(await client.post(f"{API}/cases", json=body, headers=ADMIN))
        return found

    app.state.imports["cases"] = dataclasses.replace(entry, existing_many=lookup_then_open)
    try:
        job = await run(client, csv_file([CASE_COLUMNS, case_row(code), case_row(other)]), ADMIN)
    finally:
        app.state.imports["cases"] = entry
    assert opened[0].status_code == 201, opened[0].text
    assert job["status"] == "failed", job
    assert errors_of(job) == [(2, None, "duplicate")]
    assert [c["id"] for c in await items(client, f"{API}/cases", ADMIN, household_code=code)] == [
        opened[0].json()["id"]
    ]
    assert await items(client, f"{API}/cases", ADMIN, household_code=other) == []
