"""GET /reports/progress: every figure checked against sums this test computes itself from
the cases it made, for several dates, groupings and callers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from mtqg_shared.admin_units import admin_units
from mtqg_shared.types import today_vn
from tests.housing.helpers import (
    API,
    ELSEWHERE,
    NEW_SI_MA_CAI,
    NEW_SIN_CHENG,
    admin,
    assert_problem,
    create_case,
    fund,
    move,
    officer,
    viewer,
)

REPORT = f"{API}/reports/progress"
STATUSES = (
    "registered",
    "surveyed",
    "approved",
    "in_progress",
    "completed",
    "handed_over",
    "cancelled",
)
SOURCES = ("central_budget", "local_budget", "mobilised", "household", "loan")


@dataclass
class Spec:
    commune: str
    registered_on: str
    support_type: str
    geography: str | None = None
    steps: list[tuple[str, str]] = field(default_factory=list)
    money: list[tuple[str, int, str]] = field(default_factory=list)
    # Filled in once made through the API.
    current: str = ""
    legacy_commune: str | None = None
    legacy_district: str | None = None


PATH = ["surveyed", "approved", "in_progress", "completed", "handed_over"]


def path(until: str, *dates: str) -> list[tuple[str, str]]:
    steps = PATH[: PATH.index(until) + 1] if until != "cancelled" else ["cancelled"]
    return list(zip(steps, dates, strict=True))


SPECS = [
    # Si Ma Cai, given in the old geography (2024).
    Spec(
        "02800",
        "2024-03-01",
        "new_build",
        steps=path(
            "handed_over", "2024-03-05", "2024-03-20", "2024-04-01", "2024-08-10", "2024-08-20"
        ),
        money=[
            ("central_budget", 30_000_000, "2024-04-02"),
            ("local_budget", 10_000_000, "2024-04-02"),
            ("household", 95_000_000, "2024-08-01"),
        ],
    ),
    Spec(
        "02800",
        "2024-03-02",
        "repair",
        steps=path("completed", "2024-03-06", "2024-03-21", "2024-04-02", "2024-12-28"),
        money=[
            ("central_budget", 14_000_000, "2024-05-01"),
            ("household", 21_000_001, "2025-01-15"),
        ],
    ),
    Spec(
        "02812",
        "2024-05-01",
        "new_build",
        steps=path("in_progress", "2024-05-02", "2024-06-01", "2024-07-01"),
        money=[("mobilised", 5_000_000, "2024-07-01"), ("loan", 50_000_000, "2024-07-02")],
    ),
    Spec(
        "02803",
        "2024-06-10",
        "repair",
        steps=path("cancelled", "2024-07-01"),
        money=[("household", 1_000_000, "2024-06-11")],
    ),
    Spec("02818", "2024-11-01", "new_build", steps=path("surveyed", "2024-11-02")),
    Spec(
        "02836",
        "2025-01-05",
        "repair",
        steps=path("approved", "2025-01-06", "2025-02-01"),
        money=[("central_budget", 20_000_000, "2025-02-02")],
    ),
    # The same communes today, given in the new geography.
    Spec(
        NEW_SI_MA_CAI,
        "2025-02-01",
        "new_build",
        geography="2025-07",
        steps=path("completed", "2025-02-02", "2025-02-03", "2025-02-04", "2025-03-01"),
        money=[("local_budget", 7_000_000, "2025-02-10")],
    ),
    Spec(NEW_SIN_CHENG, "2025-02-01", "repair", geography="2025-07"),
    # Far away, in Phường Lào Cai.
    Spec(
        ELSEWHERE,
        "2024-04-01",
        "new_build",
        geography="2025-07",
        steps=path("approved", "2024-04-02", "2024-04-03"),
        money=[("central_budget", 60_000_000, "2024-04-04")],
    ),
]


async def make(client: httpx.AsyncClient) -> list[Spec]:
    for spec in SPECS:
        extra: dict[str, Any] = {"geography": spec.geography} if spec.geography else {}
        case = await create_case(
            client,
            commune_code=spec.commune,
            registered_on=spec.registered_on,
            support_type=spec.support_type,
            **extra,
        )
        spec.current = case["commune_code"]
        spec.legacy_commune = case["legacy_commune_code"]
        spec.legacy_district = case["legacy_district_code"]
        # Money first: a cancelled case takes no new entries.
        for source, amount, on in spec.money:
            await fund(client, case["id"], source, amount, on)
        await move(client, case["id"], *spec.steps)
    return SPECS


def expected(
    specs: list[Spec], as_of: str, group_by: str, keep: Any = lambda s: True
) -> dict[str | None, dict[str, Any]]:
    """The report's rows, computed here from the specs without the service's code."""
    rows: dict[str | None, dict[str, Any]] = {}
    for spec in specs:
        if spec.registered_on > as_of or not keep(spec):
            continue
        code = {
            "commune": spec.current,
            "legacy_district": spec.legacy_district,
            "legacy_commune": spec.legacy_commune,
        }[group_by]
        row = rows.setdefault(
            code,
            {
                "by_status": dict.fromkeys(STATUSES, 0),
                "funding_vnd": dict.fromkeys(SOURCES, 0),
                "new_build": 0,
                "repair": 0,
            },
        )
        status = "registered"
        for to, on in spec.steps:
            if on <= as_of:
                status = to
        row["by_status"][status] += 1
        row[spec.support_type] += 1
        for source, amount, on in spec.money:
            if on <= as_of:
                row["funding_vnd"][source] += amount
    for row in rows.values():
        row["cases"] = sum(row["by_status"].values())
        row["completed"] = row["by_status"]["completed"] + row["by_status"]["handed_over"]
        live = row["cases"] - row["by_status"]["cancelled"]
        row["completion_rate"] = row["completed"] / live if live else 0.0
        row["total_funding_vnd"] = sum(row["funding_vnd"].values())
        row["state_budget_vnd"] = (
            row["funding_vnd"]["central_budget"] + row["funding_vnd"]["local_budget"]
        )
    return rows


def summed(rows: dict[str | None, dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {
        "by_status": dict.fromkeys(STATUSES, 0),
        "funding_vnd": dict.fromkeys(SOURCES, 0),
    }
    for key in (
        "cases",
        "new_build",
        "repair",
        "completed",
        "total_funding_vnd",
        "state_budget_vnd",
    ):
        total[key] = sum(r[key] for r in rows.values())
    for row in rows.values():
        for s in STATUSES:
            total["by_status"][s] += row["by_status"][s]
        for s in SOURCES:
            total["funding_vnd"][s] += row["funding_vnd"][s]
    live = total["cases"] - total["by_status"]["cancelled"]
    total["completion_rate"] = total["completed"] / live if live else 0.0
    return total


def figures(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("code", "name")}


async def report(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **params: str
) -> dict[str, Any]:
    answer = await client.get(REPORT, params=params, headers=headers or admin())
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


@pytest.mark.parametrize("as_of", [None, "2024-06-30", "2024-12-31", "2025-02-01", "2025-03-01"])
@pytest.mark.parametrize("group_by", ["commune", "legacy_district", "legacy_commune"])
async def test_the_province_report_adds_up(
    client: httpx.AsyncClient, as_of: str | None, group_by: str
) -> None:
    specs = await make(client)
    params: dict[str, Any] = {"group_by": group_by} | ({"as_of": as_of} if as_of else {})
    body = await report(client, **params)
    day = as_of or today_vn().isoformat()
    assert body["as_of"] == day
    assert body["area"] == {"code": "15", "name": "Tỉnh Lào Cai"}
    want = expected(specs, day, group_by)
    got = {row["code"]: figures(row) for row in body["rows"]}
    assert got == want
    assert figures(body["totals"]) == summed(want)
    assert body["totals"]["code"] == "15"
    codes = [row["code"] for row in body["rows"]]
    assert codes == sorted(c for c in codes if c is not None) + ([None] if None in codes else [])
    for row in body["rows"]:
        if row["code"] is not None:
            geography = "2025-07" if group_by == "commune" else "2025-01"
            unit = admin_units().get(row["code"], geography)
            assert unit is not None and row["name"] == unit.name


async def test_an_old_district_counts_what_was_given_in_it(client: httpx.AsyncClient) -> None:
    specs = await make(client)
    body = await report(client, area_code="084", group_by="legacy_commune", as_of="2025-03-01")
    assert body["area"] == {"code": "084", "name": "Huyện Si Ma Cai"}
    want = expected(specs, "2025-03-01", "legacy_commune", lambda s: s.legacy_district == "084")
    assert {row["code"]: figures(row) for row in body["rows"]} == want
    assert figures(body["totals"]) == summed(want)
    assert None not in want
    # A new commune counts every case now in it, whatever geography it was given in.
    body = await report(client, area_code=NEW_SI_MA_CAI)
    want = expected(specs, today_vn().isoformat(), "commune", lambda s: s.current == NEW_SI_MA_CAI)
    assert {row["code"]: figures(row) for row in body["rows"]} == want
    # An old commune given with its geography.
    body = await report(client, area_code="02800", geography="2025-01", group_by="legacy_commune")
    assert [row["code"] for row in body["rows"]] == ["02800"]
    assert body["totals"]["cases"] == 2


async def test_a_caller_counts_only_what_it_may_read(client: httpx.AsyncClient) -> None:
    specs = await make(client)
    body = await report(client, viewer(NEW_SIN_CHENG), as_of="2025-03-01")
    want = expected(specs, "2025-03-01", "commune", lambda s: s.current == NEW_SIN_CHENG)
    assert {row["code"]: figures(row) for row in body["rows"]} == want
    assert figures(body["totals"]) == summed(want)
    # The district covers Sín Chéng too, so it may ask for it, and sees only its own part.
    body = await report(client, officer(NEW_SIN_CHENG), area_code="084")
    assert {row["code"] for row in body["rows"]} == {NEW_SIN_CHENG}
    answer = await client.get(REPORT, params={"area_code": "084"}, headers=viewer(ELSEWHERE))
    assert_problem(answer, 404, "not-found")


async def test_maps_list_every_key_even_with_nothing_to_count(client: httpx.AsyncClient) -> None:
    body = await report(client, as_of="2020-01-01")
    assert body["rows"] == []
    assert body["totals"]["cases"] == 0 and body["totals"]["completion_rate"] == 0.0
    assert body["totals"]["by_status"] == dict.fromkeys(STATUSES, 0)
    assert body["totals"]["funding_vnd"] == dict.fromkeys(SOURCES, 0)


async def test_bad_report_requests(client: httpx.AsyncClient) -> None:
    tomorrow = (today_vn() + dt.timedelta(days=1)).isoformat()
    for params, status, kind in (
        ({"as_of": tomorrow}, 422, "validation"),
        ({"as_of": "31/12/2024"}, 422, "validation"),
        ({"group_by": "village"}, 422, "validation"),
        ({"area_code": "999"}, 422, "validation"),
        ({"area_code": "084", "geography": "2025-07"}, 422, "validation"),
        ({"geography": "2025-01"}, 422, "validation"),
        ({"extra": "1"}, 422, "validation"),
    ):
        answer = await client.get(REPORT, params=params, headers=admin())
        assert_problem(answer, status, kind)
    assert_problem(await client.get(REPORT), 401, "unauthorized")
    other = {"Authorization": admin()["Authorization"]}
    from tests.housing.helpers import client_token

    assert (await client.get(REPORT, headers=client_token("housing:read"))).status_code == 200
    assert_problem(await client.get(REPORT, headers=client_token("labour:read")), 403, "forbidden")
    assert (await client.get(REPORT, headers=other)).status_code == 200


async def test_the_report_follows_a_case_through_time(client: httpx.AsyncClient) -> None:
    """The same case seen on several dates: history, not today's status, decides."""
    case = await create_case(client, commune_code="02800", registered_on="2024-02-01")
    await fund(client, case["id"], "household", 3, "2024-02-15")
    # Two steps on one day: the later one is the status of that day.
    await move(
        client,
        case["id"],
        ("surveyed", "2024-02-10"),
        ("approved", "2024-02-29"),
        ("cancelled", "2024-02-29"),
    )
    seen = {}
    for day in ("2024-01-31", "2024-02-01", "2024-02-10", "2024-02-28", "2024-02-29"):
        totals = (await report(client, as_of=day))["totals"]
        status = [s for s, n in totals["by_status"].items() if n] or [None]
        seen[day] = (status[0], totals["total_funding_vnd"])
    assert seen == {
        "2024-01-31": (None, 0),
        "2024-02-01": ("registered", 0),
        "2024-02-10": ("surveyed", 0),
        "2024-02-28": ("surveyed", 3),
        "2024-02-29": ("cancelled", 3),
    }
