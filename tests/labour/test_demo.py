"""The demo loader reproduces the seed's La Pan Tẩn figures, and a second run adds nothing."""

from __future__ import annotations

from typing import Any

import httpx

from demo import labour as demo
from tests.labour.helpers import ADMIN, LA_PAN_TAN, P


async def test_demo_reproduces_the_seed_and_is_idempotent(client: httpx.AsyncClient) -> None:
    client.headers.update(ADMIN)
    lines: list[str] = []
    # One request at a time: the test's rolled-back connection is shared by every request.
    await demo.load(client, lines.append, concurrency=1)
    params: dict[str, Any] = {"area_code": LA_PAN_TAN, "geography": "2025-01", "year": 2024}
    report = (await client.get(f"{P}/reports/overview", params=params)).json()
    assert report["departures"] == {"total": 12, "by_country": {"KR": 2, "TW": 10}}
    assert report["in_preparation"] == 4  # finishing papers for Japan
    assert report["abroad"] == 12
    assert report["profile"] == {
        "working_age": 2040,
        "employed_elsewhere_rate": 0.2,
        "poor_rate": 0.404,
        "near_poor_rate": 0.443,
    }
    assert 30_000_000 <= report["avg_monthly_salary_vnd"] <= 40_000_000
    assert report["outreach"]["events"] == 3
    workers = (await client.get(f"{P}/workers", params={"q": "Vàng Seo Dìn"})).json()["items"]
    (din,) = workers
    (placement,) = (await client.get(f"{P}/placements", params={"worker_id": din["id"]})).json()[
        "items"
    ]
    assert placement["destination_country"] == "TW"
    entries = (
        await client.get(f"{P}/placements/{placement['id']}/remittances", params={"limit": 200})
    ).json()["items"]
    assert len(entries) == 10
    assert sum(e["amount_vnd"] for e in entries) > 300_000_000
    everyone = (await client.get(f"{P}/placements", params={"status": "working"})).json()
    for other in everyone["items"]:
        assert 30_000_000 <= other["monthly_salary_vnd"] <= 40_000_000
    again: list[str] = []
    await demo.load(client, again.append, concurrency=1)
    assert any(
        "0 records created" in line and "0 steps and 0 remittances" in line for line in again
    )
    assert (await client.get(f"{P}/reports/overview", params=params)).json() == report
