"""/api/v1/digital/commune-profiles: a commune's officials, their IT certificates and its
connections by year, put whole (labour's profile PUT, the kit's), with the certified rate."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests.digital.helpers import (
    API,
    BAO_THANG,
    ELSEWHERE,
    GIA_PHU,
    XUAN_GIAO,
    admin,
    assert_problem,
    audit_of,
    fields_of,
    officer,
    overview,
    put_profile,
    viewer,
)

PROFILES = f"{API}/commune-profiles"


async def test_put_creates_then_replaces(client: httpx.AsyncClient) -> None:
    made = await put_profile(
        client, year=2024, headers=officer(GIA_PHU), households=1800, households_fibre=1500
    )
    assert made.status_code == 201, made.text
    profile = made.json()
    assert made.headers["location"] == f"{PROFILES}/{GIA_PHU}/2024?geography=2025-01"
    # A year before 2025 is read in the old units.
    assert (
        profile["geography"],
        profile["legacy_commune_code"],
        profile["legacy_district_code"],
    ) == (
        "2025-01",
        GIA_PHU,
        BAO_THANG,
    )
    assert (profile["officials"], profile["officials_it_certified"]) == (25, 22)
    assert profile["it_certified_rate"] == 0.88
    assert profile["online_dossier_rate"] is None
    read = await client.get(f"{PROFILES}/{GIA_PHU}/2024", headers=viewer(GIA_PHU))
    assert (read.json(), read.headers["etag"]) == (profile, '"1"')
    replaced = await put_profile(client, year=2024, officials=22, online_dossier_rate=0.95)
    assert replaced.status_code == 200, replaced.text
    assert (replaced.json()["version"], replaced.json()["it_certified_rate"]) == (2, 1.0)
    assert replaced.json()["online_dossier_rate"] == 0.95
    assert replaced.json()["households"] is None  # a PUT replaces every figure
    trail = await audit_of(client, "commune_profile", profile["id"])
    assert trail[0]["changes"]["officials"] == [25, 22]


async def test_if_match_is_checked_when_sent(client: httpx.AsyncClient) -> None:
    none_yet = await put_profile(client, headers=admin() | {"If-Match": '"1"'})
    assert_problem(none_yet, 412, "precondition-failed")
    assert (await put_profile(client)).status_code == 201
    stale = await put_profile(client, officials=30, headers=admin() | {"If-Match": '"2"'})
    assert_problem(stale, 412, "precondition-failed")
    fresh = await put_profile(client, officials=30, headers=admin() | {"If-Match": '"1"'})
    assert (fresh.status_code, fresh.json()["version"]) == (200, 2)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"officials_it_certified": 26}, ["body.officials_it_certified"]),
        ({"households": 100, "households_fibre": 101}, ["body.households_fibre"]),
        (
            {"officials_it_certified": 26, "households": 1, "households_fibre": 2},
            ["body.officials_it_certified", "body.households_fibre"],
        ),
        ({"officials": -1}, ["body.officials"]),
        ({"officials": "25"}, ["body.officials"]),
        ({"online_dossier_rate": 1.5}, ["body.online_dossier_rate"]),
        ({"online_dossier_rate": 95}, ["body.online_dossier_rate"]),
        ({"adults_with_smartphone": -3}, ["body.adults_with_smartphone"]),
        ({"geography": "2024"}, ["body.geography"]),
        ({"teams": 14}, ["body.teams"]),
    ],
)
async def test_figures_that_cannot_be_true_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], errors: list[str]
) -> None:
    answer = await put_profile(client, **fields)
    assert fields_of(assert_problem(answer, 422, "validation")) == errors


async def test_the_path_and_the_callers_areas(client: httpx.AsyncClient) -> None:
    future = await put_profile(client, year=today_vn().year + 1)
    assert fields_of(assert_problem(future, 422, "validation")) == ["path.year"]
    outside = await put_profile(client, headers=officer(ELSEWHERE))
    assert fields_of(assert_problem(outside, 422, "validation")) == ["path.commune_code"]
    assert_problem(await put_profile(client, headers=viewer()), 403, "forbidden")
    stranger = await client.put(
        f"{PROFILES}/{GIA_PHU}/2025", json={"officials": 1, "officials_it_certified": 0}
    )
    assert_problem(stranger, 401, "unauthorized")
    unknown = await put_profile(client, code="99999")
    assert fields_of(assert_problem(unknown, 422, "validation")) == ["path.commune_code"]
    assert (await put_profile(client)).status_code == 201
    assert_problem(
        await client.get(f"{PROFILES}/{GIA_PHU}/2025", headers=viewer(ELSEWHERE)), 404, "not-found"
    )
    assert_problem(
        await client.get(f"{PROFILES}/{GIA_PHU}/2023", headers=admin()), 404, "not-found"
    )
    assert_problem(await client.get(f"{PROFILES}/2923/2025", headers=admin()), 422, "validation")


async def test_profiles_of_a_year_add_up_in_the_report(client: httpx.AsyncClient) -> None:
    # The new commune Gia Phú took old Gia Phú and Xuân Giao: their 2024 profiles add up.
    assert (await put_profile(client, year=2024)).status_code == 201
    assert (
        await put_profile(
            client, code=XUAN_GIAO, year=2024, officials=20, officials_it_certified=13
        )
    ).status_code == 201
    assert (
        await put_profile(client, year=2025, officials=40, officials_it_certified=39)
    ).status_code == 201
    old = await overview(client, area_code=GIA_PHU, geography="2025-01", year=2024)
    assert old["government"] == {
        "officials": 25,
        "officials_it_certified": 22,
        "it_certified_rate": 0.88,
    }
    new = await overview(client, area_code=GIA_PHU, year=2024)
    assert new["government"] == {
        "officials": 45,
        "officials_it_certified": 35,
        "it_certified_rate": 35 / 45,
    }
    later = await overview(client, area_code=GIA_PHU, year=2025)
    assert later["government"]["officials_it_certified"] == 39
    listed = await client.get(PROFILES, params={"year": 2024}, headers=admin())
    rates = {p["legacy_commune_code"]: p["it_certified_rate"] for p in listed.json()["items"]}
    assert rates == {GIA_PHU: 0.88, XUAN_GIAO: 0.65}
