"""GET /api/v1/digital/reports/overview: counted in SQL, as of the end of a year (or a day),
by area in either geography, only what the caller may read."""

from __future__ import annotations

from typing import Any

import httpx

from mtqg_shared.types import today_vn
from tests.digital.helpers import (
    API,
    BAO_THANG,
    ELSEWHERE,
    GIA_PHU,
    XUAN_GIAO,
    admin,
    assert_problem,
    create_asset,
    create_seller,
    create_team,
    fields_of,
    overview,
    put_profile,
    spend,
    viewer,
)

OVERVIEW = f"{API}/reports/overview"
EMPTY = {
    "infrastructure": {
        "computers": 0,
        "cameras": 0,
        "cameras_to_ioc": 0,
        "speaker_clusters": 0,
        "wifi_points": 0,
    },
    "government": {"officials": 0, "officials_it_certified": 0, "it_certified_rate": 0.0},
    "society": {"teams": 0, "team_members": 0, "smart_villages": {"building": 0, "recognised": 0}},
    "economy": {"sellers": 0, "ocop_products_online": 0},
    "spent_vnd": 0,
}


async def test_an_empty_area_lists_every_figure(client: httpx.AsyncClient) -> None:
    report = await overview(client, area_code=GIA_PHU)
    assert (report["area"], report["year"], report["as_of"]) == (
        {"code": GIA_PHU, "name": "Xã Gia Phú"},
        None,
        today_vn().isoformat(),
    )
    assert {key: report[key] for key in EMPTY} == EMPTY
    province = await overview(client, year=2024)
    assert (province["area"]["code"], province["as_of"]) == ("15", "2024-12-31")


async def test_counts_by_year_area_and_day(client: httpx.AsyncClient) -> None:
    old: dict[str, Any] = {"geography": "2025-01"}
    await create_asset(
        client, kind="computer", connected_to_ioc=False, count=23, installed_on="2024-02-01", **old
    )
    await create_asset(client, count=20, installed_on="2024-03-01", **old)
    await create_asset(client, count=5, connected_to_ioc=False, installed_on="2024-05-01", **old)
    await create_asset(
        client,
        kind="speaker_cluster",
        connected_to_ioc=False,
        count=5,
        installed_on="2024-06-01",
        **old,
    )
    # In Xuân Giao (old), now inside the new Gia Phú too.
    await create_asset(
        client,
        kind="wifi_point",
        connected_to_ioc=False,
        count=14,
        commune_code=XUAN_GIAO,
        installed_on="2024-07-01",
        **old,
    )
    # Installed in 2025: not in 2024's figures.
    await create_asset(client, kind="wifi_point", connected_to_ioc=False, count=3)
    await create_asset(client, commune_code=ELSEWHERE, count=9)
    await create_team(client, established_on="2024-04-01", members=4, **old)
    await create_team(client, established_on="2025-09-01", members=6)
    await create_seller(client, since="2024-01-10", **old)
    await create_seller(client, since="2025-09-01", kind="household", ocop_products_online=2)
    await spend(client, on="2024-06-01", amount_vnd=80_000_000, **old)
    await spend(client, on="2025-09-01", amount_vnd=10_000_000)
    assert (await put_profile(client, year=2024, **old)).status_code == 201

    old_gia_phu = await overview(client, area_code=GIA_PHU, geography="2025-01", year=2024)
    assert old_gia_phu["infrastructure"] == {
        "computers": 23,
        "cameras": 25,
        "cameras_to_ioc": 20,
        "speaker_clusters": 5,
        "wifi_points": 0,
    }
    assert old_gia_phu["society"]["teams"] == 1
    assert old_gia_phu["economy"] == {"sellers": 1, "ocop_products_online": 11}
    assert old_gia_phu["spent_vnd"] == 80_000_000
    assert old_gia_phu["government"]["it_certified_rate"] == 0.88
    district = await overview(client, area_code=BAO_THANG, year=2024)
    assert district["infrastructure"]["wifi_points"] == 14
    new_gia_phu = await overview(client, area_code=GIA_PHU, year=2024)
    assert new_gia_phu["infrastructure"]["wifi_points"] == 14
    assert new_gia_phu["infrastructure"]["cameras"] == 25
    now = await overview(client, area_code=GIA_PHU, year=2025)
    assert now["infrastructure"]["wifi_points"] == 17
    assert (now["society"]["teams"], now["society"]["team_members"]) == (2, 10)
    assert now["economy"] == {"sellers": 2, "ocop_products_online": 13}
    assert now["spent_vnd"] == 10_000_000
    assert now["government"]["officials"] == 0  # no profile of 2025
    early = await overview(client, area_code=GIA_PHU, as_of="2024-04-15")
    assert early["infrastructure"]["computers"] == 23
    assert early["infrastructure"]["cameras"] == 20
    assert early["spent_vnd"] == 0
    province = await overview(client, year=2025)
    assert province["infrastructure"]["cameras"] == 34


async def test_a_reader_counts_only_its_areas(client: httpx.AsyncClient) -> None:
    await create_asset(client)
    await create_asset(client, commune_code=ELSEWHERE, count=9)
    mine = await overview(client, viewer(GIA_PHU))
    assert (mine["area"]["code"], mine["infrastructure"]["cameras"]) == ("15", 5)
    assert_problem(
        await client.get(OVERVIEW, params={"area_code": ELSEWHERE}, headers=viewer(GIA_PHU)),
        404,
        "not-found",
    )
    assert_problem(await client.get(OVERVIEW), 401, "unauthorized")


async def test_bad_queries_are_422(client: httpx.AsyncClient) -> None:
    cases: list[tuple[dict[str, str | int], str]] = [
        ({"as_of": "2999-01-01"}, "query.as_of"),
        ({"as_of": "31/12/2025"}, "query.as_of"),
        ({"year": 1800}, "query.year"),
        ({"year": "2024a"}, "query.year"),
        ({"area_code": "1"}, "query.area_code"),
        ({"area_code": "99999"}, "query.area_code"),
        ({"geography": "2024"}, "query.geography"),
        ({"group_by": "commune"}, "query.group_by"),
    ]
    for params, field in cases:
        answer = await client.get(OVERVIEW, params=params, headers=admin())
        assert field in fields_of(assert_problem(answer, 422, "validation")), params
