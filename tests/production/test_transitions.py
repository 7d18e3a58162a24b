"""The project status path through the API: who may take which step, when, and the record."""

from __future__ import annotations

import httpx
import pytest

from tests import support
from tests.production.helpers import (
    API,
    ELSEWHERE,
    NEW_NGHIA_DO,
    admin,
    approver,
    assert_problem,
    audit_of,
    create_project,
    days_ago,
    fields_of,
    officer,
    step,
    system,
    viewer,
)


async def test_the_whole_path_is_recorded(client: httpx.AsyncClient) -> None:
    project = await create_project(client, proposed_on=days_ago(100))
    pid = project["id"]
    approved = await step(client, pid, "approved", days_ago(90), headers=approver())
    assert approved.status_code == 201, approved.text
    body = approved.json()
    assert (body["from"], body["to"], body["on"]) == ("proposed", "approved", days_ago(90))
    assert body["actor"] == "person:approver"
    assert body["project_id"] == pid
    for to, on in (
        ("in_progress", days_ago(80)),
        ("suspended", days_ago(70)),
        ("in_progress", days_ago(60)),
        ("completed", None),
    ):
        answer = await step(client, pid, to, on, headers=officer())
        assert answer.status_code == 201, answer.text
    project = (await client.get(f"{API}/projects/{pid}", headers=admin())).json()
    assert project["status"] == "completed"
    assert project["approved_on"] == days_ago(90)
    assert project["completed_on"] == days_ago(0)
    assert project["version"] == 6
    steps = (await client.get(f"{API}/projects/{pid}/transitions", headers=viewer())).json()
    assert [(s["from"], s["to"]) for s in reversed(steps["items"])] == [
        (None, "proposed"),
        ("proposed", "approved"),
        ("approved", "in_progress"),
        ("in_progress", "suspended"),
        ("suspended", "in_progress"),
        ("in_progress", "completed"),
    ]
    assert steps["items"][2]["note"] == "decided at the district meeting"
    trail = await audit_of(client, "project", pid)
    assert trail[0]["action"] == "transition"
    assert trail[0]["changes"]["status"] == ["in_progress", "completed"]
    assert trail[-1]["action"] == "create"


async def test_suspended_returns_to_where_it_left(client: httpx.AsyncClient) -> None:
    project = await create_project(client, proposed_on=days_ago(10))
    pid = project["id"]
    assert (await step(client, pid, "approved", days_ago(9))).status_code == 201
    assert (await step(client, pid, "suspended", days_ago(8))).status_code == 201
    read = (await client.get(f"{API}/projects/{pid}", headers=admin())).json()
    assert (read["status"], read["suspended_from"]) == ("suspended", "approved")
    assert_problem(await step(client, pid, "in_progress"), 409, "invalid-state")
    assert_problem(await step(client, pid, "completed"), 409, "invalid-state")
    assert (await step(client, pid, "approved")).status_code == 201
    read = (await client.get(f"{API}/projects/{pid}", headers=admin())).json()
    assert (read["status"], read["suspended_from"]) == ("approved", None)


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ((), "in_progress"),
        ((), "completed"),
        ((), "suspended"),
        (("rejected",), "approved"),
        (("approved",), "rejected"),
        (("approved",), "completed"),
        (("approved", "in_progress", "completed"), "suspended"),
        (("approved",), "approved"),
    ],
)
async def test_moves_off_the_path_are_409(
    client: httpx.AsyncClient, path: tuple[str, ...], to: str
) -> None:
    project = await create_project(client, proposed_on=days_ago(10))
    for status in path:
        assert (await step(client, project["id"], status)).status_code == 201
    assert_problem(await step(client, project["id"], to), 409, "invalid-state")


async def test_approval_steps_need_an_approver_person(client: httpx.AsyncClient) -> None:
    project = await create_project(client)
    pid = project["id"]
    for headers in (officer(), system("production:write")):
        assert_problem(await step(client, pid, "approved", headers=headers), 403, "forbidden")
        assert_problem(await step(client, pid, "rejected", headers=headers), 403, "forbidden")
    assert_problem(await step(client, pid, "approved", headers=viewer()), 403, "forbidden")
    assert_problem(
        await step(client, pid, "approved", headers=system("production:read")), 403, "forbidden"
    )
    anonymous = await client.post(f"{API}/projects/{pid}/transitions", json={"to": "approved"})
    assert_problem(anonymous, 401, "unauthorized")
    assert (await step(client, pid, "rejected", headers=approver())).status_code == 201


async def test_step_dates_and_notes(client: httpx.AsyncClient) -> None:
    project = await create_project(client, proposed_on=days_ago(20))
    pid = project["id"]
    for on in (days_ago(-1), days_ago(21)):
        answer = await step(client, pid, "approved", on)
        assert fields_of(assert_problem(answer, 422, "validation")) == ["body.on"]
    assert (await step(client, pid, "approved", days_ago(10))).status_code == 201
    early = await step(client, pid, "in_progress", days_ago(11))
    assert fields_of(assert_problem(early, 422, "validation")) == ["body.on"]
    answer = await client.post(
        f"{API}/projects/{pid}/transitions", json={"to": "suspended"}, headers=admin()
    )
    assert fields_of(assert_problem(answer, 422, "validation")) == ["body.note"]
    answer = await client.post(
        f"{API}/projects/{pid}/transitions",
        json={"to": "in_progress", "on": "2025-13-01"},
        headers=admin(),
    )
    assert_problem(answer, 422, "validation")
    answer = await client.post(
        f"{API}/projects/{pid}/transitions", json={"to": "finished"}, headers=admin()
    )
    assert fields_of(assert_problem(answer, 422, "validation")) == ["body.to"]


async def test_steps_outside_ones_areas(client: httpx.AsyncClient) -> None:
    project = await create_project(client)
    pid = project["id"]
    far = support.auth(subject="far", roles=["approver"], areas=[ELSEWHERE])
    assert_problem(await step(client, pid, "approved", headers=far), 404, "not-found")
    assert_problem(
        await client.get(f"{API}/projects/{pid}/transitions", headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )
    near = support.auth(subject="near", roles=["approver"], areas=[NEW_NGHIA_DO])
    assert (await step(client, pid, "approved", headers=near)).status_code == 201


async def test_a_replayed_step_is_not_taken_twice(client: httpx.AsyncClient) -> None:
    project = await create_project(client, proposed_on=days_ago(3))
    headers = admin() | {"Idempotency-Key": "approve-1"}
    path = f"{API}/projects/{project['id']}/transitions"
    first = await client.post(path, json={"to": "approved"}, headers=headers)
    again = await client.post(path, json={"to": "approved"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    steps = (await client.get(path, headers=admin())).json()["items"]
    assert len(steps) == 2
