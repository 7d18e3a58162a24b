"""Gia Phú's digital transformation (the seed's fifth story), through the public API.

The seed's figures for Gia Phú (old commune of Bảo Thắng; since 2025-07-01 part of the new
commune Gia Phú, with Xuân Giao and Thống Nhất), all reproduced exactly by
`GET /api/v1/digital/reports/overview?area_code=<Gia Phú>&geography=2025-01&year=2024` and,
the same, by the new commune's report in the 2025-07 geography:
- 23 computers online, 25 cameras connected to the province's IOC, 5 smart loudspeaker
  clusters, 14 public wifi points;
- 22 officials certified in IT skills;
- 14 community digital technology teams; the smart village of thôn Đông Căm;
- 1 cooperative selling 11 OCOP products online.

Illustrative, made up for the demo (the seed does not say them): how the items split into
asset records and when each was installed; 2 older computers retired in 2023 and a row of
cameras broken for a while in 2024 (the report reads the status in force at the end of the
year, so neither changes the figures); the commune's 25 officials (of whom the 22 certified);
the teams' villages other than Đông Căm and their members; the day Đông Căm started and the
decision recognising it; the cooperative's name and platforms; every spending amount (one
entry recorded twice by mistake and reversed).

Records are given in the 2025-01 geography for 2024, with client-made ids (uuid5 of a stable
name), so running the loader twice creates nothing new.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx

from demo.loader import Loader, submit_period_report
from mtqg_shared.admin_units import GEO_OLD, admin_units

API = "/api/v1/digital"
GEOGRAPHY = GEO_OLD
YEAR = 2024
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://mtqg.laocai.gov.vn/demo/digital")
CONCURRENCY = 6


def gia_phu() -> str:
    """Gia Phú's 2025-01 code, from the project's copy of the unit lists: the commune of that
    name in Bảo Thắng district."""
    units = admin_units()
    (district,) = [
        d for d in units.list(GEOGRAPHY, level="district") if d.name == "Huyện Bảo Thắng"
    ]
    (commune,) = [
        c for c in units.list(GEOGRAPHY, parent_code=district.code) if "Gia Phú" in c.name
    ]
    return commune.code


# The seed's figures (what the report must answer).
SEED = {
    "computers": 23,
    "cameras": 25,
    "cameras_to_ioc": 25,
    "speaker_clusters": 5,
    "wifi_points": 14,
    "officials_it_certified": 22,
    "teams": 14,
    "recognised_villages": 1,
    "sellers": 1,
    "ocop_products_online": 11,
}
OFFICIALS = 25  # illustrative: the seed gives only the 22 certified
SMART_VILLAGE = "Đông Căm"

# (key, kind, count, installed_on, village, connected to the IOC): illustrative splits.
ASSETS = [
    ("computers-office", "computer", 15, "2022-03-15", None, False),
    ("computers-villages", "computer", 8, "2023-06-01", None, False),
    ("cameras-borders", "camera", 10, "2023-04-10", None, True),
    ("cameras-market", "camera", 8, "2023-09-05", None, True),
    ("cameras-dong-cam", "camera", 7, "2024-03-10", SMART_VILLAGE, True),
    ("speakers", "speaker_cluster", 5, "2023-02-20", None, False),
    ("wifi-centre", "wifi_point", 8, "2023-05-12", None, False),
    ("wifi-villages", "wifi_point", 6, "2024-01-18", SMART_VILLAGE, False),
]
# Not counted: retired before the end of the year.
RETIRED = ("computers-old", "computer", 2, "2019-08-01", None, False)
RETIRED_ON = "2023-08-01"
# Broken for a while in 2024, active again by the end of it.
BROKEN = ("cameras-dong-cam", "2024-05-20", "2024-07-01")
TEAM_MEMBERS = [5, 4, 4, 3, 5, 4, 3, 4, 5, 3, 4, 4, 3, 5]  # illustrative, 14 teams
SPENDING = [
    ("cameras", 350_000_000, "local_budget", "investment", "Lắp camera giám sát kết nối IOC"),
    ("speakers", 120_000_000, "central_budget", "investment", "Lắp cụm loa thông minh"),
    (
        "training",
        45_000_000,
        "central_budget",
        "recurrent",
        "Tập huấn tổ công nghệ số",
    ),
    ("wifi", 60_000_000, "mobilised", "recurrent", "Điểm phát wifi công cộng"),
]
REVERSED = "training"  # recorded twice by mistake in this story: once reversed


def demo_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _place(code: str) -> dict[str, str]:
    return {"commune_code": code, "geography": GEOGRAPHY}


def _asset(code: str, row: tuple[str, str, int, str, str | None, bool]) -> dict[str, Any]:
    key, kind, count, installed_on, village, ioc = row
    body: dict[str, Any] = {
        "id": demo_id("asset", key),
        "kind": kind,
        **_place(code),
        "installed_on": installed_on,
        "count": count,
        "connected_to_ioc": ioc,
    }
    if village is not None:
        body["village"] = village
    return body


async def _set_status(loader: Loader, asset_id: str, status: str, on: str) -> None:
    """The status from `on`, unless the asset already holds it from then (a second run)."""
    current = await loader.call("GET", f"assets/{asset_id}")
    current.raise_for_status()
    body = current.json()
    if body["status"] == status and body["status_on"] == on:
        return
    answer = await loader.call(
        "PATCH",
        f"assets/{asset_id}",
        json={"status": status, "status_on": on},
        headers={"If-Match": current.headers["ETag"]},
    )
    answer.raise_for_status()


async def _assets(loader: Loader, code: str) -> None:
    bodies = [_asset(code, row) for row in (*ASSETS, RETIRED)]
    await loader.all([loader.create("assets", body) for body in bodies])
    loader.report("assets")
    retired = demo_id("asset", RETIRED[0])
    current = (await loader.call("GET", f"assets/{retired}")).json()
    if current["status"] != "retired":
        await _set_status(loader, retired, "retired", RETIRED_ON)
    key, broken_on, repaired_on = BROKEN
    asset = demo_id("asset", key)
    current = (await loader.call("GET", f"assets/{asset}")).json()
    if current["version"] == 1:
        await _set_status(loader, asset, "broken", broken_on)
        await _set_status(loader, asset, "active", repaired_on)


async def _teams(loader: Loader, code: str) -> None:
    jobs = []
    for n, members in enumerate(TEAM_MEMBERS):
        body = {
            "id": demo_id("team", n),
            **_place(code),
            "village": SMART_VILLAGE if n == 0 else f"Thôn {n + 1} (demo)",
            "established_on": f"2023-{1 + n % 12:02d}-10",
            "members": members,
        }
        jobs.append(loader.create("teams", body))
    await loader.all(jobs)
    loader.report("teams")


async def _profile(loader: Loader, code: str) -> None:
    body = {
        "geography": GEOGRAPHY,
        "officials": OFFICIALS,
        "officials_it_certified": SEED["officials_it_certified"],
    }
    answer = await loader.call(
        "PUT",
        f"commune-profiles/{code}/{YEAR}",
        json=body,
        headers={"Idempotency-Key": demo_id("profile", code, YEAR)},
    )
    if answer.status_code not in (200, 201):
        raise RuntimeError(f"PUT commune-profiles answered {answer.status_code}: {answer.text}")
    loader.log(f"commune profile {YEAR}: {'created' if answer.status_code == 201 else 'kept'}")


async def _village(loader: Loader, code: str) -> None:
    village_id = demo_id("village", SMART_VILLAGE)
    body = {"id": village_id, **_place(code), "village": SMART_VILLAGE, "started_on": "2023-03-01"}
    await loader.create("smart-villages", body)
    current = (await loader.call("GET", f"smart-villages/{village_id}")).json()
    if current["status"] == "building":
        step = {"to": "recognised", "on": "2024-10-15", "decision_number": "QĐ-demo/2024"}
        answer = await loader.call("POST", f"smart-villages/{village_id}/transitions", json=step)
        answer.raise_for_status()
    loader.report("smart villages")


async def _seller(loader: Loader, code: str) -> None:
    body = {
        "id": demo_id("seller", "cooperative"),
        "name": "Hợp tác xã nông nghiệp Gia Phú (demo)",
        "kind": "cooperative",
        **_place(code),
        "since": "2023-06-01",
        "platforms": ["postmart.vn", "voso.vn", "Facebook"],
        "ocop_products_online": SEED["ocop_products_online"],
    }
    await loader.create("sellers", body)
    loader.report("sellers")


async def _spending(loader: Loader, code: str) -> None:
    for n, (key, amount, source, capital, purpose) in enumerate(SPENDING):
        body: dict[str, Any] = {
            "id": demo_id("spending", key),
            **_place(code),
            "on": f"{YEAR}-{3 + 2 * n:02d}-28",
            "amount_vnd": amount,
            "source": source,
            "capital_type": capital,
            "purpose": purpose,
        }
        if key == "cameras":
            body["asset_id"] = demo_id("asset", "cameras-dong-cam")
        await loader.create("spending", body)
        if key == REVERSED:
            twice = {**body, "id": demo_id("spending", key, "twice")}
            await loader.create("spending", twice)
            correction = {"reverses": twice["id"], "on": body["on"], "note": "nhập trùng (demo)"}
            await loader.create("spending", {"id": demo_id("reversal", key), **correction})
    loader.report("spending entries")


async def load(client: httpx.AsyncClient, log: Callable[[str], None]) -> None:
    code = gia_phu()
    loader = Loader(client, log, API, CONCURRENCY)
    await _assets(loader, code)
    await _teams(loader, code)
    await _profile(loader, code)
    await _village(loader, code)
    await _seller(loader, code)
    await _spending(loader, code)
    # The commune's allocation to digital transformation (illustrative).
    await loader.create(
        "capital-plans",
        {
            "id": demo_id("capital-plan", YEAR),
            "year": YEAR,
            "project_code": "263.CDS",
            "area_code": code,
            "geography": GEOGRAPHY,
            "capital_type": "investment",
            "source": "local_budget",
            "amount_vnd": 200_000_000,
            "decision_number": "88/QĐ-UBND",
            "decision_on": f"{YEAR}-03-01",
        },
    )
    loader.report("capital plans")
    params = {"area_code": code, "geography": GEOGRAPHY, "year": YEAR}
    answer = await loader.call("GET", "reports/overview", params=params)
    answer.raise_for_status()
    report = answer.json()
    infra, gov, society = report["infrastructure"], report["government"], report["society"]
    log(
        f"Gia Phú ({code}, {GEOGRAPHY}) {YEAR}: {infra['computers']} computers, "
        f"{infra['cameras']} cameras ({infra['cameras_to_ioc']} to the IOC), "
        f"{infra['speaker_clusters']} speaker clusters, {infra['wifi_points']} wifi points; "
        f"{gov['officials_it_certified']} officials certified; {society['teams']} teams, "
        f"{society['smart_villages']['recognised']} smart village; "
        f"{report['economy']['sellers']} seller with "
        f"{report['economy']['ocop_products_online']} OCOP products online; "
        f"{report['spent_vnd']:,} VND spent (illustrative)"
    )
    await submit_period_report(client, log, "digital", "15")
