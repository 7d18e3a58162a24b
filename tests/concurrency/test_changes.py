"""The change feed under concurrent writers (API.md section 8): a follower that reads the feed
while many writers commit, and follows `next_cursor` to the end once they are done, holds
exactly the records that exist, each as its GET answers it now."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.concurrency.helpers import N, items
from tests.housing.helpers import API, admin, case_body, days_ago

ADMIN = admin()
WRITES_EACH = 6


@pytest.fixture(scope="module")
def service() -> str:
    return "housing"


async def _writer(client: httpx.AsyncClient, worker: int) -> None:
    """Creates cases, funds and edits them: each write a change of one or two records."""
    for i in range(WRITES_EACH):
        body = case_body(registered_on=days_ago(30))
        answer = await client.post(f"{API}/cases", json=body, headers=ADMIN)
        assert answer.status_code == 201, answer.text
        case = answer.json()
        entry = {"source": "central_budget", "amount_vnd": 1_000_000 * (i + 1), "on": days_ago(1)}
        answer = await client.post(f"{API}/cases/{case['id']}/funding", json=entry, headers=ADMIN)
        assert answer.status_code == 201, answer.text
        if i % 2 == 0:
            answer = await client.patch(
                f"{API}/cases/{case['id']}",
                json={"head_of_household": f"Giàng Seo Páo {worker}-{i}"},
                headers=ADMIN | {"If-Match": '"1"'},
            )
            assert answer.status_code == 200, answer.text


class Follower:
    """What a phone keeps: every record the feed gave, by resource and id."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], dict[str, Any]] = {}
        self.cursor: str | None = None
        self.pages = 0
        self.last_seq = 0

    async def step(self, client: httpx.AsyncClient) -> bool:
        """One page; False when it was empty (nothing new yet)."""
        params: dict[str, Any] = {"limit": 7} | ({"cursor": self.cursor} if self.cursor else {})
        answer = await client.get(f"{API}/changes", params=params, headers=ADMIN)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        self.pages += 1
        for item in page["items"]:
            assert item["seq"] > self.last_seq, "seq rises along the feed"
            self.last_seq = item["seq"]
            key = (item["resource"], item["id"])
            if item["action"] == "upsert":
                self.records[key] = item["record"]
            else:
                self.records.pop(key, None)
        assert page["next_cursor"], "next_cursor is never null"
        self.cursor = page["next_cursor"]
        return bool(page["items"])


async def test_a_follower_reading_during_concurrent_writes_ends_with_every_record(
    client: httpx.AsyncClient,
) -> None:
    follower = Follower()
    done = asyncio.Event()

    async def follow_while_writing() -> int:
        during = 0
        while not done.is_set():
            await follower.step(client)
            during += 1
            await asyncio.sleep(0)
        return during

    async def write_all() -> None:
        try:
            await asyncio.gather(*(_writer(client, w) for w in range(N)))
        finally:
            done.set()

    during, _ = await asyncio.gather(follow_while_writing(), write_all())
    assert during > 1, "the follower read while the writers wrote"
    while await follower.step(client):
        pass

    cases = await items(client, f"{API}/cases", ADMIN)
    assert len(cases) == N * WRITES_EACH
    expected: dict[tuple[str, str], dict[str, Any]] = {("cases", c["id"]): c for c in cases}
    for case in cases:
        for entry in await items(client, f"{API}/cases/{case['id']}/funding", ADMIN):
            expected[("funding", entry["id"])] = entry
    held = {key: value for key, value in follower.records.items() if key[0] in {"cases", "funding"}}
    # Exactly the records that exist, each as it stands now (totals and edits included).
    assert held.keys() == expected.keys()
    assert held == expected
