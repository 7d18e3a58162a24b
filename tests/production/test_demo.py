"""The demo loader reproduces the seed's Bảo Yên figures through the API, and only once."""

from __future__ import annotations

import httpx
import pytest

from demo import production as demo
from tests.production.helpers import API, BAO_YEN, admin


async def overview(client: httpx.AsyncClient) -> dict[str, object]:
    answer = await client.get(
        f"{API}/reports/overview", params={"area_code": BAO_YEN, "year": 2024}, headers=admin()
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_the_demo_reproduces_bao_yen(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test client runs every request on one rolled-back connection: one at a time.
    monkeypatch.setattr(demo, "CONCURRENCY", 1)
    client.headers.update(admin())
    lines: list[str] = []
    await demo.load(client, lines.append)
    report = await overview(client)
    assert report["zones_by_crop"] == {
        "banana": {"area_ha": 310.0, "certified_area_ha": 0.0, "linked_area_ha": 160.0},
        "cinnamon": {"area_ha": 24400.0, "certified_area_ha": 500.0, "linked_area_ha": 0.0},
        "fruit": {"area_ha": 260.0, "certified_area_ha": 0.0, "linked_area_ha": 0.0},
        "tea": {"area_ha": 284.0, "certified_area_ha": 0.0, "linked_area_ha": 0.0},
    }
    projects = report["projects"]
    assert isinstance(projects, dict)
    assert projects["count"] == 10
    assert projects["state_support_vnd"] == 29_000_000_000
    assert projects["disbursed_vnd"] == 12_000_000_000
    assert projects["disbursed_by_year"] == {
        "2021": 2_000_000_000,
        "2022": 4_500_000_000,
        "2023": 6_000_000_000,
        "2024": 12_000_000_000,
    }
    assert report["facilities"] == {"count": 76, "jobs": 2577}
    ocop = report["ocop"]
    assert isinstance(ocop, dict)
    assert ocop["count"] == 44
    assert ocop["by_stars"] == {"1": 0, "2": 0, "3": 37, "4": 7, "5": 0}
    assert any("29,000,000,000 VND of state support" in line for line in lines)
    # The 2024 capital plan behind the 12 billion: the district's disbursement report.
    money = await client.get(
        f"{API}/reports/disbursement", params={"area_code": BAO_YEN, "year": 2024}
    )
    assert money.json()["rows"] == [
        {
            "project_code": "1719.DA3",
            "capital_type": "recurrent",
            "source": "local_budget",
            "planned_vnd": 13_000_000_000,
            "disbursed_vnd": 12_000_000_000,
            "disbursement_rate": 12 / 13,
        }
    ]
    province = await client.get(f"{API}/reports/disbursement", params={"year": 2024})
    assert province.json()["totals"]["disbursed_vnd"] == 12_000_000_000

    # A second run finds everything already there.
    again: list[str] = []
    await demo.load(client, again.append)
    assert all(" 0 created" in line for line in again if "created" in line)
    assert await overview(client) == report
