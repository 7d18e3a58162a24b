"""Participating households through the API."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.production.helpers import (
    API,
    ELSEWHERE,
    NEW_BAO_HA,
    NEW_NGHIA_DO,
    admin,
    assert_problem,
    audit_of,
    create_project,
    days_ago,
    fields_of,
    officer,
    step,
    viewer,
)


def path(project_id: str) -> str:
    return f"{API}/projects/{project_id}/participants"


async def test_households_join_once(client: httpx.AsyncClient) -> None:
    project = await create_project(client)
    pid = project["id"]
    joined = await client.post(
        path(pid),
        json={"household_code": "BY-0001", "household_poverty": "near_poor"},
        headers=officer(NEW_NGHIA_DO),
    )
    assert joined.status_code == 201, joined.text
    body = joined.json()
    assert (body["household_code"], body["household_poverty"], body["project_id"]) == (
        "BY-0001",
        "near_poor",
        pid,
    )
    twice = await client.post(
        path(pid), json={"household_code": "BY-0001", "household_poverty": "poor"}, headers=admin()
    )
    problem = assert_problem(twice, 409, "duplicate")
    assert problem["detail"] == "This household already takes part in this project."
    other = await client.post(
        path(pid), json={"household_code": "BY-0002", "household_poverty": "none"}, headers=admin()
    )
    assert other.status_code == 201
    listed = (await client.get(path(pid), headers=viewer(NEW_NGHIA_DO))).json()
    assert [p["household_code"] for p in listed["items"]] == ["BY-0002", "BY-0001"]
    trail = await audit_of(client, "participant", body["id"])
    assert trail[0]["changes"]["household_code"] == [None, "BY-0001"]
    # The same household may take part in another project.
    second = await create_project(client)
    again = await client.post(
        path(second["id"]),
        json={"household_code": "BY-0001", "household_poverty": "near_poor"},
        headers=admin(),
    )
    assert again.status_code == 201


async def test_closed_projects_take_no_households(client: httpx.AsyncClient) -> None:
    project = await create_project(client, proposed_on=days_ago(5))
    assert (await step(client, project["id"], "rejected")).status_code == 201
    answer = await client.post(
        path(project["id"]),
        json={"household_code": "BY-1", "household_poverty": "poor"},
        headers=admin(),
    )
    assert_problem(answer, 409, "invalid-state")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"household_code": "", "household_poverty": "poor"}, "body.household_code"),
        ({"household_code": "x" * 33, "household_poverty": "poor"}, "body.household_code"),
        ({"household_code": "HH\x001", "household_poverty": "poor"}, "body.household_code"),
        ({"household_code": "HH-1", "household_poverty": "rich"}, "body.household_poverty"),
        ({"household_code": "HH-1"}, "body.household_poverty"),
        ({"household_code": "HH-1", "household_poverty": "poor", "name": "x"}, "body.name"),
    ],
)
async def test_broken_rules_are_422(
    client: httpx.AsyncClient, body: dict[str, str], field: str
) -> None:
    project = await create_project(client)
    answer = await client.post(path(project["id"]), json=body, headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_who_may_add_households(client: httpx.AsyncClient) -> None:
    project = await create_project(client, commune_codes=[NEW_NGHIA_DO, NEW_BAO_HA])
    body = {"household_code": "BY-9", "household_poverty": "escaped"}
    pid = project["id"]
    assert_problem(await client.post(path(pid), json=body), 401, "unauthorized")
    assert_problem(await client.post(path(pid), json=body, headers=viewer()), 403, "forbidden")
    assert_problem(
        await client.post(path(pid), json=body, headers=officer(NEW_BAO_HA)), 403, "forbidden"
    )
    assert_problem(
        await client.post(path(pid), json=body, headers=officer(ELSEWHERE)), 404, "not-found"
    )
    assert_problem(await client.get(path(pid), headers=viewer(ELSEWHERE)), 404, "not-found")
    participant_id = str(uuid.uuid4())
    headers = admin() | {"Idempotency-Key": "join-1"}
    first = await client.post(path(pid), json=body | {"id": participant_id}, headers=headers)
    again = await client.post(path(pid), json=body | {"id": participant_id}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert first.json()["id"] == participant_id
    dup = await client.post(
        path(pid),
        json={"id": participant_id, "household_code": "BY-10", "household_poverty": "poor"},
        headers=admin(),
    )
    assert_problem(dup, 409, "duplicate")
