"""The gender change feed and protection cases: a case's change reaches only `protection`
holders within its areas, each such read is in the access log as the feed's, and nobody else
learns of the change (no upsert, no remove, not its id)."""

from __future__ import annotations

import httpx

from tests.feed import follow, latest
from tests.gender.helpers import API, ELSEWHERE, admin, create_activity, system, viewer
from tests.gender.test_cases import holder, make

SERVICE = "gender"


async def test_a_protection_case_reaches_only_its_holders_feed_and_is_logged(
    client: httpx.AsyncClient,
) -> None:
    others = {
        "admin": admin(),
        "viewer": viewer(),
        "client": system("gender:read"),
        "holder elsewhere": holder(ELSEWHERE, subject="far"),
    }
    cursors = {name: (await follow(client, SERVICE, who))[1] for name, who in others.items()}
    _, mine = await follow(client, SERVICE, holder())
    case = await make(client)
    activity = await create_activity(client)
    items, _ = await follow(client, SERVICE, holder(), mine)
    changes = latest(items)
    assert changes.keys() == {("cases", case["id"]), ("activities", activity["id"])}
    read = await client.get(f"{API}/cases/{case['id']}", headers=holder())
    assert changes[("cases", case["id"])]["record"] == read.json()

    log = (await client.get(f"{API}/access-log", headers=admin())).json()["items"]
    feed_reads = [entry for entry in log if entry["action"] == "changes"]
    assert [entry["case_ids"] for entry in feed_reads] == [[case["id"]]]
    assert feed_reads[0]["reader"] == "person:holder"

    for name, who in others.items():
        items, _ = await follow(client, SERVICE, who, cursors[name])
        assert case["id"] not in {item["id"] for item in items}, name
        assert "cases" not in {item["resource"] for item in items}, name
    assert [i["id"] for i in (await follow(client, SERVICE, admin(), cursors["admin"]))[0]] == [
        activity["id"]
    ]
