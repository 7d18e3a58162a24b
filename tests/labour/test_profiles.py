"""/api/v1/labour/commune-profiles: a commune's yearly labour figures and their rates."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests.labour.helpers import (
    ADMIN,
    AWAY_OFFICER,
    CLIENT_READ,
    HOME,
    HOME_OFFICER,
    LA_PAN_TAN,
    MUONG_KHUONG,
    NEIGHBOUR,
    VIEWER,
    P,
    assert_problem,
    audit_of,
    error_fields,
)

CP = f"{P}/commune-profiles"
SEED = {
    "population": 3400,
    "households": 1000,
    "working_age": 2040,
    "employed_elsewhere": 408,
    "poor_households": 404,
    "near_poor_households": 443,
}


async def test_put_creates_then_replaces(client: httpx.AsyncClient) -> None:
    created = await client.put(f"{CP}/{LA_PAN_TAN}/2024", json=SEED, headers=HOME_OFFICER)
    assert created.status_code == 201, created.text
    profile = created.json()
    assert created.headers["etag"] == '"1"'
    # A year before 2025 is read in the old units.
    assert (profile["geography"], profile["commune_code"], profile["legacy_commune_code"]) == (
        "2025-01",
        HOME,
        LA_PAN_TAN,
    )
    assert profile["legacy_district_code"] == MUONG_KHUONG
    assert (profile["poor_rate"], profile["near_poor_rate"]) == (0.404, 0.443)
    assert (profile["working_age_rate"], profile["employed_elsewhere_rate"]) == (0.6, 0.2)
    read = await client.get(f"{CP}/{LA_PAN_TAN}/2024", headers=VIEWER)
    assert read.json() == profile
    assert read.headers["etag"] == '"1"'
    replaced = await client.put(
        f"{CP}/{LA_PAN_TAN}/2024", json=SEED | {"poor_households": 380}, headers=ADMIN
    )
    assert replaced.status_code == 200
    assert (replaced.json()["version"], replaced.json()["poor_rate"]) == (2, 0.38)
    assert replaced.json()["id"] == profile["id"]
    # If-Match is honoured when sent.
    stale = await client.put(
        f"{CP}/{LA_PAN_TAN}/2024", json=SEED, headers=ADMIN | {"If-Match": '"1"'}
    )
    assert_problem(stale, 412, "precondition-failed")
    trail = await audit_of(client, "commune_profile", profile["id"])
    assert [r["action"] for r in trail] == ["update", "create"]
    assert trail[0]["changes"] == {"poor_households": [404, 380]}


async def test_if_match_on_a_profile_not_yet_there_is_412(client: httpx.AsyncClient) -> None:
    answer = await client.put(
        f"{CP}/{LA_PAN_TAN}/2024", json=SEED, headers=ADMIN | {"If-Match": '"1"'}
    )
    assert_problem(answer, 412, "precondition-failed")


async def test_old_and_new_units_are_different_profiles(client: httpx.AsyncClient) -> None:
    old = await client.put(f"{CP}/{HOME}/2024", json=SEED, headers=ADMIN)
    new = await client.put(f"{CP}/{HOME}/2024", json=SEED | {"geography": "2025-07"}, headers=ADMIN)
    assert old.status_code == new.status_code == 201
    assert old.json()["legacy_commune_code"] == HOME
    assert new.json()["legacy_commune_code"] is None
    read_new = await client.get(f"{CP}/{HOME}/2024", params={"geography": "2025-07"}, headers=ADMIN)
    assert read_new.json()["id"] == new.json()["id"]
    from_2025 = await client.put(f"{CP}/{HOME}/2025", json=SEED, headers=ADMIN)
    assert from_2025.json()["geography"] == "2025-07"


async def test_list_profiles(client: httpx.AsyncClient) -> None:
    await client.put(f"{CP}/{LA_PAN_TAN}/2023", json=SEED, headers=ADMIN)
    await client.put(f"{CP}/{LA_PAN_TAN}/2024", json=SEED, headers=ADMIN)
    await client.put(f"{CP}/{NEIGHBOUR}/2025", json=SEED, headers=ADMIN)

    async def years(headers: dict[str, str] = ADMIN, **params: Any) -> list[tuple[str, int]]:
        answer = await client.get(CP, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return [(p["commune_code"], p["year"]) for p in answer.json()["items"]]

    assert await years() == [(NEIGHBOUR, 2025), (HOME, 2024), (HOME, 2023)]
    assert await years(year=2024) == [(HOME, 2024)]
    assert await years(area_code=MUONG_KHUONG) == [(HOME, 2024), (HOME, 2023)]
    assert await years(headers=HOME_OFFICER) == [(HOME, 2024), (HOME, 2023)]
    assert_problem(
        await client.get(CP, params={"area_code": NEIGHBOUR}, headers=HOME_OFFICER),
        404,
        "not-found",
    )


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"households": 4000}, {"body.households"}),
        ({"working_age": 3500}, {"body.working_age"}),
        ({"employed_elsewhere": 2100}, {"body.employed_elsewhere"}),
        ({"near_poor_households": 700}, {"body.near_poor_households"}),
        ({"population": -1}, {"body.population"}),
        ({"population": 3400.0}, {"body.population"}),
        ({"geography": "2026-01"}, {"body.geography"}),
        ({"unemployed": 5}, {"body.unemployed"}),
    ],
)
async def test_bad_profiles_are_422(
    client: httpx.AsyncClient, change: dict[str, object], fields: set[str]
) -> None:
    answer = await client.put(f"{CP}/{LA_PAN_TAN}/2024", json=SEED | change, headers=ADMIN)
    assert_problem(answer, 422, "validation")
    assert error_fields(answer) >= fields


async def test_bad_paths_and_places(client: httpx.AsyncClient) -> None:
    future = today_vn().year + 1
    assert error_fields(await client.put(f"{CP}/{HOME}/{future}", json=SEED, headers=ADMIN)) == {
        "path.year"
    }
    assert_problem(await client.put(f"{CP}/123/2024", json=SEED, headers=ADMIN), 422, "validation")
    # La Pan Tẩn does not exist from 2025 on.
    gone = await client.put(f"{CP}/{LA_PAN_TAN}/2025", json=SEED, headers=ADMIN)
    assert error_fields(gone) == {"path.commune_code"}
    # Outside the caller's areas: 422, whether or not a profile exists there.
    await client.put(f"{CP}/{LA_PAN_TAN}/2024", json=SEED, headers=ADMIN)
    for year in (2023, 2024):
        away = await client.put(f"{CP}/{LA_PAN_TAN}/{year}", json=SEED, headers=AWAY_OFFICER)
        assert error_fields(away) == {"path.commune_code"}


async def test_access(client: httpx.AsyncClient) -> None:
    await client.put(f"{CP}/{LA_PAN_TAN}/2024", json=SEED, headers=ADMIN)
    url = f"{CP}/{LA_PAN_TAN}/2024"
    assert_problem(await client.put(url, json=SEED), 401, "unauthorized")
    assert_problem(await client.put(url, json=SEED, headers=VIEWER), 403, "forbidden")
    assert_problem(await client.put(url, json=SEED, headers=CLIENT_READ), 403, "forbidden")
    assert_problem(await client.get(url, headers=AWAY_OFFICER), 404, "not-found")
    assert_problem(await client.get(f"{CP}/{LA_PAN_TAN}/2023", headers=ADMIN), 404, "not-found")
    assert (await client.get(url, headers=CLIENT_READ)).status_code == 200
