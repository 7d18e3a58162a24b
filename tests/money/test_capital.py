"""Capital plans and the disbursement report of every service (API.md section 11): plans are
never edited (cuts negative, mistakes reversed), and the report's planned and disbursed sums
are the ones this test computes from what it recorded, as of the first and last days around
each date that matters, for the province, for one commune and by commune."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests import support
from tests.export.helpers import read_csv
from tests.housing.helpers import NEW_SI_MA_CAI, NEW_SIN_CHENG, OLD_NAN_SAN, create_case
from tests.imports.helpers import csv_file, errors_of, run
from tests.production.helpers import approved_project

ADMIN = support.auth(subject="admin", roles=["admin"])
A, B = NEW_SI_MA_CAI, NEW_SIN_CHENG
OFFICER_A = support.auth(subject="officer-a", roles=["officer"], areas=[A])
OFFICER_B = support.auth(subject="officer-b", roles=["officer"], areas=[B])
VIEWER = support.auth(subject="viewer", roles=["viewer"])
YEAR = 2026
COUNTED = ("central_budget", "local_budget")

Make = Callable[[httpx.AsyncClient, str, int, str, str, str], Awaitable[tuple[str, dict[str, Any]]]]


async def _housing(
    client: httpx.AsyncClient, commune: str, amount: int, on: str, source: str, capital: str
) -> tuple[str, dict[str, Any]]:
    case = await create_case(client, commune_code=commune, registered_on="2025-12-01")
    return f"/api/v1/housing/cases/{case['id']}/funding", {
        "amount_vnd": amount,
        "on": on,
        "source": source,
        "capital_type": capital,
    }


async def _production(
    client: httpx.AsyncClient, commune: str, amount: int, on: str, source: str, capital: str
) -> tuple[str, dict[str, Any]]:
    project = await approved_project(
        client,
        on="2025-12-01",
        proposed_on="2025-11-01",
        commune_codes=[commune],
        state_support_vnd=9_000_000_000,
        total_cost_vnd=13_000_000_000,
    )
    return f"/api/v1/production/projects/{project['id']}/disbursements", {
        "amount_vnd": amount,
        "on": on,
        "source": source,
        "capital_type": capital,
    }


def _spending(service: str) -> Make:
    async def make(
        client: httpx.AsyncClient, commune: str, amount: int, on: str, source: str, capital: str
    ) -> tuple[str, dict[str, Any]]:
        return f"/api/v1/{service}/spending", {
            "commune_code": commune,
            "purpose": "Hỗ trợ theo dự án",
            "amount_vnd": amount,
            "on": on,
            "source": source,
            "capital_type": capital,
        }

    return make


@dataclass(frozen=True)
class Kind:
    service: str
    project: str
    make: Make
    uncounted: str | None  # a source the report does not count as disbursed


KINDS = [
    Kind("housing", "90.DA5", _housing, "household"),
    Kind("production", "1719.DA3", _production, None),
    Kind("labour", "90.DA4", _spending("labour"), "mobilised"),
    Kind("gender", "1719.DA8", _spending("gender"), "mobilised"),
    Kind("digital", "263.CDS", _spending("digital"), "mobilised"),
]


@pytest.fixture(params=KINDS, ids=lambda kind: kind.service)
def kind(request: pytest.FixtureRequest) -> Kind:
    found: Kind = request.param
    return found


@pytest.fixture
async def client(service_client: Any, kind: Kind) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client(kind.service) as c:
        yield c


def plan_body(kind: Kind, **fields: Any) -> dict[str, Any]:
    return {
        "year": YEAR,
        "project_code": kind.project,
        "area_code": "15",
        "capital_type": "investment",
        "source": "central_budget",
        "amount_vnd": 10_000_000_000,
        "decision_number": "120/QĐ-UBND",
        "decision_on": "2026-01-15",
    } | fields


async def new_plan(
    client: httpx.AsyncClient, kind: Kind, headers: dict[str, str] | None = None, **fields: Any
) -> dict[str, Any]:
    answer = await client.post(
        f"/api/v1/{kind.service}/capital-plans",
        json=plan_body(kind, **fields),
        headers=headers or ADMIN,
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


# -- what the test expects, computed from what it recorded ---------------------------------


@dataclass
class Ledger:
    # (project, capital, source, area code, geography, amount, day)
    plans: list[tuple[str, str, str, str, str, int, dt.date]] = field(default_factory=list)
    # (project, capital, source, commune, amount, day)
    entries: list[tuple[str, str, str, str, int, dt.date]] = field(default_factory=list)

    def planned(self, as_of: dt.date, commune: str | None = None) -> dict[tuple[str, ...], int]:
        sums: dict[tuple[str, ...], int] = {}
        for project, capital, source, code, _geo, amount, day in self.plans:
            if day <= as_of and (commune is None or code == commune):
                key = (project, capital, source)
                sums[key] = sums.get(key, 0) + amount
        return sums

    def disbursed(self, as_of: dt.date, commune: str | None = None) -> dict[tuple[str, ...], int]:
        sums: dict[tuple[str, ...], int] = {}
        for project, capital, source, where, amount, day in self.entries:
            if (
                day.year == YEAR
                and day <= as_of
                and source in COUNTED
                and (commune is None or where == commune)
            ):
                key = (project, capital, source)
                sums[key] = sums.get(key, 0) + amount
        return sums


def rows_of(report: dict[str, Any]) -> dict[tuple[str, ...], tuple[int, int, float]]:
    return {
        (r["project_code"], r["capital_type"], r["source"]): (
            r["planned_vnd"],
            r["disbursed_vnd"],
            r["disbursement_rate"],
        )
        for r in report["rows"]
    }


def expected_rows(
    ledger: Ledger, as_of: dt.date, commune: str | None = None
) -> dict[tuple[str, ...], tuple[int, int, float]]:
    planned, disbursed = ledger.planned(as_of, commune), ledger.disbursed(as_of, commune)
    out = {}
    for key in {*planned, *disbursed}:
        p, d = planned.get(key, 0), disbursed.get(key, 0)
        out[key] = (p, d, d / p if p > 0 else 0.0)
    return out


async def report(client: httpx.AsyncClient, kind: Kind, **params: str) -> dict[str, Any]:
    answer = await client.get(
        f"/api/v1/{kind.service}/reports/disbursement", params=params, headers=ADMIN
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_the_report_sums_plans_and_entries_as_of_any_day(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    ledger = Ledger()
    p = kind.project

    async def plan(**fields: Any) -> dict[str, Any]:
        made = await new_plan(client, kind, **fields)
        if made["year"] == YEAR:
            ledger.plans.append(
                (
                    p,
                    made["capital_type"],
                    made["source"],
                    made["area_code"],
                    made["geography"],
                    made["amount_vnd"],
                    dt.date.fromisoformat(made["decision_on"]),
                )
            )
        return made

    async def entry(commune: str, amount: int, on: str, source: str, capital: str) -> Any:
        url, body = await kind.make(client, commune, amount, on, source, capital)
        answer = await client.post(url, json=body, headers=ADMIN)
        assert answer.status_code == 201, answer.text
        made = answer.json()
        ledger.entries.append(
            (p, capital, source, commune, amount, dt.date.fromisoformat(made["on"]))
        )
        return url, made

    await plan(amount_vnd=10_000_000_000)  # the province's own
    mistaken = await plan(area_code=A, amount_vnd=2_000_000_000, decision_on="2026-03-31")
    await plan(amount_vnd=-1_000_000_000, decision_on="2026-06-30", decision_number="77/QĐ")
    await plan(
        area_code=B,
        capital_type="recurrent",
        source="local_budget",
        amount_vnd=500_000_000,
        decision_on="2026-02-01",
        carried_over=True,
    )
    await plan(year=2025, amount_vnd=9_000_000_000, decision_on="2025-02-01")
    undo = await client.post(
        f"/api/v1/{kind.service}/capital-plans",
        json={"reverses": mistaken["id"], "decision_on": "2026-09-01", "note": "nhầm số"},
        headers=ADMIN,
    )
    assert undo.status_code == 201, undo.text
    reversal = undo.json()
    assert (reversal["amount_vnd"], reversal["area_code"]) == (-2_000_000_000, A)
    ledger.plans.append(
        (p, "investment", "central_budget", A, "2025-07", -2_000_000_000, dt.date(2026, 9, 1))
    )

    url, first = await entry(A, 300_000_000, "2026-01-01", "central_budget", "investment")
    await entry(B, 200_000_000, "2026-06-30", "local_budget", "recurrent")
    await entry(A, 100_000_000, "2026-07-01", "central_budget", "investment")
    await entry(A, 40_000_000, "2025-12-31", "central_budget", "investment")
    if kind.uncounted is not None:
        await entry(B, 50_000_000, "2026-05-05", kind.uncounted, "recurrent")
    back = await client.post(url, json={"reverses": first["id"], "on": "2026-08-01"}, headers=ADMIN)
    assert back.status_code == 201, back.text
    ledger.entries.append((p, "investment", "central_budget", A, -300_000_000, dt.date(2026, 8, 1)))

    for day in (
        "2026-01-01",
        "2026-03-30",
        "2026-03-31",
        "2026-06-30",
        "2026-07-01",
        "2026-08-31",
        "2026-09-01",
        "2026-12-31",
    ):
        as_of = dt.date.fromisoformat(day)
        whole = await report(client, kind, year=str(YEAR), as_of=day)
        assert (whole["year"], whole["as_of"], whole["area"]["code"]) == (YEAR, day, "15")
        expected = expected_rows(ledger, as_of)
        assert rows_of(whole) == expected, day
        planned = sum(v[0] for v in expected.values())
        disbursed = sum(v[1] for v in expected.values())
        assert whole["totals"]["planned_vnd"] == planned
        assert whole["totals"]["disbursed_vnd"] == disbursed
        assert whole["totals"]["disbursement_rate"] == (disbursed / planned if planned else 0)
        one = await report(client, kind, year=str(YEAR), as_of=day, area_code=A)
        assert rows_of(one) == expected_rows(ledger, as_of, A), day

    # Without a day: this year as of today (after every date above).
    today = await report(client, kind)
    assert rows_of(today) == expected_rows(ledger, dt.date(2026, 12, 31))
    # A year that is over stands on its last day.
    last = await report(client, kind, year="2025")
    assert last["as_of"] == "2025-12-31"
    assert last["totals"] == {
        "planned_vnd": 9_000_000_000,
        "disbursed_vnd": 40_000_000,
        "disbursement_rate": 40_000_000 / 9_000_000_000,
    }

    # By commune: each commune's entries and plans; the province's own under its code.
    by = await report(client, kind, year=str(YEAR), as_of="2026-12-31", group_by="commune")
    grouped: dict[str, dict[tuple[str, ...], tuple[int, int, float]]] = {}
    for row in by["rows"]:
        grouped.setdefault(row["code"], {})[
            (row["project_code"], row["capital_type"], row["source"])
        ] = (row["planned_vnd"], row["disbursed_vnd"], row["disbursement_rate"])
        assert row["name"]
    end = dt.date(2026, 12, 31)
    assert grouped[A] == expected_rows(ledger, end, A)
    assert grouped[B] == expected_rows(ledger, end, B)
    assert grouped["15"] == expected_rows(ledger, end, "15")
    assert set(grouped) == {A, B, "15"}
    assert by["totals"] == today["totals"]


async def test_plans_are_listed_filtered_and_read_within_the_callers_areas(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    url = f"/api/v1/{kind.service}/capital-plans"
    province = await new_plan(client, kind)
    in_a = await new_plan(client, kind, area_code=A, source="local_budget")
    old = await new_plan(
        client,
        kind,
        area_code=OLD_NAN_SAN,
        geography="2025-01",
        year=2024,
        decision_on="2024-03-01",
    )
    assert old["area_name"] and old["geography"] == "2025-01"

    async def ids(headers: dict[str, str], **params: str) -> list[str]:
        answer = await client.get(url, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return [item["id"] for item in answer.json()["items"]]

    assert await ids(ADMIN) == [old["id"], in_a["id"], province["id"]]
    assert await ids(ADMIN, year="2024") == [old["id"]]
    assert await ids(ADMIN, source="local_budget") == [in_a["id"]]
    assert await ids(ADMIN, project_code=kind.project, year=str(YEAR)) == [
        in_a["id"],
        province["id"],
    ]
    # A commune holds its own plans and those of the old communes that became it.
    assert await ids(ADMIN, area_code=A) == [old["id"], in_a["id"]]
    # An officer reads the province's plans and their own commune's, not another's.
    assert await ids(OFFICER_A) == [old["id"], in_a["id"], province["id"]]
    assert await ids(OFFICER_B) == [province["id"]]
    hidden = await client.get(f"{url}/{in_a['id']}", headers=OFFICER_B)
    assert hidden.status_code == 404
    seen = await client.get(f"{url}/{province['id']}", headers=OFFICER_B)
    assert seen.status_code == 200 and seen.headers["etag"] == '"1"'
    assert seen.json() == province | {"reversed_by": None}
    outside = await client.get(url, params={"area_code": A}, headers=OFFICER_B)
    assert outside.status_code == 404
    outside = await client.get(
        f"/api/v1/{kind.service}/reports/disbursement", params={"area_code": A}, headers=OFFICER_B
    )
    assert outside.status_code == 404
    assert (await client.get(url)).status_code == 401


async def test_a_plan_is_written_only_by_who_covers_its_area_and_reversed_once(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    url = f"/api/v1/{kind.service}/capital-plans"
    # A commune officer records their commune's plans, not the province's.
    mine = await new_plan(client, kind, headers=OFFICER_A, area_code=A)
    theirs = await client.post(url, json=plan_body(kind), headers=OFFICER_A)
    assert theirs.status_code == 422
    assert [e["field"] for e in theirs.json()["errors"]] == ["body.area_code"]
    viewer = await client.post(url, json=plan_body(kind, area_code=A), headers=VIEWER)
    assert viewer.status_code == 403
    province = await new_plan(client, kind)
    # A plan the caller may read but not write is as one that does not exist to reverse.
    cannot = await client.post(
        url, json={"reverses": province["id"], "decision_on": "2026-02-01"}, headers=OFFICER_A
    )
    assert cannot.status_code == 422
    assert [e["field"] for e in cannot.json()["errors"]] == ["body.reverses"]
    undo = {"reverses": mine["id"], "decision_on": "2026-02-01"}
    first = await client.post(url, json=undo, headers=OFFICER_A)
    assert first.status_code == 201, first.text
    again = await client.post(url, json=undo, headers=OFFICER_A)
    assert again.status_code == 409
    read = await client.get(f"{url}/{mine['id']}", headers=ADMIN)
    assert read.json()["reversed_by"] == first.json()["id"]
    # A reversal is not reversed; it is not dated before its plan.
    twice = await client.post(
        url, json={"reverses": first.json()["id"], "decision_on": "2026-03-01"}, headers=ADMIN
    )
    assert twice.status_code == 422
    early = await client.post(
        url, json={"reverses": province["id"], "decision_on": "2026-01-14"}, headers=ADMIN
    )
    assert early.status_code == 422
    assert [e["field"] for e in early.json()["errors"]] == ["body.decision_on"]
    # The same client id twice is 409.
    given = plan_body(kind, id="6b0002f2-d833-42f1-b2f8-ada4bd1fcbb2")
    assert (await client.post(url, json=given, headers=ADMIN)).status_code == 201
    assert (await client.post(url, json=given, headers=ADMIN)).status_code == 409


@pytest.mark.parametrize(
    ("fields", "wrong"),
    [
        ({"amount_vnd": 0}, "body.amount_vnd"),
        ({"amount_vnd": 1.5}, "body.amount_vnd"),
        ({"amount_vnd": "1000"}, "body.amount_vnd"),
        ({"project_code": "90.DA1"}, "body.project_code"),
        ({"source": "mobilised"}, "body.source"),
        ({"capital_type": "current"}, "body.capital_type"),
        ({"area_code": "99999"}, "body.area_code"),
        ({"year": 1800}, "body.year"),
        ({"decision_on": "2999-01-01"}, "body.decision_on"),
        ({"decision_number": ""}, "body.decision_number"),
        ({"decision_number": None}, "body.decision_number"),
        ({"reverses": "6b0002f2-d833-42f1-b2f8-ada4bd1fcbb2"}, "body.year"),
        ({"colour": "red"}, "body.colour"),
    ],
)
async def test_a_bad_plan_is_422_naming_the_field_and_nothing_is_written(
    client: httpx.AsyncClient, kind: Kind, fields: dict[str, Any], wrong: str
) -> None:
    url = f"/api/v1/{kind.service}/capital-plans"
    answer = await client.post(url, json=plan_body(kind, **fields), headers=ADMIN)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert wrong in [e["field"] for e in answer.json()["errors"]]
    listed = await client.get(url, headers=ADMIN)
    assert listed.json()["items"] == []


async def test_a_plan_body_that_is_not_json_is_415(client: httpx.AsyncClient, kind: Kind) -> None:
    answer = await client.post(
        f"/api/v1/{kind.service}/capital-plans",
        content=b"year=2026",
        headers=ADMIN | {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 415


@pytest.mark.parametrize(
    "params",
    [
        {"year": "1800"},
        {"as_of": "2026-13-01"},
        {"group_by": "district"},
        {"area_code": "99999"},
        {"area_code": "084", "geography": "2025-07"},
    ],
)
async def test_a_bad_report_query_is_422(
    client: httpx.AsyncClient, kind: Kind, params: dict[str, str]
) -> None:
    answer = await client.get(
        f"/api/v1/{kind.service}/reports/disbursement", params=params, headers=ADMIN
    )
    assert answer.status_code == 422, answer.text


async def test_the_report_by_commune_exports_with_the_place_headed_as_a_place(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    await new_plan(client, kind, area_code=A, amount_vnd=2_000_000_000)
    params = {"year": str(YEAR), "group_by": "commune", "format": "csv"}
    answer = await client.get(
        f"/api/v1/{kind.service}/reports/disbursement",
        params=params,
        headers=ADMIN | {"Accept-Language": "vi"},
    )
    assert answer.status_code == 200, answer.text
    table = read_csv(answer)
    header, row, total = table[0], table[1], table[-1]
    assert header[:3] == ["Dòng", header[1], header[2]]
    assert header[1] in ("Mã", "Mã địa bàn") and header[2] in ("Tên", "Tên địa bàn")
    assert "Mã dự án" not in header
    assert row[1] == A and row[3] == kind.project
    assert int(row[6]) == 2_000_000_000
    assert total[0] == "Tổng cộng" and int(total[6]) == 2_000_000_000


async def test_plans_imported_from_a_sheet_all_or_nothing(
    client: httpx.AsyncClient, kind: Kind
) -> None:
    """A sheet of 200 plans with two bad rows: both named (row, field, code), nothing written;
    fixed, a dry run writes nothing, and the commit makes every plan the report then sums."""
    api = f"/api/v1/{kind.service}"
    columns = ["year", "project_code", "area_code", "capital_type", "source", "amount_vnd",
               "decision_number", "decision_on"]  # fmt: skip
    rows = [
        [YEAR, kind.project, A if n % 2 else "15", "investment", "central_budget",
         1_000_000 * (n + 1), f"{n}/QĐ-UBND", "2026-02-01"]
        for n in range(200)
    ]  # fmt: skip
    broken = [list(row) for row in rows]
    broken[6][5] = 0  # sheet row 8: a zero amount
    broken[29][1] = "90.DA1"  # sheet row 31: another programme's project
    job = await run(client, csv_file([columns, *broken]), ADMIN, api=api,
                    resource="capital-plans", name="plans.csv")  # fmt: skip
    assert job["status"] == "failed", job
    assert errors_of(job) == [(8, "amount_vnd", "not_zero"), (31, "project_code", "invalid_choice")]
    listed = await client.get(f"{api}/capital-plans", headers=ADMIN)
    assert listed.json()["items"] == []
    dry = await run(client, csv_file([columns, *rows]), ADMIN, api=api,
                    resource="capital-plans", name="plans.csv", mode="dry_run")  # fmt: skip
    assert (dry["status"], dry["errors"], dry["created"]) == ("done", [], 200), dry
    assert (await client.get(f"{api}/capital-plans", headers=ADMIN)).json()["items"] == []
    done = await run(client, csv_file([columns, *rows]), ADMIN, api=api,
                     resource="capital-plans", name="plans.csv")  # fmt: skip
    assert (done["status"], done["created"]) == ("done", 200), done
    totals = (await report(client, kind, year=str(YEAR)))["totals"]
    assert totals["planned_vnd"] == sum(1_000_000 * (n + 1) for n in range(200))
