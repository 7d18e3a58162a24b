"""The housing change feed (API.md section 8): what a follower reads after each kind of write."""

from __future__ import annotations

from typing import Any

import httpx

from tests.housing.helpers import (
    API,
    ELSEWHERE,
    NEW_SI_MA_CAI,
    admin,
    create_case,
    days_ago,
    fund,
    officer,
)


async def follow(
    client: httpx.AsyncClient, headers: dict[str, str], cursor: str | None = None
) -> tuple[list[dict[str, Any]], str]:
    """Every change from `cursor` (the start when None) to the feed's end, and the cursor."""
    items: list[dict[str, Any]] = []
    while True:
        params = {"limit": "3"} | ({"cursor": cursor} if cursor else {})
        answer = await client.get(f"{API}/changes", params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        items.extend(page["items"])
        assert page["next_cursor"]
        if not page["items"]:
            return items, page["next_cursor"]
        cursor = page["next_cursor"]


async def test_a_new_case_and_its_funding_reach_the_feed_as_their_reads_answer(
    client: httpx.AsyncClient,
) -> None:
    _, start = await follow(client, admin())
    case = await create_case(client, registered_on=days_ago(10))
    entry = await fund(client, case["id"], "central_budget", 40_000_000, days_ago(1))
    items, _ = await follow(client, admin(), start)
    read_case = (await client.get(f"{API}/cases/{case['id']}", headers=admin())).json()
    read_entry = (
        await client.get(f"{API}/cases/{case['id']}/funding/{entry['id']}", headers=admin())
    ).json()
    by_id = {item["id"]: item for item in items}
    assert by_id[case["id"]]["resource"] == "cases"
    assert by_id[case["id"]]["action"] == "upsert"
    # The case's change shows its totals with the entry in them.
    assert by_id[case["id"]]["record"] == read_case
    assert by_id[entry["id"]]["resource"] == "funding"
    assert by_id[entry["id"]]["record"] == read_entry
