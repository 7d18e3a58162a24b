"""The production change feed: a disbursement and a participant change their project, and each
is read at its own path (its Location), outside its project's areas 404."""

from __future__ import annotations

import httpx

from tests.feed import follow, latest
from tests.production.helpers import (
    API,
    ELSEWHERE,
    admin,
    approved_project,
    assert_problem,
    created,
    days_ago,
    disburse,
    officer,
)

SERVICE = "production"


async def test_entries_and_their_project_reach_the_feed_as_their_reads_answer(
    client: httpx.AsyncClient,
) -> None:
    project = await approved_project(client)
    _, cursor = await follow(client, SERVICE, admin())
    answer = await disburse(client, project["id"], 100_000_000, days_ago(1))
    assert answer.status_code == 201, answer.text
    entry = answer.json()
    participant = await created(
        client,
        f"projects/{project['id']}/participants",
        {"household_code": "ND-0001", "household_poverty": "poor"},
        None,
    )
    items, _ = await follow(client, SERVICE, admin(), cursor)
    changes = latest(items)
    assert set(changes) == {
        ("projects", project["id"]),
        ("disbursements", entry["id"]),
        ("participants", participant["id"]),
    }
    for (_, id_), item in changes.items():
        location = {
            entry["id"]: f"{API}/projects/{project['id']}/disbursements/{id_}",
            participant["id"]: f"{API}/projects/{project['id']}/participants/{id_}",
            project["id"]: f"{API}/projects/{id_}",
        }[id_]
        read = await client.get(location, headers=admin())
        assert read.status_code == 200, read.text
        assert read.headers["ETag"] == f'"{read.json()["version"]}"'
        assert item["record"] == read.json()
    assert changes[("projects", project["id"])]["record"]["disbursed_vnd"] == 100_000_000
    assert changes[("disbursements", entry["id"])]["record"] == entry


async def test_an_entry_is_read_only_under_its_own_project_and_areas(
    client: httpx.AsyncClient,
) -> None:
    project = await approved_project(client)
    other = await approved_project(client)
    answer = await disburse(client, project["id"], 100_000_000, days_ago(1))
    entry = answer.json()
    for path in (
        f"{API}/projects/{other['id']}/disbursements/{entry['id']}",
        f"{API}/projects/{project['id']}/participants/{entry['id']}",
    ):
        assert_problem(await client.get(path, headers=admin()), 404, "not-found")
    mine = f"{API}/projects/{project['id']}/disbursements/{entry['id']}"
    assert_problem(await client.get(mine, headers=officer(ELSEWHERE)), 404, "not-found")
    assert_problem(await client.get(mine), 401, "unauthorized")
