"""The demo loader records Gia Phú's seed figures through the API, once: the 2025-01 report of
the old commune and the 2025-07 report of the new one answer them exactly."""

from __future__ import annotations

import httpx
import pytest

from demo import digital as demo
from tests.digital.helpers import API, GIA_PHU, admin

SEED_FIGURES = {
    "infrastructure": {
        "computers": 23,
        "cameras": 25,
        "cameras_to_ioc": 25,
        "speaker_clusters": 5,
        "wifi_points": 14,
    },
    "government": {"officials": 25, "officials_it_certified": 22, "it_certified_rate": 0.88},
    "society": {
        "teams": 14,
        "team_members": 56,
        "smart_villages": {"building": 0, "recognised": 1},
    },
    "economy": {"sellers": 1, "ocop_products_online": 11},
    "spent_vnd": 575_000_000,
}


async def overview(client: httpx.AsyncClient, geography: str) -> dict[str, object]:
    params: dict[str, str | int] = {"area_code": GIA_PHU, "geography": geography, "year": 2024}
    answer = await client.get(f"{API}/reports/overview", params=params, headers=admin())
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_gia_phu_is_found_in_the_unit_lists() -> None:
    assert demo.gia_phu() == "02923"


async def test_the_demo_loads_gia_phu(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test client runs every request on one rolled-back connection: one at a time.
    monkeypatch.setattr(demo, "CONCURRENCY", 1)
    client.headers.update(admin())
    lines: list[str] = []
    await demo.load(client, lines.append)
    old = await overview(client, "2025-01")
    assert old["area"] == {"code": GIA_PHU, "name": "Xã Gia Phú"}
    assert {key: old[key] for key in SEED_FIGURES} == SEED_FIGURES
    # The new commune took old Gia Phú whole: the same figures in the 2025-07 geography.
    new = await overview(client, "2025-07")
    assert {key: new[key] for key in SEED_FIGURES} == SEED_FIGURES
    # The statuses the story changed: a row of cameras broken and repaired, old computers
    # retired (not counted).
    cameras = await client.get(f"{API}/assets/{demo.demo_id('asset', 'cameras-dong-cam')}")
    assert (cameras.json()["status"], cameras.json()["status_on"]) == ("active", "2024-07-01")
    retired = await client.get(f"{API}/assets", params={"status": "retired"})
    assert [(a["kind"], a["count"]) for a in retired.json()["items"]] == [("computer", 2)]
    # Mid-2024 the broken cameras were not counted.
    mid = await client.get(
        f"{API}/reports/overview",
        params={"area_code": GIA_PHU, "geography": "2025-01", "as_of": "2024-06-01"},
    )
    assert mid.json()["infrastructure"]["cameras"] == 25 - 7
    assert any("25 cameras (25 to the IOC)" in line and "(illustrative)" in line for line in lines)

    # A second run finds everything already there.
    again: list[str] = []
    await demo.load(client, again.append)
    assert all(" 0 created" in line for line in again if " created," in line)
    assert await overview(client, "2025-01") == old
