"""The digital change feed: every kind of digital write reaches it, each record as its own read
answers it (a village's recognition step as the village it changed, as housing's steps reach
the feed as their case), and an asset moved
out of an officer's commune is a `remove` in that officer's feed."""

from __future__ import annotations

import httpx

from tests.digital.helpers import (
    API,
    ELSEWHERE,
    GIA_PHU,
    admin,
    approver,
    create_asset,
    create_seller,
    create_team,
    create_village,
    if_match,
    officer,
    put_profile,
    spend,
)
from tests.feed import follow, latest

SERVICE = "digital"


async def test_every_digital_write_reaches_the_feed_as_its_read_answers(
    client: httpx.AsyncClient,
) -> None:
    _, cursor = await follow(client, SERVICE, admin())
    asset = await create_asset(client)
    team = await create_team(client)
    seller = await create_seller(client)
    entry = await spend(client)
    village = await create_village(client)
    step = await client.post(
        f"{API}/smart-villages/{village['id']}/transitions",
        json={"to": "recognised", "on": "2025-09-20", "decision_number": "1234/QĐ-UBND"},
        headers=approver(GIA_PHU),
    )
    assert step.status_code == 201, step.text
    profile = await put_profile(client)
    assert profile.status_code in (200, 201), profile.text

    items, _ = await follow(client, SERVICE, admin(), cursor)
    changes = latest(items)
    by_resource = {resource for resource, _ in changes}
    assert {
        "assets",
        "teams",
        "sellers",
        "spending",
        "smart-villages",
        "commune-profiles",
    } <= by_resource
    reads = {
        ("assets", asset["id"]): f"{API}/assets/{asset['id']}",
        ("teams", team["id"]): f"{API}/teams/{team['id']}",
        ("sellers", seller["id"]): f"{API}/sellers/{seller['id']}",
        ("spending", entry["id"]): f"{API}/spending/{entry['id']}",
        ("smart-villages", village["id"]): f"{API}/smart-villages/{village['id']}",
    }
    for key, path in reads.items():
        read = await client.get(path, headers=admin())
        assert read.status_code == 200, read.text
        assert changes[key]["action"] == "upsert"
        assert changes[key]["record"] == read.json(), key
    recognised = changes[("smart-villages", village["id"])]["record"]
    assert (recognised["status"], recognised["decision_number"]) == ("recognised", "1234/QĐ-UBND")
    profile_change = next(item for key, item in changes.items() if key[0] == "commune-profiles")
    assert profile_change["record"] == profile.json()


async def test_an_asset_moved_away_is_removed_from_the_officers_feed(
    client: httpx.AsyncClient,
) -> None:
    asset = await create_asset(client, headers=officer(GIA_PHU))
    items, cursor = await follow(client, SERVICE, officer(GIA_PHU))
    assert latest(items)[("assets", asset["id"])]["action"] == "upsert"
    moved = await client.patch(
        f"{API}/assets/{asset['id']}",
        json={"commune_code": ELSEWHERE},
        headers=if_match(asset["version"]),
    )
    assert moved.status_code == 200, moved.text
    items, _ = await follow(client, SERVICE, officer(GIA_PHU), cursor)
    gone = latest(items)[("assets", asset["id"])]
    assert (gone["action"], gone["record"]) == ("remove", None)
    there, _ = await follow(client, SERVICE, officer(ELSEWHERE))
    assert latest(there)[("assets", asset["id"])]["record"] == moved.json()
