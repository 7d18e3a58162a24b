"""The demo loader records Sa Pa's illustrative Project 8 figures through the API, once."""

from __future__ import annotations

import httpx
import pytest

from demo import gender as demo
from tests.gender.helpers import API, SA_PA, admin


async def overview(client: httpx.AsyncClient) -> dict[str, object]:
    answer = await client.get(
        f"{API}/reports/overview", params={"area_code": SA_PA, "year": 2024}, headers=admin()
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_the_demo_loads_sa_pa(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test client runs every request on one rolled-back connection: one at a time.
    monkeypatch.setattr(demo, "CONCURRENCY", 1)
    client.headers.update(admin())
    lines: list[str] = []
    await demo.load(client, lines.append)
    report = await overview(client)
    assert report["models"] == {
        "communication_team": {"count": 6, "members": 72, "members_female": 54},
        "trusted_address": {"count": 3, "members": 15, "members_female": 12},
        "change_leader_club": {"count": 4, "members": 80, "members_female": 48},
        "livelihood_group": {"count": 2, "members": 30, "members_female": 30},
        "other": {"count": 0, "members": 0, "members_female": 0},
    }
    assert report["activities"] == {
        "count": 20,
        "participants": 1195,
        "participants_female": 838,
        "by_topic": {
            "gender_equality": 9,
            "domestic_violence": 9,
            "child_marriage": 10,
            "consanguineous_marriage": 0,
            "human_trafficking": 5,
            "child_protection": 3,
            "women_economy": 1,
        },
        "by_language": {"vi": 20, "dao": 11, "hmn": 13},
    }
    assert report["materials"] == {"count": 4, "by_language": {"vi": 4, "dao": 4, "hmn": 4}}
    assert report["spent_vnd"] == 311_500_000
    contest = await client.get(f"{API}/activities", params={"kind": "contest"})
    (item,) = contest.json()["items"]
    assert (item["languages"], item["online_reach"]) == (["vi", "dao", "hmn"], 15_000)
    assert any("illustrative" in line and "311,500,000 VND spent" in line for line in lines)

    # A second run finds everything already there.
    again: list[str] = []
    await demo.load(client, again.append)
    assert all(" 0 created" in line for line in again if "created" in line)
    assert await overview(client) == report
