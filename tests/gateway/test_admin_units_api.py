"""GET /api/v1/admin-units: the reference data, no token needed."""

from __future__ import annotations

import httpx
import pytest

from mtqg_shared.admin_units import admin_units
from tests.gateway.helpers import assert_problem

UNITS = "/api/v1/admin-units"


async def test_the_99_communes_of_the_new_province(client: httpx.AsyncClient) -> None:
    answer = await client.get(
        UNITS, params={"geography": "2025-07", "level": "commune", "limit": 200}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["next_cursor"] is None
    items = body["items"]
    assert len(items) == 99
    codes = [i["code"] for i in items]
    assert codes == sorted(codes) and len(set(codes)) == 99
    first = items[0]
    assert set(first) == {
        "code",
        "name",
        "level",
        "geography",
        "parent_code",
        "unit_type",
        "predecessor_codes",
    }
    assert all(i["level"] == "commune" and i["geography"] == "2025-07" for i in items)
    assert all(i["parent_code"] == "15" and i["predecessor_codes"] for i in items)


async def test_pages_follow_each_other_by_code(client: httpx.AsyncClient) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"level": "commune", "limit": 40}
        if cursor:
            params["cursor"] = cursor
        body = (await client.get(UNITS, params=params)).json()
        seen += [i["code"] for i in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == 99 and seen == sorted(seen)


async def test_default_is_the_new_geography_province_first(client: httpx.AsyncClient) -> None:
    body = (await client.get(UNITS, params={"limit": 2})).json()
    assert body["items"][0]["code"] == "15"
    assert body["items"][0]["level"] == "province"
    assert body["items"][0]["parent_code"] is None
    assert body["next_cursor"] == body["items"][1]["code"]


async def test_districts_and_their_communes_before_the_reform(client: httpx.AsyncClient) -> None:
    districts = (
        await client.get(UNITS, params={"geography": "2025-01", "level": "district", "limit": 200})
    ).json()["items"]
    assert districts and all(len(d["code"]) == 3 for d in districts)
    district = districts[0]["code"]
    communes = (
        await client.get(
            UNITS, params={"geography": "2025-01", "parent_code": district, "limit": 200}
        )
    ).json()["items"]
    assert communes
    assert all(c["parent_code"] == district and c["successor_code"] for c in communes)
    assert all("predecessor_codes" not in c for c in communes)


async def test_old_commune_names_its_successor_and_new_one_its_predecessors(
    client: httpx.AsyncClient,
) -> None:
    old = await client.get(f"{UNITS}/02911", params={"geography": "2025-01"})
    assert old.status_code == 200
    assert old.json()["name"] == "Xã Bản Phiệt"
    assert old.json()["successor_code"] == "02647"
    assert "predecessor_codes" not in old.json()
    new = await client.get(f"{UNITS}/02647")  # 2025-07 by default
    assert new.status_code == 200
    assert new.json()["name"] == "Phường Lào Cai"
    assert "02911" in new.json()["predecessor_codes"]
    assert "successor_code" not in new.json()
    assert new.json()["predecessor_codes"] == list(
        admin_units().get("02647", "2025-07").predecessor_codes  # type: ignore[union-attr]
    )


async def test_one_code_two_units(client: httpx.AsyncClient) -> None:
    # 02647 is both an old commune and the new ward that took it in.
    old = (await client.get(f"{UNITS}/02647", params={"geography": "2025-01"})).json()
    new = (await client.get(f"{UNITS}/02647", params={"geography": "2025-07"})).json()
    assert old["geography"] == "2025-01" and old["successor_code"] == "02647"
    assert new["geography"] == "2025-07" and "successor_code" not in new


async def test_unknown_unit_is_404(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(f"{UNITS}/99999"), 404, "not-found")
    assert_problem(
        await client.get(f"{UNITS}/99999", params={"geography": "2025-01"}), 404, "not-found"
    )
    # A district exists only before the reform: asked in the new geography, there is none.
    district = (
        await client.get(UNITS, params={"geography": "2025-01", "level": "district"})
    ).json()
    code = district["items"][0]["code"]
    assert_problem(
        await client.get(f"{UNITS}/{code}", params={"geography": "2025-07"}), 404, "not-found"
    )


async def test_without_geography_a_code_of_one_geography_is_answered_from_it(
    client: httpx.AsyncClient,
) -> None:
    # A district exists only before the reform; 02911 (Xã Bản Phiệt) only as an old commune.
    district = (
        await client.get(UNITS, params={"geography": "2025-01", "level": "district"})
    ).json()["items"][0]
    found = await client.get(f"{UNITS}/{district['code']}")
    assert found.status_code == 200, found.text
    assert found.json()["geography"] == "2025-01"
    assert found.json()["name"] == district["name"]
    old_commune = (await client.get(f"{UNITS}/02911")).json()
    assert old_commune["geography"] == "2025-01"
    assert old_commune["successor_code"] == "02647"
    # The province of the new geography only (15) and of the old only (10).
    assert (await client.get(f"{UNITS}/15")).json()["geography"] == "2025-07"
    assert (await client.get(f"{UNITS}/10")).json()["geography"] == "2025-01"
    # A code in both stays the new unit, as documented.
    both = (await client.get(f"{UNITS}/02647")).json()
    assert both["geography"] == "2025-07" and "predecessor_codes" in both


@pytest.mark.parametrize(
    "params",
    [
        {"geography": "2024"},
        {"level": "hamlet"},
        {"limit": 0},
        {"limit": 201},
        {"parent_code": "999"},
        {"cursor": "abc"},
        {"sort": "name"},
    ],
)
async def test_bad_filters_are_422(client: httpx.AsyncClient, params: dict[str, str | int]) -> None:
    assert_problem(await client.get(UNITS, params=params), 422, "validation")


async def test_bad_geography_on_a_read_is_422(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(f"{UNITS}/02647", params={"geography": "x"}), 422, "validation")
