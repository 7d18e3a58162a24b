"""The period lock (API.md section 11): while a period report is approved, a create, a status
step, a money entry or a reversal dated inside its period, and a PATCH of a field its reports
count on a record dated inside it, is 409 `/problems/period-locked` for the records of its
area, in every service, also as one operation of a batch and one row of an import
(`period_locked`). Writes dated after the period, records in another commune, fields the
reports do not count, and everything after the report is reopened pass."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests import support
from tests.housing.helpers import ELSEWHERE, NEW_SI_MA_CAI, case_body, create_case, household
from tests.imports.helpers import CASE_COLUMNS, csv_file, errors_of, run

PERIOD = "2025-09"
INSIDE = "2025-09-15"
LATER = "2025-09-28"
AFTER = "2025-10-06"
BEFORE = "2025-08-05"
ADMIN = support.auth(subject="admin", roles=["admin"])
VI = ADMIN | {"Accept-Language": "vi"}


async def lock(
    client: httpx.AsyncClient, service: str, area: str, period: str = PERIOD
) -> dict[str, Any]:
    """A report of `period` for `area`, submitted and approved."""
    url = f"/api/v1/{service}/period-reports"
    report = await client.post(url, json={"period": period, "area_code": area}, headers=ADMIN)
    assert report.status_code == 201, report.text
    found: dict[str, Any] = report.json()
    approved = await client.post(
        f"{url}/{found['id']}/transitions", json={"to": "approved"}, headers=ADMIN
    )
    assert approved.status_code == 201, approved.text
    return found


async def reopen(client: httpx.AsyncClient, service: str, report: dict[str, Any]) -> None:
    url = f"/api/v1/{service}/period-reports/{report['id']}/transitions"
    answer = await client.post(url, json={"to": "reopened", "note": "Sửa số liệu"}, headers=ADMIN)
    assert answer.status_code == 201, answer.text


def assert_locked(answer: httpx.Response, area: str | None = None) -> dict[str, Any]:
    assert answer.status_code == 409, answer.text
    problem: dict[str, Any] = answer.json()
    assert problem["type"] == "/problems/period-locked", problem
    assert PERIOD in problem["detail"]
    if area is not None:
        assert area in problem["detail"]
    return problem


async def get(client: httpx.AsyncClient, url: str) -> dict[str, Any]:
    answer = await client.get(url, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


async def patch(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> httpx.Response:
    version = (await get(client, url))["version"]
    return await client.patch(url, json=body, headers=ADMIN | {"If-Match": f'"{version}"'})


def created(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


# -- housing ---------------------------------------------------------------------------

H = "/api/v1/housing"


@pytest.fixture
async def housing(service_client: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client("housing") as c:
        yield c


async def test_a_case_registered_inside_an_approved_period_is_locked(
    housing: httpx.AsyncClient,
) -> None:
    await lock(housing, "housing", NEW_SI_MA_CAI)
    refused = await housing.post(f"{H}/cases", json=case_body(registered_on=INSIDE), headers=ADMIN)
    problem = assert_locked(refused, NEW_SI_MA_CAI)
    assert problem["status"] == 409
    vi = await housing.post(f"{H}/cases", json=case_body(registered_on=INSIDE), headers=VI)
    assert "đã được phê duyệt và khóa số liệu" in assert_locked(vi)["detail"]
    # Nothing written.
    listed = await housing.get(f"{H}/cases", headers=ADMIN)
    assert listed.json()["items"] == []
    # After the period, before it, and in another commune: written.
    created(await housing.post(f"{H}/cases", json=case_body(registered_on=AFTER), headers=ADMIN))
    created(await housing.post(f"{H}/cases", json=case_body(registered_on=BEFORE), headers=ADMIN))
    elsewhere = case_body(registered_on=INSIDE, commune_code=ELSEWHERE)
    created(await housing.post(f"{H}/cases", json=elsewhere, headers=ADMIN))


async def test_a_step_dated_inside_the_period_is_locked(housing: httpx.AsyncClient) -> None:
    case = await create_case(housing, registered_on=BEFORE)
    report = await lock(housing, "housing", NEW_SI_MA_CAI)
    url = f"{H}/cases/{case['id']}/transitions"
    assert_locked(await housing.post(url, json={"to": "surveyed", "on": INSIDE}, headers=ADMIN))
    assert (await get(housing, f"{H}/cases/{case['id']}"))["status"] == "registered"
    created(await housing.post(url, json={"to": "surveyed", "on": AFTER}, headers=ADMIN))
    # Reopened, the period takes writes again.
    other = await create_case(housing, registered_on=BEFORE)
    await reopen(housing, "housing", report)
    created(
        await housing.post(
            f"{H}/cases/{other['id']}/transitions",
            json={"to": "surveyed", "on": INSIDE},
            headers=ADMIN,
        )
    )


async def test_money_entries_and_reversals_inside_the_period_are_locked(
    housing: httpx.AsyncClient,
) -> None:
    case = await create_case(housing, registered_on=BEFORE)
    url = f"{H}/cases/{case['id']}/funding"
    entry = {"source": "central_budget", "amount_vnd": 40_000_000}
    booked = created(await housing.post(url, json=entry | {"on": INSIDE}, headers=ADMIN))
    await lock(housing, "housing", NEW_SI_MA_CAI)
    assert_locked(await housing.post(url, json=entry | {"on": LATER}, headers=ADMIN))
    reversal = {"reverses": booked["id"], "on": LATER}
    assert_locked(await housing.post(url, json=reversal, headers=ADMIN))
    # Dated after the period: booked, and the reversal counts on its own date.
    created(await housing.post(url, json=entry | {"on": AFTER}, headers=ADMIN))
    created(await housing.post(url, json={"reverses": booked["id"], "on": AFTER}, headers=ADMIN))
    listed = await housing.get(url, headers=ADMIN)
    assert len(listed.json()["items"]) == 3


async def test_a_patch_of_a_counted_field_inside_the_period_is_locked(
    housing: httpx.AsyncClient,
) -> None:
    case = await create_case(housing, registered_on=INSIDE)
    later = await create_case(housing, registered_on=AFTER)
    report = await lock(housing, "housing", NEW_SI_MA_CAI)
    url = f"{H}/cases/{case['id']}"
    assert_locked(await patch(housing, url, {"support_type": "repair"}))
    assert_locked(await patch(housing, url, {"beneficiary_group": "near_poor"}))
    assert (await get(housing, url))["support_type"] == "new_build"
    # What the reports do not count may change.
    noted = await patch(housing, url, {"notes": "Nhà tạm, mái lá", "village": "Thôn Sán Chải"})
    assert noted.status_code == 200, noted.text
    # A case dated after the period changes freely.
    assert (
        await patch(housing, f"{H}/cases/{later['id']}", {"support_type": "repair"})
    ).status_code == 200
    await reopen(housing, "housing", report)
    assert (await patch(housing, url, {"support_type": "repair"})).status_code == 200


async def test_a_plans_milestone_due_inside_the_period_is_locked(
    housing: httpx.AsyncClient,
) -> None:
    first = {"due_on": "2025-06-30", "completed_target": 5}
    body: dict[str, Any] = {
        "area_code": NEW_SI_MA_CAI,
        "title": "Xóa nhà tạm Si Ma Cai",
        "target_new_build": 30,
        "target_repair": 20,
        "deadline": "2026-12-31",
        "milestones": [first],
    }
    plan = created(await housing.post(f"{H}/plans", json=body, headers=ADMIN))
    await lock(housing, "housing", NEW_SI_MA_CAI)
    url = f"{H}/plans/{plan['id']}"
    inside = [first, {"due_on": LATER, "completed_target": 10}]
    assert_locked(await patch(housing, url, {"milestones": inside}))
    locked_plan = body | {"milestones": [{"due_on": LATER, "completed_target": 10}]}
    assert_locked(await housing.post(f"{H}/plans", json=locked_plan, headers=ADMIN))
    # Milestones due outside the period, and the plan's other fields, change.
    after = [first, {"due_on": "2026-06-30", "completed_target": 15}]
    assert (
        await patch(housing, url, {"milestones": after, "title": "Kế hoạch 2026"})
    ).status_code == 200


async def test_a_province_report_locks_every_commune(housing: httpx.AsyncClient) -> None:
    await lock(housing, "housing", "15")
    for commune in (NEW_SI_MA_CAI, ELSEWHERE):
        body = case_body(registered_on=INSIDE, commune_code=commune)
        assert_locked(await housing.post(f"{H}/cases", json=body, headers=ADMIN), "15")


async def test_a_submitted_or_returned_report_locks_nothing(housing: httpx.AsyncClient) -> None:
    url = f"{H}/period-reports"
    report = created(
        await housing.post(url, json={"period": PERIOD, "area_code": NEW_SI_MA_CAI}, headers=ADMIN)
    )
    created(await housing.post(f"{H}/cases", json=case_body(registered_on=INSIDE), headers=ADMIN))
    created(
        await housing.post(
            f"{url}/{report['id']}/transitions",
            json={"to": "returned", "note": "Thiếu số liệu"},
            headers=ADMIN,
        )
    )
    created(await housing.post(f"{H}/cases", json=case_body(registered_on=INSIDE), headers=ADMIN))


async def test_in_a_batch_the_locked_operation_fails_and_the_others_run(
    housing: httpx.AsyncClient,
) -> None:
    await lock(housing, "housing", NEW_SI_MA_CAI)
    operations = [
        {"method": "POST", "path": f"{H}/cases", "body": case_body(registered_on=INSIDE)},
        {"method": "POST", "path": f"{H}/cases", "body": case_body(registered_on=AFTER)},
    ]
    answer = await housing.post(f"{H}/batch", json={"operations": operations}, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["status"] for r in results] == [409, 201]
    assert results[0]["body"]["type"] == "/problems/period-locked"


async def test_in_an_import_the_locked_row_fails_with_period_locked(
    housing: httpx.AsyncClient,
) -> None:
    await lock(housing, "housing", NEW_SI_MA_CAI)

    def row(on: str) -> list[Any]:
        values = {
            "household_code": household(),
            "head_of_household": "Giàng Seo Páo",
            "commune_code": NEW_SI_MA_CAI,
            "beneficiary_group": "poor",
            "support_type": "new_build",
            "registered_on": on,
        }
        return [values[name] for name in CASE_COLUMNS]

    rows = [list(CASE_COLUMNS), row(AFTER), row(INSIDE), row(AFTER)]
    job = await run(housing, csv_file(rows), ADMIN)
    assert job["status"] == "failed", job
    assert errors_of(job) == [(3, None, "period_locked")]
    assert (await housing.get(f"{H}/cases", headers=ADMIN)).json()["items"] == []
    # Without the locked row, the others are written.
    job = await run(housing, csv_file([rows[0], rows[1], rows[3]]), ADMIN)
    assert job["status"] == "done", job
    assert len((await housing.get(f"{H}/cases", headers=ADMIN)).json()["items"]) == 2


# -- labour ----------------------------------------------------------------------------

L = "/api/v1/labour"


async def test_labour_placements_steps_remittances_spending_and_events_are_locked(
    service_client: Any,
) -> None:
    from tests.labour.helpers import make_placement, make_worker

    async with service_client("labour") as labour:
        worker = await make_worker(labour)
        home = worker["commune_code"]
        early = await make_placement(labour, worker["id"], registered_on="2025-07-05")
        for to, on in (
            ("training", "2025-07-10"),
            ("documents", "2025-07-20"),
            ("departed", BEFORE),
        ):
            url = f"{L}/placements/{early['id']}/transitions"
            created(await labour.post(url, json={"to": to, "on": on}, headers=ADMIN))
        remittances = f"{L}/placements/{early['id']}/remittances"
        september = created(
            await labour.post(
                remittances, json={"month": PERIOD, "amount_vnd": 9_000_000}, headers=ADMIN
            )
        )
        second = await make_worker(labour)
        assert second["commune_code"] == home
        waiting = await make_placement(labour, second["id"], registered_on=INSIDE)
        report = await lock(labour, "labour", home)

        # A placement registered inside the period; a step dated inside it.
        third = await make_worker(labour)
        body = {
            "worker_id": third["id"],
            "destination_country": "TW",
            "scheme": "contract",
            "registered_on": LATER,
        }
        assert_locked(await labour.post(f"{L}/placements", json=body, headers=ADMIN), home)
        steps = f"{L}/placements/{waiting['id']}/transitions"
        assert_locked(await labour.post(steps, json={"to": "training", "on": LATER}, headers=ADMIN))
        # A PATCH of what the overview counts, on a placement registered inside it; not of notes.
        url = f"{L}/placements/{waiting['id']}"
        assert_locked(await patch(labour, url, {"monthly_salary_vnd": 20_000_000}))
        assert (await patch(labour, url, {"notes": "Đã nộp hồ sơ"})).status_code == 200
        # Money: a remittance of a month inside it, and the reversal of one.
        month = {"month": PERIOD, "amount_vnd": 1_000_000}
        assert_locked(await labour.post(remittances, json=month, headers=ADMIN))
        assert_locked(
            await labour.post(remittances, json={"reverses": september["id"]}, headers=ADMIN)
        )
        spent = {"commune_code": home, "purpose": "Hỗ trợ học tiếng", "amount_vnd": 2_000_000}
        spent |= {"source": "central_budget"}
        assert_locked(
            await labour.post(f"{L}/spending", json=spent | {"on": INSIDE}, headers=ADMIN)
        )
        event = {
            "commune_code": home,
            "held_on": INSIDE,
            "topic": "Tư vấn xuất khẩu lao động",
            "participants": 40,
            "registered_interest": 6,
        }
        assert_locked(await labour.post(f"{L}/outreach-events", json=event, headers=ADMIN))
        # After the period: written.
        created(await labour.post(steps, json={"to": "training", "on": AFTER}, headers=ADMIN))
        created(await labour.post(remittances, json=month | {"month": "2025-10"}, headers=ADMIN))
        created(await labour.post(f"{L}/spending", json=spent | {"on": AFTER}, headers=ADMIN))
        created(
            await labour.post(
                f"{L}/outreach-events", json=event | {"held_on": AFTER}, headers=ADMIN
            )
        )
        # Reopened: the period's writes pass again.
        await reopen(labour, "labour", report)
        created(await labour.post(f"{L}/placements", json=body, headers=ADMIN))
        created(await labour.post(f"{L}/spending", json=spent | {"on": INSIDE}, headers=ADMIN))


# -- production ------------------------------------------------------------------------

P = "/api/v1/production"


async def test_production_projects_steps_disbursements_and_products_are_locked(
    service_client: Any,
) -> None:
    from tests.production.helpers import NEW_BAO_HA, NEW_NGHIA_DO, project_body

    async with service_client("production") as production:
        early = created(
            await production.post(
                f"{P}/projects",
                json=project_body(start_on=BEFORE, proposed_on=BEFORE),
                headers=ADMIN,
            )
        )
        inside = created(
            await production.post(
                f"{P}/projects",
                json=project_body(start_on=INSIDE, proposed_on=INSIDE),
                headers=ADMIN,
            )
        )
        approved = created(
            await production.post(
                f"{P}/projects",
                json=project_body(start_on=BEFORE, proposed_on=BEFORE),
                headers=ADMIN,
            )
        )
        decision = {"to": "approved", "on": "2025-08-20"}
        created(
            await production.post(
                f"{P}/projects/{approved['id']}/transitions", json=decision, headers=ADMIN
            )
        )
        report = await lock(production, "production", NEW_NGHIA_DO)
        proposed = project_body(start_on=LATER, proposed_on=LATER)
        assert_locked(await production.post(f"{P}/projects", json=proposed, headers=ADMIN))
        elsewhere = project_body(start_on=LATER, proposed_on=LATER, commune_codes=[NEW_BAO_HA])
        created(await production.post(f"{P}/projects", json=elsewhere, headers=ADMIN))
        steps = f"{P}/projects/{early['id']}/transitions"
        assert_locked(
            await production.post(steps, json={"to": "approved", "on": LATER}, headers=ADMIN)
        )
        url = f"{P}/projects/{inside['id']}"
        assert_locked(await patch(production, url, {"households": 150}))
        assert (await patch(production, url, {"name": "Chuỗi quế Nghĩa Đô"})).status_code == 200
        created(await production.post(steps, json={"to": "approved", "on": AFTER}, headers=ADMIN))
        money = f"{P}/projects/{approved['id']}/disbursements"
        paid = {"amount_vnd": 200_000_000, "source": "central_budget"}
        assert_locked(await production.post(money, json=paid | {"on": LATER}, headers=ADMIN))
        created(await production.post(money, json=paid | {"on": AFTER}, headers=ADMIN))
        await reopen(production, "production", report)
        created(await production.post(f"{P}/projects", json=proposed, headers=ADMIN))


# -- gender ----------------------------------------------------------------------------

G = "/api/v1/gender"


async def test_gender_activities_models_materials_and_spending_are_locked(
    service_client: Any,
) -> None:
    from tests.gender.helpers import NEW_SA_PA, NEW_TA_VAN, activity_body, spending_body

    async with service_client("gender") as gender:
        held = created(
            await gender.post(f"{G}/activities", json=activity_body(held_on=INSIDE), headers=ADMIN)
        )
        report = await lock(gender, "gender", NEW_TA_VAN)
        assert_locked(
            await gender.post(f"{G}/activities", json=activity_body(held_on=LATER), headers=ADMIN),
            NEW_TA_VAN,
        )
        url = f"{G}/activities/{held['id']}"
        assert_locked(await patch(gender, url, {"participants": 90}))
        assert_locked(await patch(gender, url, {"held_on": AFTER}))
        assert (await patch(gender, url, {"languages": ["vi"]})).status_code == 200
        spent = spending_body(commune_code=NEW_TA_VAN, on=LATER)
        assert_locked(await gender.post(f"{G}/spending", json=spent, headers=ADMIN))
        # Another commune, and after the period: written.
        created(
            await gender.post(
                f"{G}/spending", json=spent | {"commune_code": NEW_SA_PA}, headers=ADMIN
            )
        )
        created(await gender.post(f"{G}/spending", json=spent | {"on": AFTER}, headers=ADMIN))
        created(
            await gender.post(f"{G}/activities", json=activity_body(held_on=AFTER), headers=ADMIN)
        )
        await reopen(gender, "gender", report)
        assert (await patch(gender, url, {"participants": 90})).status_code == 200


# -- digital ---------------------------------------------------------------------------

D = "/api/v1/digital"


async def test_digital_assets_their_status_villages_and_spending_are_locked(
    service_client: Any,
) -> None:
    from tests.digital.helpers import ELSEWHERE as FAR
    from tests.digital.helpers import GIA_PHU, asset_body, spending_body, village_body

    async with service_client("digital") as digital:
        early = created(
            await digital.post(f"{D}/assets", json=asset_body(installed_on=BEFORE), headers=ADMIN)
        )
        inside = created(
            await digital.post(f"{D}/assets", json=asset_body(installed_on=INSIDE), headers=ADMIN)
        )
        village = created(
            await digital.post(
                f"{D}/smart-villages", json=village_body(started_on=BEFORE), headers=ADMIN
            )
        )
        report = await lock(digital, "digital", GIA_PHU)
        assert_locked(
            await digital.post(f"{D}/assets", json=asset_body(installed_on=LATER), headers=ADMIN),
            GIA_PHU,
        )
        created(
            await digital.post(
                f"{D}/assets",
                json=asset_body(installed_on=LATER, commune_code=FAR),
                headers=ADMIN,
            )
        )
        # A status that holds from a day inside the period: locked; from a day after it: not.
        url = f"{D}/assets/{early['id']}"
        assert_locked(await patch(digital, url, {"status": "broken", "status_on": LATER}))
        assert (
            await patch(digital, url, {"status": "broken", "status_on": AFTER})
        ).status_code == 200
        # What the overview counts, on an asset installed inside the period.
        assert_locked(await patch(digital, f"{D}/assets/{inside['id']}", {"count": 7}))
        assert (
            await patch(digital, f"{D}/assets/{inside['id']}", {"village": "Thôn Mới"})
        ).status_code == 200
        # A village recognised on a day inside the period.
        steps = f"{D}/smart-villages/{village['id']}/transitions"
        step = {"to": "recognised", "decision_number": "125/QĐ-UBND"}
        assert_locked(await digital.post(steps, json=step | {"on": LATER}, headers=ADMIN))
        created(await digital.post(steps, json=step | {"on": AFTER}, headers=ADMIN))
        spent = spending_body(on=LATER)
        assert_locked(await digital.post(f"{D}/spending", json=spent, headers=ADMIN))
        created(await digital.post(f"{D}/spending", json=spent | {"on": AFTER}, headers=ADMIN))
        await reopen(digital, "digital", report)
        created(await digital.post(f"{D}/spending", json=spent, headers=ADMIN))


async def test_gender_protection_cases_and_their_steps_are_locked(service_client: Any) -> None:
    from mtqg_shared.auth import PROTECTION
    from tests.gender.test_cases import case_body

    holder = support.auth(subject="holder", roles=["admin", PROTECTION])
    async with service_client("gender") as gender:
        reported = created(
            await gender.post(f"{G}/cases", json=case_body(reported_on=BEFORE), headers=holder)
        )
        area = reported["commune_code"]
        await lock(gender, "gender", area)
        assert_locked(
            await gender.post(f"{G}/cases", json=case_body(reported_on=LATER), headers=holder)
        )
        steps = f"{G}/cases/{reported['id']}/transitions"
        verified = {"to": "verified", "on": LATER}
        assert_locked(await gender.post(steps, json=verified, headers=holder))
        created(await gender.post(steps, json=verified | {"on": AFTER}, headers=holder))


# -- capital plans, in every service ----------------------------------------------------

PLAN_PROJECTS = {
    "housing": "90.DA5",
    "labour": "90.DA4",
    "production": "1719.DA3",
    "gender": "1719.DA8",
    "digital": "263.CDS",
}


@pytest.mark.parametrize("service", sorted(PLAN_PROJECTS))
async def test_a_capital_plan_decided_inside_a_locked_period_of_its_area_is_locked(
    service_client: Any, service: str
) -> None:
    """A commune's approved report locks the commune's plans decided inside its period, not
    the province's (which only the province's report counts); the province's report locks
    both. Its snapshot froze the disbursement report with it."""
    url = f"/api/v1/{service}/capital-plans"

    def plan(area: str, on: str, **more: Any) -> dict[str, Any]:
        return {
            "year": 2025,
            "project_code": PLAN_PROJECTS[service],
            "area_code": area,
            "capital_type": "investment",
            "source": "central_budget",
            "amount_vnd": 900_000_000,
            "decision_number": "12/QĐ-UBND",
            "decision_on": on,
        } | more

    async with service_client(service) as client:
        kept = created(await client.post(url, json=plan(NEW_SI_MA_CAI, BEFORE), headers=ADMIN))
        report = await lock(client, service, NEW_SI_MA_CAI)
        frozen = report["snapshot"]["disbursement"]
        assert frozen["as_of"] == "2025-09-30"
        assert frozen["totals"]["planned_vnd"] == 900_000_000
        assert_locked(await client.post(url, json=plan(NEW_SI_MA_CAI, INSIDE), headers=ADMIN))
        undo = {"reverses": kept["id"], "decision_on": INSIDE}
        assert_locked(await client.post(url, json=undo, headers=ADMIN))
        created(await client.post(url, json=plan("15", INSIDE), headers=ADMIN))
        created(await client.post(url, json=plan(NEW_SI_MA_CAI, AFTER), headers=ADMIN))
        created(await client.post(url, json={**undo, "decision_on": AFTER}, headers=ADMIN))
        await lock(client, service, "15", "2025-08")
        province = await client.post(url, json=plan("15", BEFORE), headers=ADMIN)
        assert province.status_code == 409 and "2025-08" in province.json()["detail"]
        assert province.json()["type"] == "/problems/period-locked"
