"""The overview report, checked against sums the test computes itself from what it created,
for the province, an old district, a new commune, a year, and a caller bound to one commune."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from mtqg_shared.admin_units import admin_units
from mtqg_shared.types import today_vn
from tests.production.helpers import (
    API,
    BAO_YEN,
    ELSEWHERE,
    NEW_BAO_HA,
    NEW_BAO_YEN,
    NEW_NGHIA_DO,
    OLD_KIM_SON,
    OLD_NGHIA_DO,
    OLD_VINH_YEN,
    admin,
    assert_problem,
    create_facility,
    create_ocop,
    create_project,
    create_zone,
    days_ago,
    disburse,
    step,
    viewer,
)

REPORT = f"{API}/reports/overview"


@dataclass
class Placed:
    """Where a created record lies, as the test itself understands the contract."""

    current: set[str]
    legacy: set[str] = field(default_factory=set)
    values: dict[str, Any] = field(default_factory=dict)


def in_area(record: Placed, area_code: str) -> bool:
    """An old unit (old Lào Cai 10, a district) counts what was given in the old geography
    inside it; a new unit counts every record with a current commune inside it."""
    if area_code == "15":
        return True
    if area_code == "10" or len(area_code) == 3:
        units = admin_units()
        districts = (
            {d.code for d in units.list("2025-01", parent_code="10", level="district")}
            if area_code == "10"
            else {area_code}
        )
        inside = {c.code for d in districts for c in units.list("2025-01", parent_code=d)}
        return bool(record.legacy & inside)
    return area_code in record.current


def current_of(old: str) -> str:
    return admin_units().place_commune(old, "2025-01").commune_code


@dataclass
class World:
    zones: list[Placed] = field(default_factory=list)
    projects: list[Placed] = field(default_factory=list)
    facilities: list[Placed] = field(default_factory=list)
    ocop: list[Placed] = field(default_factory=list)


async def build(client: httpx.AsyncClient) -> World:
    world = World()
    bao_yen_old = admin_units().communes_of_legacy_district(BAO_YEN)

    async def zone(crop: str, area_code: str, year: int, ha: float, **extra: Any) -> None:
        made = await create_zone(
            client, crop=crop, area_code=area_code, year=year, area_ha=ha, **extra
        )
        if len(area_code) == 3:
            placed = Placed({current_of(c) for c in bao_yen_old}, set(bao_yen_old))
        elif made["legacy_commune_code"]:
            placed = Placed({current_of(area_code)}, {area_code})
        else:
            placed = Placed({area_code})
        placed.values = {
            "crop": crop,
            "year": year,
            "area_ha": ha,
            "certified_area_ha": extra.get("certified_area_ha", 0),
            "linked_area_ha": extra.get("linked_area_ha", 0),
        }
        world.zones.append(placed)

    await zone("cinnamon", BAO_YEN, 2024, 24400, certified_area_ha=500, certification="organic_eu")
    await zone("tea", BAO_YEN, 2024, 284)
    await zone("banana", OLD_VINH_YEN, 2024, 310, linked_area_ha=160)
    await zone("cinnamon", NEW_NGHIA_DO, 2025, 100.25, certified_area_ha=10.5,
               certification="vietgap", linked_area_ha=50)  # fmt: skip
    await zone("fruit", ELSEWHERE, 2025, 260)
    await zone("tea", ELSEWHERE, 2023, 12.3456)

    async def project(
        communes: list[str], status_path: list[tuple[str, str]], money: list[tuple[int, str]],
        counted: bool, after: tuple[str, str] | None = None, **fields: Any,
    ) -> dict[str, Any]:  # fmt: skip
        made = await create_project(client, commune_codes=communes, **fields)
        for to, on in status_path:
            assert (await step(client, made["id"], to, on)).status_code == 201
        for amount, on in money:
            assert (await disburse(client, made["id"], amount, on)).status_code == 201
        if after is not None:
            assert (await step(client, made["id"], *after)).status_code == 201
        legacy = set(made["legacy_commune_codes"] or [])
        placed = Placed(set(made["commune_codes"]), legacy)
        placed.values = {
            "counted": counted,
            "total_cost_vnd": made["total_cost_vnd"],
            "state_support_vnd": made["state_support_vnd"],
            "money": list(money),
        }
        world.projects.append(placed)
        return made

    old = await project(
        [OLD_NGHIA_DO, OLD_KIM_SON],
        [("approved", "2021-02-01"), ("in_progress", "2021-03-01")],
        [
            (1_000_000_000, "2021-05-01"),
            (2_000_000_000, "2022-05-01"),
            (3_000_000_000, "2024-05-01"),
        ],
        True,
        after=("completed", "2024-12-01"),
        start_on="2021-01-15",
        proposed_on="2021-01-10",
        total_cost_vnd=10_000_000_000,
        state_support_vnd=7_000_000_000,
    )
    # Corrections count in the year they are made.
    entries = (
        await client.get(f"{API}/projects/{old['id']}/disbursements", headers=admin())
    ).json()
    wrong = next(e for e in entries["items"] if e["on"] == "2022-05-01")
    undo = await client.post(
        f"{API}/projects/{old['id']}/disbursements",
        json={"reverses": wrong["id"], "on": "2024-06-01"},
        headers=admin(),
    )
    assert undo.status_code == 201
    world.projects[-1].values["money"].append((-2_000_000_000, "2024-06-01"))
    await project(
        [NEW_NGHIA_DO], [("approved", days_ago(30))], [(500_000_000, days_ago(10))], True,
        proposed_on=days_ago(60), total_cost_vnd=900_000_000, state_support_vnd=600_000_000,
    )  # fmt: skip
    await project(
        [NEW_BAO_HA, ELSEWHERE], [("approved", days_ago(30))], [(123_456_789, days_ago(20))],
        True, after=("suspended", days_ago(5)), proposed_on=days_ago(40),
    )  # fmt: skip
    await project([NEW_NGHIA_DO], [], [], False, total_cost_vnd=7, state_support_vnd=1)
    await project([ELSEWHERE], [("rejected", days_ago(0))], [], False)

    async def facility(commune: str, jobs: int, **extra: Any) -> None:
        made = await create_facility(client, commune_code=commune, jobs=jobs, **extra)
        legacy = {made["legacy_commune_code"]} if made["legacy_commune_code"] else set()
        world.facilities.append(Placed({made["commune_code"]}, legacy, {"jobs": jobs}))

    await facility(OLD_KIM_SON, 30, established_on="2019-05-01")
    await facility(NEW_NGHIA_DO, 12)
    await facility(ELSEWHERE, 7)

    async def product(commune: str, stars: int, certified_on: str, **extra: Any) -> None:
        made = await create_ocop(
            client,
            commune_code=commune,
            stars=stars,
            score=None,
            certified_on=certified_on,
            **extra,
        )
        legacy = {made["legacy_commune_code"]} if made["legacy_commune_code"] else set()
        values = {"stars": stars, "expires_on": dt.date.fromisoformat(made["expires_on"])}
        world.ocop.append(Placed({made["commune_code"]}, legacy, values))

    await product(NEW_BAO_YEN, 4, "2024-03-01")
    await product(NEW_NGHIA_DO, 3, days_ago(100), expires_on=days_ago(-30))
    await product(ELSEWHERE, 5, days_ago(10))
    await product(NEW_BAO_HA, 1, days_ago(2000), expires_on=days_ago(5))
    await product(NEW_BAO_HA, 4, days_ago(700), expires_on=days_ago(-90))
    return world


def expected(
    world: World, area_code: str, year: int | None, readable: str | None
) -> dict[str, Any]:
    """The overview, computed here from the contract's words."""

    def visible(items: list[Placed]) -> list[Placed]:
        return [
            r
            for r in items
            if in_area(r, area_code) and (readable is None or readable in r.current)
        ]

    zones = visible(world.zones)
    zone_year = year if year is not None else max((z.values["year"] for z in zones), default=None)
    crops: dict[str, dict[str, float]] = {}
    for z in zones:
        if z.values["year"] != zone_year:
            continue
        sums = crops.setdefault(
            z.values["crop"], {"area_ha": 0, "certified_area_ha": 0, "linked_area_ha": 0}
        )
        for key in sums:
            sums[key] = round(sums[key] + z.values[key], 4)
    projects = [p for p in visible(world.projects) if p.values["counted"]]
    by_year: dict[str, int] = defaultdict(int)
    for p in projects:
        for amount, on in p.values["money"]:
            by_year[on[:4]] += amount
    today = today_vn()
    products = visible(world.ocop)
    return {
        "year": year,
        "zones_year": zone_year,
        "zones_by_crop": crops,
        "projects": {
            "count": len(projects),
            "total_cost_vnd": sum(p.values["total_cost_vnd"] for p in projects),
            "state_support_vnd": sum(p.values["state_support_vnd"] for p in projects),
            "disbursed_vnd": sum(by_year.values()) if year is None else by_year.get(str(year), 0),
            "disbursed_by_year": dict(sorted(by_year.items())),
        },
        "facilities": {
            "count": len(visible(world.facilities)),
            "jobs": sum(f.values["jobs"] for f in visible(world.facilities)),
        },
        "ocop": {
            "count": len(products),
            "by_stars": {
                str(s): sum(p.values["stars"] == s for p in products) for s in range(1, 6)
            },
            "expiring_within_90_days": sum(
                today <= p.values["expires_on"] <= today + dt.timedelta(days=90) for p in products
            ),
        },
    }


SCOPES = [
    ("15", None, None),
    ("15", 2024, None),
    ("15", 2023, None),
    ("15", 2030, None),
    (BAO_YEN, None, None),
    ("10", 2024, None),
    (BAO_YEN, 2024, None),
    (NEW_NGHIA_DO, None, None),
    (NEW_BAO_HA, 2021, None),
    ("15", None, NEW_NGHIA_DO),
    ("15", 2024, NEW_BAO_HA),
    (ELSEWHERE, None, ELSEWHERE),
]


async def test_overview_figures_match_the_records(client: httpx.AsyncClient) -> None:
    world = await build(client)
    for area_code, year, readable in SCOPES:
        params: dict[str, Any] = {"area_code": area_code}
        if year is not None:
            params["year"] = year
        headers = viewer(readable) if readable else admin()
        answer = await client.get(REPORT, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        report = answer.json()
        want = expected(world, area_code, year, readable)
        scope = (area_code, year, readable)
        assert report["area"]["code"] == area_code, scope
        for key, value in want.items():
            if key == "zones_by_crop":
                got = {
                    crop: {k: pytest.approx(v) for k, v in land.items()}
                    for crop, land in value.items()
                }
                assert report[key] == got, scope
            else:
                assert report[key] == value, (scope, key)


async def test_the_seed_style_figures_of_an_old_district(client: httpx.AsyncClient) -> None:
    await build(client)
    report = (
        await client.get(REPORT, params={"area_code": BAO_YEN, "year": 2024}, headers=admin())
    ).json()
    assert report["area"] == {"code": BAO_YEN, "name": "Huyện Bảo Yên"}
    assert report["zones_by_crop"]["cinnamon"] == {
        "area_ha": 24400.0,
        "certified_area_ha": 500.0,
        "linked_area_ha": 0.0,
    }
    assert report["projects"]["disbursed_by_year"] == {
        "2021": 1_000_000_000,
        "2022": 2_000_000_000,
        "2024": 1_000_000_000,
    }
    assert report["projects"]["disbursed_vnd"] == 1_000_000_000


async def test_enum_maps_list_every_key(client: httpx.AsyncClient) -> None:
    report = (await client.get(REPORT, headers=admin())).json()
    assert report["ocop"]["by_stars"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}
    assert report["zones_by_crop"] == {}
    assert report["projects"]["disbursed_by_year"] == {}
    assert (report["year"], report["zones_year"]) == (None, None)
    assert report["area"]["code"] == "15"


async def test_report_area_errors(client: httpx.AsyncClient) -> None:
    assert_problem(
        await client.get(REPORT, params={"area_code": BAO_YEN}, headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )
    for params in (
        {"area_code": "999"},
        {"area_code": "087", "geography": "2025-07"},
        {"area_code": "1"},
        {"year": 1800},
        {"year": "last"},
        {"group_by": "commune"},
    ):
        assert_problem(await client.get(REPORT, params=params, headers=admin()), 422, "validation")
    assert_problem(await client.get(REPORT), 401, "unauthorized")
    assert (
        await client.get(REPORT, headers=admin(kind="client", scopes=["housing:read"]))
    ).status_code == 403
