"""GET /api/v1/labour/reports/overview and /reports/remittances: every figure is checked
against sums the test computes itself from the records it created."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import httpx
import pytest

from tests.labour.helpers import (
    ADMIN,
    AWAY_OFFICER,
    CLIENT_READ,
    ELSEWHERE,
    HOME,
    HOME_OFFICER,
    HOUSING_CLIENT,
    LA_PAN_TAN,
    MUONG_KHUONG,
    NEIGHBOUR,
    OLD_CAO_SON,
    P,
    assert_problem,
    make_placement,
    make_worker,
    move,
    remit,
)
from tests.labour.ledger import CASES, EVENTS, FIGURES, NEW, OLD, PROFILES, expected

OVERVIEW = f"{P}/reports/overview"
REMITTANCES = f"{P}/reports/remittances"


@pytest.fixture
async def dataset(client: httpx.AsyncClient) -> None:
    for case in CASES:
        worker = await make_worker(
            client,
            commune_code=case.commune,
            geography=case.geography,
            household_poverty=case.poverty,
        )
        placement = await make_placement(
            client,
            worker["id"],
            destination_country=case.country,
            monthly_salary_vnd=case.salary,
            registered_on=case.registered,
        )
        for status, on in case.steps.items():
            answer = await move(client, placement["id"], status, on, note="reason")
            assert answer.status_code == 201, answer.text
        for month, amount in case.sent.items():
            entry = await remit(client, placement["id"], {"month": month, "amount_vnd": amount})
            assert entry.status_code == 201, entry.text
            if month in case.reversed_months:
                undo = await remit(client, placement["id"], {"reverses": entry.json()["id"]})
                assert undo.status_code == 201
    for commune, geography, held_on, participants in EVENTS:
        answer = await client.post(
            f"{P}/outreach-events",
            headers=ADMIN,
            json={
                "commune_code": commune,
                "geography": geography,
                "held_on": held_on,
                "topic": "Việc làm ở nước ngoài",
                "participants": participants,
                "registered_interest": participants // 4,
            },
        )
        assert answer.status_code == 201, answer.text
    for commune, geography, year, figures in PROFILES:
        body: dict[str, Any] = dict(zip(FIGURES, figures, strict=True)) | {"geography": geography}
        answer = await client.put(
            f"{P}/commune-profiles/{commune}/{year}", json=body, headers=ADMIN
        )
        assert answer.status_code == 201, answer.text


AREAS = [
    ("15", None),
    (LA_PAN_TAN, OLD),
    (MUONG_KHUONG, None),
    (HOME, None),
    (NEIGHBOUR, None),
    (OLD_CAO_SON, OLD),
]


async def test_overview_figures(client: httpx.AsyncClient, dataset: None) -> None:
    # One data set, every area in both geographies, every year (and none).
    for area in AREAS:
        for year in (None, 2023, 2024, 2025):
            params: dict[str, Any] = {"area_code": area[0]}
            if area[1]:
                params["geography"] = area[1]
            if year:
                params["year"] = year
            answer = await client.get(OVERVIEW, params=params, headers=CLIENT_READ)
            assert answer.status_code == 200, answer.text
            got = answer.json()
            assert got.pop("area")["code"] == area[0]
            assert got == expected(area, year, None), (area, year)


async def test_overview_counts_only_what_the_caller_reads(
    client: httpx.AsyncClient, dataset: None
) -> None:
    for year in (None, 2024, 2025):
        params = {"year": year} if year else {}
        answer = await client.get(OVERVIEW, params=params, headers=HOME_OFFICER)
        got = answer.json()
        assert got.pop("area") == {"code": "15", "name": "Tỉnh Lào Cai"}
        assert got == expected(("15", None), year, {HOME}), year
    # An area with nothing readable in it is as if it did not exist.
    assert_problem(
        await client.get(OVERVIEW, params={"area_code": NEIGHBOUR}, headers=HOME_OFFICER),
        404,
        "not-found",
    )
    # Old Mường Khương overlaps the caller's commune: it is answered, for that part only.
    part = await client.get(OVERVIEW, params={"area_code": MUONG_KHUONG}, headers=HOME_OFFICER)
    assert part.json()["departures"] == expected((MUONG_KHUONG, None), None, {HOME})["departures"]


async def test_an_empty_area_has_zeros_and_no_profile(client: httpx.AsyncClient) -> None:
    got = (
        await client.get(OVERVIEW, params={"area_code": ELSEWHERE, "year": 2024}, headers=ADMIN)
    ).json()
    assert got == {
        "area": {"code": ELSEWHERE, "name": got["area"]["name"]},
        "year": 2024,
        "departures": {"total": 0, "by_country": {}},
        "in_preparation": 0,
        "abroad": 0,
        "returned": 0,
        "remittances_vnd": 0,
        "remittances_by_country": {},
        "avg_monthly_salary_vnd": None,
        "departures_from_poor_or_near_poor": 0,
        "outreach": {"events": 0, "participants": 0},
        "profile": None,
    }


async def test_report_parameters(client: httpx.AsyncClient) -> None:
    for params in (
        {"area_code": "99999"},
        {"geography": OLD},
        {"year": "last"},
        {"year": 1800},
        {"area_code": "083", "geography": NEW},
        {"group": "x"},
    ):
        assert_problem(await client.get(OVERVIEW, params=params, headers=ADMIN), 422, "validation")
    assert_problem(await client.get(OVERVIEW), 401, "unauthorized")
    assert_problem(await client.get(OVERVIEW, headers=HOUSING_CLIENT), 403, "forbidden")
    assert_problem(
        await client.get(OVERVIEW, params={"area_code": HOME}, headers=AWAY_OFFICER),
        404,
        "not-found",
    )


async def test_remittance_totals(client: httpx.AsyncClient, dataset: None) -> None:
    for group_by in ("commune", "country", "year", "month"):
        for year in (None, 2024):
            await check_remittance_totals(client, group_by, year)


async def check_remittance_totals(
    client: httpx.AsyncClient, group_by: str, year: int | None
) -> None:
    params: dict[str, Any] = {"group_by": group_by}
    if year:
        params["year"] = year
    answer = await client.get(REMITTANCES, params=params, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    sums: dict[str, int] = defaultdict(int)
    for case in CASES:
        for month, amount in case.sent.items():
            if year and not month.startswith(str(year)):
                continue
            key = {
                "commune": case.current,
                "country": case.country,
                "year": month[:4],
                "month": month,
            }[group_by]
            sums[key] += 0 if month in case.reversed_months else amount
    got = answer.json()
    assert {r["key"]: r["amount_vnd"] for r in got["rows"]} == dict(sums)
    assert got["total_vnd"] == sum(sums.values())
    assert [r["key"] for r in got["rows"]] == sorted(sums)
    if group_by == "commune":
        assert {r["key"]: r["name"] for r in got["rows"]}[HOME] == "Xã Cao Sơn"
    scoped = await client.get(
        REMITTANCES, params=params | {"area_code": LA_PAN_TAN, "geography": OLD}, headers=ADMIN
    )
    mine = sum(
        0 if m in c.reversed_months else a
        for c in CASES
        if c.commune == LA_PAN_TAN
        for m, a in c.sent.items()
        if not year or m.startswith(str(year))
    )
    assert scoped.json()["total_vnd"] == mine
