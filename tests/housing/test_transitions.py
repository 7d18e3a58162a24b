"""POST/GET /cases/{id}/transitions: the status path, who may approve, and step dates."""

from __future__ import annotations

import uuid

import httpx

from mtqg_shared.types import today_vn
from tests.housing.helpers import (
    API,
    ELSEWHERE,
    NEW_SI_MA_CAI,
    admin,
    approver,
    assert_problem,
    client_token,
    create_case,
    days_ago,
    fields_of,
    move,
    officer,
    viewer,
)


def steps_url(case_id: str) -> str:
    return f"{API}/cases/{case_id}/transitions"


async def test_the_whole_path_is_recorded_step_by_step(client: httpx.AsyncClient) -> None:
    case = await create_case(client, registered_on="2024-03-01", commune_code="02800")
    worker = officer(subject="lan")
    await move(client, case["id"], ("surveyed", "2024-03-04"), headers=worker)
    approval = await client.post(
        steps_url(case["id"]),
        json={"to": "approved", "on": "2024-03-20", "note": "meets the criteria"},
        headers=approver(subject="hoa"),
    )
    assert approval.status_code == 201, approval.text
    step = approval.json()
    assert (step["from"], step["to"], step["on"], step["note"], step["actor"]) == (
        "surveyed",
        "approved",
        "2024-03-20",
        "meets the criteria",
        "person:hoa",
    )
    assert step["seq"] == 3 and step["version"] == 1
    await move(
        client,
        case["id"],
        ("in_progress", "2024-04-01"),
        ("completed", "2024-09-15"),
        ("handed_over", "2024-09-20"),
        headers=approver(),
    )
    read = (await client.get(f"{API}/cases/{case['id']}", headers=admin())).json()
    assert (read["status"], read["completed_on"], read["handed_over_on"]) == (
        "handed_over",
        "2024-09-15",
        "2024-09-20",
    )
    assert read["version"] == 6  # created, then five steps
    listed = await client.get(steps_url(case["id"]), headers=viewer(NEW_SI_MA_CAI))
    steps = listed.json()["items"]
    assert [(s["from"], s["to"], s["on"]) for s in reversed(steps)] == [
        (None, "registered", "2024-03-01"),
        ("registered", "surveyed", "2024-03-04"),
        ("surveyed", "approved", "2024-03-20"),
        ("approved", "in_progress", "2024-04-01"),
        ("in_progress", "completed", "2024-09-15"),
        ("completed", "handed_over", "2024-09-20"),
    ]
    assert steps[-2]["actor"] == "person:lan"
    page = (await client.get(steps_url(case["id"]), params={"limit": 4}, headers=admin())).json()
    assert len(page["items"]) == 4 and page["next_cursor"] is not None


async def test_on_defaults_to_today(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    answer = await client.post(steps_url(case["id"]), json={"to": "surveyed"}, headers=admin())
    assert answer.json()["on"] == today_vn().isoformat()


async def test_only_people_with_the_approver_role_approve(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    await move(client, case["id"], "surveyed")
    url = steps_url(case["id"])
    assert_problem(
        await client.post(url, json={"to": "approved"}, headers=officer()), 403, "forbidden"
    )
    system = client_token("housing:read", "housing:write")
    assert_problem(
        await client.post(url, json={"to": "approved"}, headers=system), 403, "forbidden"
    )
    # A client may take the other steps.
    other = await create_case(client)
    answer = await client.post(steps_url(other["id"]), json={"to": "surveyed"}, headers=system)
    assert answer.status_code == 201
    assert (await client.post(url, json={"to": "approved"}, headers=approver())).status_code == 201


async def test_moves_off_the_path_are_409(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    url = steps_url(case["id"])
    for to in ("approved", "completed", "handed_over", "registered", "in_progress"):
        answer = await client.post(url, json={"to": to}, headers=admin())
        assert_problem(answer, 409, "invalid-state")
    await move(client, case["id"], "surveyed", "approved", "in_progress", "completed")
    answer = await client.post(url, json={"to": "cancelled", "note": "late"}, headers=admin())
    assert_problem(answer, 409, "invalid-state")
    await move(client, case["id"], "handed_over")
    for to in ("registered", "cancelled", "completed"):
        answer = await client.post(url, json={"to": to, "note": "n"}, headers=admin())
        assert_problem(answer, 409, "invalid-state")


async def test_cancelling_needs_a_note(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    await move(client, case["id"], "surveyed", "approved", "in_progress")
    url = steps_url(case["id"])
    for missing in ({"to": "cancelled"}, {"to": "cancelled", "note": "   "}):
        answer = await client.post(url, json=missing, headers=admin())
        assert fields_of(assert_problem(answer, 422, "validation")) == ["body.note"]
    done = await client.post(url, json={"to": "cancelled", "note": "moved away"}, headers=admin())
    assert done.status_code == 201
    assert done.json()["note"] == "moved away"


async def test_step_dates(client: httpx.AsyncClient) -> None:
    case = await create_case(client, registered_on=days_ago(20))
    url = steps_url(case["id"])
    for on in (days_ago(-1), days_ago(21)):
        answer = await client.post(url, json={"to": "surveyed", "on": on}, headers=admin())
        assert fields_of(assert_problem(answer, 422, "validation")) == ["body.on"]
    await move(client, case["id"], ("surveyed", days_ago(10)))
    answer = await client.post(url, json={"to": "approved", "on": days_ago(11)}, headers=admin())
    assert fields_of(assert_problem(answer, 422, "validation")) == ["body.on"]
    for bad in ({"to": "approved", "on": "10/03/2025"}, {"to": "done"}, {"to": "approved", "x": 1}):
        assert_problem(await client.post(url, json=bad, headers=admin()), 422, "validation")
    same_day = await client.post(url, json={"to": "approved", "on": days_ago(10)}, headers=admin())
    assert same_day.status_code == 201


async def test_steps_of_cases_outside_the_area_are_404(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    url = steps_url(case["id"])
    outside = officer(ELSEWHERE)
    assert_problem(
        await client.post(url, json={"to": "surveyed"}, headers=outside), 404, "not-found"
    )
    assert_problem(await client.get(url, headers=outside), 404, "not-found")
    missing = steps_url(str(uuid.uuid4()))
    assert_problem(await client.get(missing, headers=admin()), 404, "not-found")
    assert_problem(
        await client.post(missing, json={"to": "surveyed"}, headers=admin()), 404, "not-found"
    )
    assert_problem(
        await client.post(url, json={"to": "surveyed"}, headers=viewer()), 403, "forbidden"
    )
    assert_problem(await client.post(url, json={"to": "surveyed"}), 401, "unauthorized")


async def test_a_client_made_step_id_is_kept_once(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    chosen = str(uuid.uuid4())
    first = await client.post(
        steps_url(case["id"]), json={"id": chosen, "to": "surveyed"}, headers=admin()
    )
    assert first.status_code == 201 and first.json()["id"] == chosen
    again = await client.post(
        steps_url(case["id"]), json={"id": chosen, "to": "approved"}, headers=admin()
    )
    assert_problem(again, 409, "duplicate")


async def test_a_replayed_step_is_taken_once(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    headers = admin() | {"Idempotency-Key": "step-1"}
    first = await client.post(steps_url(case["id"]), json={"to": "surveyed"}, headers=headers)
    again = await client.post(steps_url(case["id"]), json={"to": "surveyed"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    steps = (await client.get(steps_url(case["id"]), headers=admin())).json()["items"]
    assert len(steps) == 2
