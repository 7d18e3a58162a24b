"""/plans and their progress against the cases of their area."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.housing.helpers import (
    API,
    ELSEWHERE,
    NEW_SI_MA_CAI,
    NEW_SIN_CHENG,
    admin,
    assert_problem,
    create_case,
    days_ago,
    fields_of,
    move,
    officer,
    viewer,
)

PLANS = f"{API}/plans"


def plan_body(**fields: Any) -> dict[str, Any]:
    return {
        "area_code": "084",
        "title": "Remove every temporary house in Si Ma Cai",
        "target_new_build": 3,
        "target_repair": 2,
        "deadline": "2024-12-31",
        "milestones": [
            {"due_on": "2024-09-30", "completed_target": 3},
            {"due_on": "2024-06-30", "completed_target": 1},
            {"due_on": "2024-12-31", "completed_target": 5},
        ],
    } | fields


async def completed_case(client: httpx.AsyncClient, commune: str, on: str, **fields: Any) -> str:
    case = await create_case(client, commune_code=commune, registered_on="2024-03-01", **fields)
    await move(
        client,
        case["id"],
        ("surveyed", "2024-03-02"),
        ("approved", "2024-03-03"),
        ("in_progress", "2024-03-04"),
        ("completed", on),
    )
    return str(case["id"])


async def test_progress_counts_completed_cases_by_milestone(client: httpx.AsyncClient) -> None:
    answer = await client.post(PLANS, json=plan_body(), headers=admin())
    assert answer.status_code == 201, answer.text
    plan = answer.json()
    assert plan["area"] == {"code": "084", "name": "Huyện Si Ma Cai"}
    assert plan["geography"] == "2025-01"
    assert [m["due_on"] for m in plan["milestones"]] == ["2024-06-30", "2024-09-30", "2024-12-31"]
    # In the district (given in the old geography): two by June, one more in August, one in
    # November; a case still in progress and a cancelled one; one case outside the district.
    await completed_case(client, "02800", "2024-05-10")
    await completed_case(client, "02803", "2024-06-30")
    handed = await completed_case(client, "02818", "2024-08-01")
    await move(client, handed, ("handed_over", "2024-08-05"))
    await completed_case(client, "02836", "2024-11-20")
    open_case = await create_case(client, commune_code="02812", registered_on="2024-03-01")
    gone = await create_case(client, commune_code="02812", registered_on="2024-03-01")
    await move(client, gone["id"], "cancelled")
    await completed_case(client, "02791", "2024-05-01")  # La Pan Tẩn, Mường Khương
    assert open_case["status"] == "registered"

    progress = await client.get(f"{PLANS}/{plan['id']}/progress", headers=viewer())
    assert progress.status_code == 200, progress.text
    body = progress.json()
    assert (body["target"], body["completed"]) == (5, 4)
    assert body["completion_rate"] == 4 / 5
    assert [
        (m["due_on"], m["completed_target"], m["completed_actual"], m["met"])
        for m in body["milestones"]
    ] == [
        ("2024-06-30", 1, 2, True),
        ("2024-09-30", 3, 3, True),
        ("2024-12-31", 5, 4, False),
    ]
    assert body["on_track"] is False


async def test_milestones_not_yet_due_are_not_judged(client: httpx.AsyncClient) -> None:
    plan = (
        await client.post(
            PLANS,
            json=plan_body(
                area_code=NEW_SI_MA_CAI,
                deadline=days_ago(-60),
                milestones=[
                    {"due_on": days_ago(1), "completed_target": 1},
                    {"due_on": days_ago(0), "completed_target": 2},
                    {"due_on": days_ago(-30), "completed_target": 5},
                ],
            ),
            headers=admin(),
        )
    ).json()
    assert plan["geography"] == "2025-07"
    case = await create_case(client, registered_on=days_ago(5))
    await move(
        client,
        case["id"],
        ("surveyed", days_ago(4)),
        ("approved", days_ago(3)),
        ("in_progress", days_ago(3)),
        ("completed", days_ago(2)),
    )
    body = (await client.get(f"{PLANS}/{plan['id']}/progress", headers=admin())).json()
    assert [m["met"] for m in body["milestones"]] == [True, None, None]
    assert body["on_track"] is True


async def test_plans_are_scoped_to_their_area(client: httpx.AsyncClient) -> None:
    plan = (await client.post(PLANS, json=plan_body(), headers=admin())).json()
    url = f"{PLANS}/{plan['id']}"
    # 084 covers three current communes: one of them may read it but not change it.
    local = officer(NEW_SIN_CHENG)
    assert (await client.get(url, headers=local)).status_code == 200
    assert (await client.get(f"{url}/progress", headers=local)).status_code == 200
    answer = await client.patch(url, json={"title": "x"}, headers=local | {"If-Match": '"1"'})
    assert_problem(answer, 403, "forbidden")
    outside = officer(ELSEWHERE)
    for call in (
        client.get(url, headers=outside),
        client.get(f"{url}/progress", headers=outside),
        client.patch(url, json={"title": "x"}, headers=outside | {"If-Match": '"1"'}),
    ):
        assert_problem(await call, 404, "not-found")
    assert_problem(await client.get(f"{PLANS}/{uuid.uuid4()}", headers=admin()), 404, "not-found")
    # Making a plan for an area not wholly one's own is 422.
    answer = await client.post(PLANS, json=plan_body(), headers=local)
    assert fields_of(assert_problem(answer, 422, "validation")) == ["body.area_code"]
    mine = await client.post(PLANS, json=plan_body(area_code=NEW_SIN_CHENG), headers=local)
    assert mine.status_code == 201
    listed = await client.get(PLANS, headers=local)
    assert {p["id"] for p in listed.json()["items"]} == {plan["id"], mine.json()["id"]}
    assert [p["id"] for p in (await client.get(PLANS, headers=outside)).json()["items"]] == []
    by_area = await client.get(PLANS, params={"area_code": NEW_SIN_CHENG}, headers=admin())
    assert {p["id"] for p in by_area.json()["items"]} == {plan["id"], mine.json()["id"]}
    elsewhere = await client.get(PLANS, params={"area_code": ELSEWHERE}, headers=admin())
    assert elsewhere.json()["items"] == []
    assert_problem(
        await client.get(PLANS, params={"area_code": "084"}, headers=outside), 404, "not-found"
    )


async def test_bad_plans_are_422(client: httpx.AsyncClient) -> None:
    for change, field in (
        (
            {"milestones": [{"due_on": "2025-01-01", "completed_target": 1}]},
            "body.milestones.0.due_on",
        ),
        (
            {"milestones": [{"due_on": "2024-01-01", "completed_target": 6}]},
            "body.milestones.0.completed_target",
        ),
        ({"target_repair": -1}, "body.target_repair"),
        ({"target_repair": 2_000_000}, "body.target_repair"),
        ({"target_repair": 1.5}, "body.target_repair"),
        ({"area_code": "99999"}, "body.area_code"),
        ({"area_code": "084", "geography": "2025-07"}, "body.area_code"),
        ({"title": ""}, "body.title"),
        ({"owner": "me"}, "body.owner"),
    ):
        answer = await client.post(PLANS, json=plan_body(**change), headers=admin())
        assert field in fields_of(assert_problem(answer, 422, "validation")), change


async def test_edit_a_plan(client: httpx.AsyncClient) -> None:
    chosen = str(uuid.uuid4())
    plan = (await client.post(PLANS, json=plan_body(id=chosen), headers=admin())).json()
    assert plan["id"] == chosen
    assert_problem(
        await client.post(PLANS, json=plan_body(id=chosen), headers=admin()), 409, "duplicate"
    )
    url = f"{PLANS}/{chosen}"
    change = {
        "target_new_build": 10,
        "milestones": [{"due_on": "2024-10-01", "completed_target": 12}],
    }
    assert_problem(
        await client.patch(url, json=change, headers=admin()), 428, "precondition-required"
    )
    assert_problem(
        await client.patch(url, json=change, headers=admin() | {"If-Match": '"2"'}),
        412,
        "precondition-failed",
    )
    answer = await client.patch(url, json=change, headers=admin() | {"If-Match": '"1"'})
    assert answer.status_code == 200, answer.text
    edited = answer.json()
    assert edited["version"] == 2 and answer.headers["etag"] == '"2"'
    assert edited["milestones"] == [{"due_on": "2024-10-01", "completed_target": 12}]
    read = await client.get(url, headers=admin())
    assert read.json() == edited and read.headers["etag"] == '"2"'
    # Lowering the target below a milestone is a broken rule.
    answer = await client.patch(
        url, json={"target_new_build": 1}, headers=admin() | {"If-Match": '"2"'}
    )
    assert fields_of(assert_problem(answer, 422, "validation")) == [
        "body.milestones.0.completed_target"
    ]
    answer = await client.patch(url, json={"title": None}, headers=admin() | {"If-Match": '"2"'})
    assert fields_of(assert_problem(answer, 422, "validation")) == ["body.title"]
    audit = await client.get(
        f"{API}/audit", params={"entity_type": "plan", "entity_id": chosen}, headers=admin()
    )
    rows = audit.json()["items"]
    assert [r["action"] for r in rows] == ["update", "create"]
    assert rows[0]["changes"]["target_new_build"] == [3, 10]
    assert_problem(await client.post(PLANS, json=plan_body(), headers=viewer()), 403, "forbidden")
    assert_problem(await client.post(PLANS, json=plan_body()), 401, "unauthorized")


async def test_a_replayed_plan_is_made_once(client: httpx.AsyncClient) -> None:
    headers = admin() | {"Idempotency-Key": "plan-1"}
    first = await client.post(PLANS, json=plan_body(), headers=headers)
    again = await client.post(PLANS, json=plan_body(), headers=headers)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert len((await client.get(PLANS, headers=admin())).json()["items"]) == 1
