"""Digital under N concurrent writers: one If-Match, one winner, for each resource that is
changed (an asset's status too: one new period, not N); one recognition of a village however
many approvers race; one profile made by N first PUTs; a spending entry reversed once."""

from __future__ import annotations

import httpx
import pytest

from tests.concurrency.helpers import (
    N,
    items,
    one_patch_wins,
    one_step_wins,
    problem_types,
    race,
    statuses,
    won,
)
from tests.digital.helpers import (
    API,
    ELSEWHERE,
    GIA_PHU,
    admin,
    create_asset,
    create_seller,
    create_team,
    create_village,
    overview,
    spend,
)

AUDIT = f"{API}/audit"
ADMIN = admin()
SPENDING = f"{API}/spending"


@pytest.fixture(scope="module")
def service() -> str:
    return "digital"


async def test_one_of_n_asset_edits_wins(client: httpx.AsyncClient) -> None:
    asset = await create_asset(client)
    await one_patch_wins(
        client,
        f"{API}/assets/{asset['id']}",
        audit=AUDIT,
        entity_type="asset",
        field="count",
        values=[10 + i for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_status_changes_wins_and_opens_one_period(
    client: httpx.AsyncClient,
) -> None:
    asset = await create_asset(client, commune_code=ELSEWHERE, installed_on="2025-08-01")
    url = f"{API}/assets/{asset['id']}"
    days = [f"2025-09-{1 + i:02d}" for i in range(N)]

    answers = await race(
        lambda i: client.patch(
            url,
            json={"status": "broken", "status_on": days[i]},
            headers=ADMIN | {"If-Match": '"1"'},
        )
    )

    assert statuses(answers) == {200: 1, 412: N - 1}
    [winner] = won(answers, 200)
    day = days[winner]
    assert answers[winner].json()["status_on"] == day
    # One period closed on the winner's day: active before it, broken from it.
    before = await overview(client, area_code=ELSEWHERE, as_of="2025-08-31")
    after = await overview(client, area_code=ELSEWHERE, as_of=day)
    assert (before["infrastructure"]["cameras"], after["infrastructure"]["cameras"]) == (5, 0)


async def test_one_of_n_team_and_seller_edits_wins(client: httpx.AsyncClient) -> None:
    team = await create_team(client)
    await one_patch_wins(
        client,
        f"{API}/teams/{team['id']}",
        audit=AUDIT,
        entity_type="team",
        field="members",
        values=[6 + i for i in range(N)],
        headers=ADMIN,
    )
    seller = await create_seller(client)
    await one_patch_wins(
        client,
        f"{API}/sellers/{seller['id']}",
        audit=AUDIT,
        entity_type="seller",
        field="ocop_products_online",
        values=[20 + i for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_recognitions_of_a_village_is_taken(client: httpx.AsyncClient) -> None:
    village = await create_village(client)
    after = await one_step_wins(
        client,
        f"{API}/smart-villages/{village['id']}",
        {"to": "recognised", "on": "2025-09-20", "decision_number": "12/QĐ-UBND"},
        ADMIN,
    )
    assert (after["recognised_on"], after["decision_number"]) == ("2025-09-20", "12/QĐ-UBND")


async def test_n_first_puts_of_a_profile_make_one(client: httpx.AsyncClient) -> None:
    url = f"{API}/commune-profiles/{GIA_PHU}/2025"

    answers = await race(
        lambda i: client.put(
            url, json={"officials": 30 + i, "officials_it_certified": 20}, headers=ADMIN
        )
    )

    counted = statuses(answers)
    assert counted.get(201) == 1
    assert set(counted) <= {200, 201, 409}
    listed = await items(client, f"{API}/commune-profiles", ADMIN, year=2025)
    assert len(listed) == 1
    assert problem_types(answers, 409) <= {"/problems/duplicate", "/problems/invalid-state"}


async def test_one_of_n_reversals_of_an_entry_is_made(client: httpx.AsyncClient) -> None:
    kept = await spend(client, amount_vnd=12_000_000)
    wrong = await spend(client, amount_vnd=45_000_000, source="central_budget")

    answers = await race(
        lambda i: client.post(
            SPENDING,
            json={"reverses": wrong["id"], "on": "2025-10-01", "note": f"entered twice ({i})"},
            headers=ADMIN,
        )
    )

    assert statuses(answers) == {201: 1, 409: N - 1}
    assert problem_types(answers, 409) == {"/problems/duplicate"}
    listed = await items(client, SPENDING, ADMIN)
    assert sum(e["amount_vnd"] for e in listed) == kept["amount_vnd"]
