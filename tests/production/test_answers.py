"""What every production write answers since the resources are declared: each 201 names the
new record (Location) and its version (ETag); a stale If-Match is 412 with the current ETag,
a missing one 428; a project's steps are numbered in order."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select

from mtqg_shared.db import Database
from production.models import ProjectTransition
from tests.production.helpers import (
    API,
    admin,
    approved_project,
    assert_problem,
    days_ago,
    facility_body,
    ocop_body,
    project_body,
    step,
    zone_body,
)


async def test_every_create_names_its_record(client: httpx.AsyncClient) -> None:
    for path, body in (
        ("zones", zone_body()),
        ("projects", project_body()),
        ("facilities", facility_body()),
        ("ocop-products", ocop_body()),
    ):
        made = await client.post(f"{API}/{path}", json=body, headers=admin())
        assert made.status_code == 201, made.text
        assert made.headers["location"] == f"{API}/{path}/{made.json()['id']}"
        assert made.headers["etag"] == '"1"'
        # The Location is where the record is read, with the same version.
        read = await client.get(made.headers["location"], headers=admin())
        assert (read.status_code, read.headers["etag"]) == (200, '"1"')
        assert read.json() == made.json()


async def test_every_entry_under_a_project_names_its_place(client: httpx.AsyncClient) -> None:
    project = await approved_project(client)
    under = f"{API}/projects/{project['id']}"
    for kind, body in (
        ("transitions", {"to": "in_progress", "on": days_ago(1)}),
        ("disbursements", {"amount_vnd": 1_000, "source": "local_budget", "on": days_ago(1)}),
        ("participants", {"household_code": "BY-0009", "household_poverty": "poor"}),
    ):
        made = await client.post(f"{under}/{kind}", json=body, headers=admin())
        assert made.status_code == 201, made.text
        assert made.headers["location"] == f"{under}/{kind}/{made.json()['id']}"
        assert made.headers["etag"] == '"1"'


async def test_a_stale_change_is_told_the_current_version(client: httpx.AsyncClient) -> None:
    for path, body, change in (
        ("zones", zone_body(), {"name": "Vùng chè"}),
        ("projects", project_body(), {"name": "Liên kết chè"}),
        ("facilities", facility_body(), {"jobs": 30}),
        ("ocop-products", ocop_body(), {"producer": "HTX Chè"}),
    ):
        made = await client.post(f"{API}/{path}", json=body, headers=admin())
        record = made.headers["location"]
        first = await client.patch(record, json=change, headers=admin() | {"If-Match": '"1"'})
        assert (first.status_code, first.headers["etag"]) == (200, '"2"'), first.text
        stale = await client.patch(record, json=change, headers=admin() | {"If-Match": '"1"'})
        assert_problem(stale, 412, "precondition-failed")
        assert stale.headers["etag"] == '"2"'
        assert_problem(
            await client.patch(record, json=change, headers=admin()), 428, "precondition-required"
        )
        assert (await client.get(record, headers=admin())).json()["version"] == 2


async def test_a_projects_steps_are_numbered_in_order(
    client: httpx.AsyncClient, databases: dict[str, Database]
) -> None:
    project = await approved_project(client, on=days_ago(20))
    pid = project["id"]
    assert (await step(client, pid, "in_progress", days_ago(10))).status_code == 201
    assert (await step(client, pid, "completed", days_ago(1))).status_code == 201
    async with databases["production"].session(write=False) as session:
        rows = await session.execute(
            select(ProjectTransition.seq, ProjectTransition.to_status)
            .where(ProjectTransition.project_id == uuid.UUID(pid))
            .order_by(ProjectTransition.seq)
        )
        numbered = [tuple(row) for row in rows]
    assert numbered == [(1, "proposed"), (2, "approved"), (3, "in_progress"), (4, "completed")]
