"""Period reports (API.md section 11): an officer submits the report of an ended period for an
area, with a snapshot of the service's own overview as of the period's last day, frozen; an
approver approves or returns it (with a note); an admin reopens an approved one (with a note);
a returned or reopened report is submitted again with a new snapshot. One report per period
and area, in every service."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests import support
from tests.export.helpers import read_csv
from tests.housing.helpers import ELSEWHERE, NEW_SI_MA_CAI, SI_MA_CAI, create_case

SERVICES = ("housing", "labour", "production", "gender", "digital")
# The last whole month before today, and a day inside it.
_FIRST = today_vn().replace(day=1)
LAST_MONTH_END = _FIRST - dt.timedelta(days=1)
LAST_MONTH = LAST_MONTH_END.strftime("%Y-%m")
IN_LAST_MONTH = LAST_MONTH_END.replace(day=10).isoformat()
HOUSING = "/api/v1/housing/period-reports"

ADMIN = support.auth(subject="admin", roles=["admin"])
OFFICER = support.auth(subject="officer", roles=["officer"], areas=[NEW_SI_MA_CAI])
APPROVER = support.auth(subject="approver", roles=["approver"], areas=[NEW_SI_MA_CAI])
PROVINCE_OFFICER = support.auth(subject="officer-15", roles=["officer"])
VIEWER = support.auth(subject="viewer", roles=["viewer"], areas=[NEW_SI_MA_CAI])
FAR_OFFICER = support.auth(subject="far", roles=["officer"], areas=[ELSEWHERE])
CLIENT = support.auth(subject="system", kind="client", scopes=["housing:write", "housing:read"])


@pytest.fixture
async def housing(service_client: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client("housing") as c:
        yield c


async def submit(
    client: httpx.AsyncClient,
    url: str = HOUSING,
    headers: dict[str, str] = OFFICER,
    **fields: Any,
) -> httpx.Response:
    body = {"period": LAST_MONTH, "area_code": NEW_SI_MA_CAI} | fields
    return await client.post(url, json=body, headers=headers)


async def step(
    client: httpx.AsyncClient,
    report: dict[str, Any],
    to: str,
    headers: dict[str, str],
    note: str | None = None,
    url: str = HOUSING,
) -> httpx.Response:
    body: dict[str, Any] = {"to": to} | ({"note": note} if note is not None else {})
    return await client.post(f"{url}/{report['id']}/transitions", json=body, headers=headers)


def assert_problem(answer: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    problem: dict[str, Any] = answer.json()
    assert problem["type"] == f"/problems/{kind}", problem
    return problem


@pytest.mark.parametrize("service", SERVICES)
async def test_an_officer_submits_a_report_with_the_services_overview(
    service_client: Any, service: str
) -> None:
    url = f"/api/v1/{service}/period-reports"
    async with service_client(service) as client:
        answer = await submit(client, url, PROVINCE_OFFICER, area_code="15")
        assert answer.status_code == 201, answer.text
        report = answer.json()
        assert answer.headers["Location"] == f"{url}/{report['id']}"
        assert answer.headers["ETag"] == '"1"'
        assert report["status"] == "submitted"
        assert report["submission"] == 1
        assert report["period"] == LAST_MONTH
        assert report["period_start"] == LAST_MONTH_END.replace(day=1).isoformat()
        assert report["period_end"] == LAST_MONTH_END.isoformat()
        assert (report["area_code"], report["geography"]) == ("15", "2025-07")
        assert report["submitted_by"] == "person:officer-15"
        assert report["decided_by"] is None
        assert report["snapshot"]["overview"]["area"]["code"] == "15"
        read = await client.get(f"{url}/{report['id']}", headers=VIEWER)
        assert read.status_code == 200, read.text
        assert read.json() == report
        listed = await client.get(url, params={"period": LAST_MONTH}, headers=ADMIN)
        assert [r["id"] for r in listed.json()["items"]] == [report["id"]]


async def test_the_snapshot_is_frozen_at_submission(housing: httpx.AsyncClient) -> None:
    await create_case(housing, registered_on=IN_LAST_MONTH)
    report = (await submit(housing)).json()
    counted = report["snapshot"]["overview"]["totals"]
    assert counted["cases"] == 1, counted
    # A case registered in the period after the submission: the snapshot stays as it was.
    await create_case(housing, registered_on=IN_LAST_MONTH)
    again = (await housing.get(f"{HOUSING}/{report['id']}", headers=OFFICER)).json()
    assert again["snapshot"] == report["snapshot"]
    # Returned and submitted again: a new snapshot counts both, the first stays readable.
    assert (await step(housing, report, "returned", APPROVER, "Thiếu hồ sơ")).status_code == 201
    resubmitted = await step(housing, report, "submitted", OFFICER)
    assert resubmitted.status_code == 201, resubmitted.text
    now = (await housing.get(f"{HOUSING}/{report['id']}", headers=OFFICER)).json()
    assert now["submission"] == 2
    assert now["status"] == "submitted"
    assert now["snapshot"]["overview"]["totals"]["cases"] == 2
    steps = (await housing.get(f"{HOUSING}/{report['id']}/transitions", headers=OFFICER)).json()
    submissions = {s["submission"]: s["snapshot"] for s in steps["items"] if s["to"] == "submitted"}
    assert submissions[1] == report["snapshot"]
    assert submissions[2] == now["snapshot"]


async def test_approve_return_reopen_and_who_takes_each_step(housing: httpx.AsyncClient) -> None:
    report = (await submit(housing)).json()
    # Approving is an approver's, and a person's.
    assert_problem(await step(housing, report, "approved", OFFICER), 403, "forbidden")
    assert_problem(await step(housing, report, "approved", CLIENT), 403, "forbidden")
    assert_problem(await step(housing, report, "approved", VIEWER), 403, "forbidden")
    # Returning needs a note.
    problem = assert_problem(await step(housing, report, "returned", APPROVER), 422, "validation")
    assert [e["field"] for e in problem["errors"]] == ["body.note"]
    # Not from submitted to reopened.
    assert_problem(await step(housing, report, "reopened", ADMIN, "x"), 409, "invalid-state")
    approved = await step(housing, report, "approved", APPROVER)
    assert approved.status_code == 201, approved.text
    assert approved.json()["from"] == "submitted"
    assert approved.json()["to"] == "approved"
    assert approved.json()["actor"] == "person:approver"
    read = (await housing.get(f"{HOUSING}/{report['id']}", headers=OFFICER)).json()
    assert (read["status"], read["decided_by"], read["version"]) == (
        "approved",
        "person:approver",
        2,
    )
    # An approved report is not submitted again, nor returned.
    assert_problem(await step(housing, report, "submitted", OFFICER), 409, "invalid-state")
    assert_problem(await step(housing, report, "returned", APPROVER, "x"), 409, "invalid-state")
    # Reopening is an admin's, with a note.
    assert_problem(await step(housing, report, "reopened", APPROVER, "x"), 403, "forbidden")
    problem = assert_problem(await step(housing, report, "reopened", ADMIN), 422, "validation")
    assert [e["field"] for e in problem["errors"]] == ["body.note"]
    reopened = await step(housing, report, "reopened", ADMIN, "Sai số liệu tháng")
    assert reopened.status_code == 201, reopened.text
    assert reopened.json()["note"] == "Sai số liệu tháng"
    # Submitting again is an officer's too, never a system client's.
    assert_problem(await step(housing, report, "submitted", CLIENT), 403, "forbidden")
    again = await step(housing, report, "submitted", OFFICER)
    assert again.status_code == 201, again.text
    history = (await housing.get(f"{HOUSING}/{report['id']}/transitions", headers=OFFICER)).json()
    assert [(s["to"], s["submission"]) for s in reversed(history["items"])] == [
        ("submitted", 1),
        ("approved", 1),
        ("reopened", 1),
        ("submitted", 2),
    ]
    one = history["items"][0]
    read_step = await housing.get(
        f"{HOUSING}/{report['id']}/transitions/{one['id']}", headers=VIEWER
    )
    assert read_step.status_code == 200
    assert read_step.json() == one
    assert (await housing.get(f"{HOUSING}?status=submitted", headers=OFFICER)).json()["items"][0][
        "submission"
    ] == 2
    assert (await housing.get(f"{HOUSING}?status=approved", headers=OFFICER)).json()["items"] == []


async def test_who_may_submit_and_read(housing: httpx.AsyncClient) -> None:
    assert (
        await housing.post(HOUSING, json={"period": LAST_MONTH, "area_code": "15"})
    ).status_code == 401
    assert_problem(await submit(housing, headers=VIEWER), 403, "forbidden")
    # A report is an officer's: a system client with the write scope submits none.
    problem = assert_problem(await submit(housing, headers=CLIENT), 403, "forbidden")
    assert problem["detail"] == "Period reports are submitted by officers, not by other systems."
    assert (await housing.get(HOUSING, headers=ADMIN)).json()["items"] == []
    # An area wholly outside the caller's: 404; a report of it is not readable either.
    assert_problem(await submit(housing, headers=FAR_OFFICER), 404, "not-found")
    report = (await submit(housing)).json()
    assert_problem(
        await housing.get(f"{HOUSING}/{report['id']}", headers=FAR_OFFICER), 404, "not-found"
    )
    assert_problem(
        await step(
            housing,
            report,
            "approved",
            support.auth(subject="far-a", roles=["approver"], areas=[ELSEWHERE]),
        ),
        404,
        "not-found",
    )
    far_list = await housing.get(HOUSING, headers=FAR_OFFICER)
    assert far_list.json()["items"] == []
    # The province is partly outside a commune officer's areas.
    assert_problem(await submit(housing, area_code="15"), 403, "forbidden")


async def test_one_report_per_period_and_area(housing: httpx.AsyncClient) -> None:
    assert (await submit(housing)).status_code == 201
    assert_problem(await submit(housing), 409, "duplicate")
    # Another period, or another area, is another report.
    quarter = f"{LAST_MONTH_END.year - 1}-Q4"
    assert (await submit(housing, period=quarter)).status_code == 201
    assert (await submit(housing, headers=PROVINCE_OFFICER, area_code="15")).status_code == 201
    listed = await housing.get(HOUSING, params={"area_code": NEW_SI_MA_CAI}, headers=ADMIN)
    assert len(listed.json()["items"]) == 2


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2025-02", "2025-02-01", "2025-02-28"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2025-Q3", "2025-07-01", "2025-09-30"),
        ("2025-H1", "2025-01-01", "2025-06-30"),
        ("2025-H2", "2025-07-01", "2025-12-31"),
        ("2025", "2025-01-01", "2025-12-31"),
    ],
)
async def test_every_kind_of_period(
    housing: httpx.AsyncClient, period: str, start: str, end: str
) -> None:
    answer = await submit(housing, period=period)
    assert answer.status_code == 201, answer.text
    assert (answer.json()["period_start"], answer.json()["period_end"]) == (start, end)
    assert answer.json()["snapshot"]["overview"]["as_of"] == end


@pytest.mark.parametrize("period", ["2025-13", "2025-Q5", "2025-H3", "25-01", "2025-1", "2025Q1"])
async def test_a_period_not_written_as_the_contract_says_is_422(
    housing: httpx.AsyncClient, period: str
) -> None:
    problem = assert_problem(await submit(housing, period=period), 422, "validation")
    assert [e["field"] for e in problem["errors"]] == ["body.period"]


async def test_a_period_that_has_not_ended_is_422(housing: httpx.AsyncClient) -> None:
    this_month = today_vn().strftime("%Y-%m")
    for period in (this_month, str(today_vn().year), f"{today_vn().year + 1}-01"):
        problem = assert_problem(await submit(housing, period=period), 422, "validation")
        assert [e["field"] for e in problem["errors"]] == ["body.period"]
    assert (await housing.get(HOUSING, headers=ADMIN)).json()["items"] == []


async def test_an_old_unit_reports_only_periods_before_the_new_units(
    housing: httpx.AsyncClient,
) -> None:
    old = await submit(housing, headers=PROVINCE_OFFICER, period="2025-Q2", area_code=SI_MA_CAI)
    assert old.status_code == 201, old.text
    assert (old.json()["area_code"], old.json()["geography"]) == (SI_MA_CAI, "2025-01")
    late = await submit(housing, headers=PROVINCE_OFFICER, period="2025-Q3", area_code=SI_MA_CAI)
    problem = assert_problem(late, 422, "validation")
    assert [e["field"] for e in problem["errors"]] == ["body.area_code"]
    # An unknown area is 422.
    unknown = await submit(housing, headers=PROVINCE_OFFICER, area_code="99999")
    assert_problem(unknown, 422, "validation")


async def test_reports_are_audited_and_in_the_change_feed(housing: httpx.AsyncClient) -> None:
    report = (await submit(housing)).json()
    await step(housing, report, "approved", APPROVER)
    audit = await housing.get(
        "/api/v1/housing/audit",
        params={"entity_type": "period_report", "entity_id": report["id"]},
        headers=ADMIN,
    )
    assert [e["action"] for e in audit.json()["items"]] == ["transition", "create"]
    changes = await housing.get("/api/v1/housing/changes", headers=ADMIN)
    ours = [c for c in changes.json()["items"] if c["id"] == report["id"]]
    assert ours and ours[-1]["resource"] == "period-reports"
    assert ours[-1]["record"]["status"] == "approved"
    csv = await housing.get(HOUSING, params={"format": "csv"}, headers=ADMIN)
    assert csv.status_code == 200, csv.text
    rows = read_csv(csv)
    header, row = rows[0], rows[1]
    assert len(rows) == 2
    assert row[header.index("ID")] == report["id"]
    # The frozen report is one cell, as JSON.
    frozen = json.loads(row[header.index("Snapshot")])
    assert frozen == report["snapshot"]
    xlsx = await housing.get(HOUSING, params={"format": "xlsx"}, headers=ADMIN)
    assert xlsx.status_code == 200, xlsx.text


async def test_a_labour_snapshot_counts_the_period_up_to_its_last_day(
    service_client: Any,
) -> None:
    from tests.labour.helpers import HOME

    async with service_client("labour") as labour:
        for held_on in (IN_LAST_MONTH, today_vn().isoformat()):
            event = {
                "commune_code": HOME,
                "held_on": held_on,
                "topic": "Tư vấn xuất khẩu lao động",
                "participants": 30,
                "registered_interest": 4,
            }
            made = await labour.post("/api/v1/labour/outreach-events", json=event, headers=ADMIN)
            assert made.status_code == 201, made.text
        answer = await submit(
            labour, "/api/v1/labour/period-reports", PROVINCE_OFFICER, area_code="15"
        )
        assert answer.status_code == 201, answer.text
        frozen = answer.json()["snapshot"]["overview"]
        assert frozen["year"] == LAST_MONTH_END.year
        # The event held after the period's end is not in its report.
        assert frozen["outreach"] == {"events": 1, "participants": 30}
        # What the overview answers as of that day, and refuses for a day to come.
        url = "/api/v1/labour/reports/overview"
        read = await labour.get(url, params={"as_of": LAST_MONTH_END.isoformat()}, headers=ADMIN)
        assert read.status_code == 200, read.text
        assert read.json() == frozen
        ahead = (today_vn() + dt.timedelta(days=1)).isoformat()
        assert_problem(
            await labour.get(url, params={"as_of": ahead}, headers=ADMIN), 422, "validation"
        )


async def test_a_production_snapshot_counts_the_money_up_to_the_periods_last_day(
    service_client: Any,
) -> None:
    from tests.production.helpers import create_project, disburse, step

    start = LAST_MONTH_END.replace(day=1) - dt.timedelta(days=40)
    async with service_client("production") as production:
        project = await create_project(
            production, start_on=start.isoformat(), proposed_on=start.isoformat()
        )
        approved_on = (start + dt.timedelta(days=5)).isoformat()
        assert (await step(production, project["id"], "approved", approved_on)).status_code == 201
        for amount, on in ((100_000_000, IN_LAST_MONTH), (7_000_000, today_vn().isoformat())):
            paid = await disburse(production, project["id"], amount, on)
            assert paid.status_code == 201, paid.text
        answer = await submit(
            production, "/api/v1/production/period-reports", PROVINCE_OFFICER, area_code="15"
        )
        assert answer.status_code == 201, answer.text
        frozen = answer.json()["snapshot"]["overview"]
        assert frozen["year"] == LAST_MONTH_END.year
        assert frozen["projects"]["count"] == 1
        # What was disbursed after the period's end is not in its report.
        assert frozen["projects"]["disbursed_vnd"] == 100_000_000
        url = "/api/v1/production/reports/overview"
        read = await production.get(
            url, params={"as_of": LAST_MONTH_END.isoformat()}, headers=ADMIN
        )
        assert read.status_code == 200, read.text
        assert read.json() == frozen
        ahead = (today_vn() + dt.timedelta(days=1)).isoformat()
        assert_problem(
            await production.get(url, params={"as_of": ahead}, headers=ADMIN), 422, "validation"
        )
