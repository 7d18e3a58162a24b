"""The demo data set: the seed's Si Ma Cai totals, exactly, loaded through the API."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import httpx

from demo import housing as demo
from mtqg_shared.admin_units import admin_units
from tests.housing.helpers import API, admin


def test_the_full_data_set_meets_the_seed_exactly() -> None:
    cases = demo.build_cases()
    assert len(cases) == 628
    money: Counter[str] = Counter()
    for case in cases:
        for _, source, amount, _ in case.funding:
            money[source] += amount
    assert sum(money.values()) == 87_000_000_000
    assert money["central_budget"] + money["local_budget"] == 32_600_000_000
    assert money["household"] == 87_000_000_000 - 32_600_000_000
    district = admin_units().communes_of_legacy_district("084")
    assert {c.commune_code for c in cases} == set(district)
    for case in cases:
        dates = [case.registered_on] + [on for _, on in case.steps]
        assert dates == sorted(dates)
        assert dict(case.steps)["handed_over"] <= dt.date(2024, 12, 31)
        assert all(case.registered_on <= on <= dt.date(2024, 12, 31) for *_, on in case.funding)
    assert len({c.household_code for c in cases}) == 628
    # The plan's milestones are met by the completions.
    plan = demo.plan_body(cases)
    for milestone in plan["milestones"]:
        due = dt.date.fromisoformat(milestone["due_on"])
        done = sum(1 for c in cases if dict(c.steps)["completed"] <= due)
        assert done >= milestone["completed_target"]


def test_split_is_exact_and_proportional() -> None:
    assert demo.split(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(demo.split(32_600_000_000, [2, 1] * 314)) == 32_600_000_000


async def test_loading_through_the_api_is_idempotent(client: httpx.AsyncClient) -> None:
    client.headers.update(admin())
    # One request at a time: the test's app shares one rolled-back connection.
    lines: list[str] = []
    await demo.load(client, lines.append, houses=12, concurrency=1)
    cases = demo.build_cases(12)
    answer = await client.get(
        f"{API}/reports/progress", params={"area_code": "084", "as_of": "2024-12-31"}
    )
    totals = answer.json()["totals"]
    assert totals["cases"] == totals["completed"] == 12
    assert totals["by_status"]["handed_over"] == 12
    assert totals["total_funding_vnd"] == sum(a for c in cases for _, _, a, _ in c.funding)
    assert totals["state_budget_vnd"] == sum(
        a for c in cases for _, s, a, _ in c.funding if s != "household"
    )
    # Si Ma Cai's 2024 capital plans: the state budget of the whole district, of which these
    # twelve houses disbursed their part, each budget in its own row.
    money = (
        await client.get(f"{API}/reports/disbursement", params={"area_code": "084", "year": 2024})
    ).json()
    assert money["as_of"] == "2024-12-31"
    assert money["totals"]["planned_vnd"] == demo.STATE_BUDGET_VND
    assert money["totals"]["disbursed_vnd"] == totals["state_budget_vnd"]
    by_source = {row["source"]: row for row in money["rows"]}
    assert by_source["central_budget"]["planned_vnd"] == demo.CENTRAL_BUDGET_VND
    assert by_source["local_budget"]["disbursed_vnd"] == sum(
        a for c in cases for _, s, a, _ in c.funding if s == "local_budget"
    )
    obstacles = (await client.get(f"{API}/obstacles")).json()["items"]
    assert {o["status"] for o in obstacles} == {"resolved"} and len(obstacles) == 2
    # A second run finds everything and adds nothing.
    again: list[str] = []
    await demo.load(client, again.append, houses=12, concurrency=1)
    assert any("0 cases created, 12 already there, 0 steps and 0 funding" in line for line in again)
    assert (await client.get(f"{API}/reports/progress", params={"area_code": "084"})).json()[
        "totals"
    ]["total_funding_vnd"] == totals["total_funding_vnd"]
    assert len((await client.get(f"{API}/plans")).json()["items"]) == 1
