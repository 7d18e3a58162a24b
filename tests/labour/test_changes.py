"""The labour change feed: a worker who moves away is removed from the feed of the officer
who had them, masking as the worker's GET masks, a remittance changes its placement."""

from __future__ import annotations

import httpx

from tests.feed import follow, latest
from tests.labour.helpers import (
    ADMIN,
    AWAY_OFFICER,
    ELSEWHERE,
    HOME,
    HOME_OFFICER,
    HOME_VIEWER,
    P,
    departed_placement,
    make_worker,
    remit,
)

SERVICE = "labour"


async def test_a_worker_who_moves_away_is_removed_from_the_feed_that_had_them(
    client: httpx.AsyncClient,
) -> None:
    worker = await make_worker(client, commune_code=HOME, geography=None)
    items, mine = await follow(client, SERVICE, HOME_OFFICER)
    assert latest(items)[("workers", worker["id"])]["action"] == "upsert"
    _, theirs = await follow(client, SERVICE, AWAY_OFFICER)
    answer = await client.patch(
        f"{P}/workers/{worker['id']}",
        json={"commune_code": ELSEWHERE, "geography": "2025-07"},
        headers=ADMIN | {"If-Match": '"1"'},
    )
    assert answer.status_code == 200, answer.text
    items, _ = await follow(client, SERVICE, HOME_OFFICER, mine)
    assert [(i["id"], i["action"], i["record"]) for i in items] == [(worker["id"], "remove", None)]
    items, _ = await follow(client, SERVICE, AWAY_OFFICER, theirs)
    assert [(i["resource"], i["id"], i["action"]) for i in items] == [
        ("workers", worker["id"], "upsert")
    ]
    assert items[0]["record"]["commune_code"] == ELSEWHERE


async def test_the_feed_masks_what_the_workers_read_masks(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client, commune_code=HOME, geography=None)
    items, _ = await follow(client, SERVICE, HOME_VIEWER)
    shown = latest(items)[("workers", worker["id"])]["record"]
    read = await client.get(f"{P}/workers/{worker['id']}", headers=HOME_VIEWER)
    assert shown == read.json()
    assert shown["national_id"] != worker["national_id"]


async def test_a_remittance_changes_its_placement_in_the_feed(client: httpx.AsyncClient) -> None:
    _, placement = await departed_placement(client)
    _, cursor = await follow(client, SERVICE, ADMIN)
    answer = await remit(client, placement["id"], {"month": "2024-03", "amount_vnd": 9_000_000})
    assert answer.status_code == 201, answer.text
    items, _ = await follow(client, SERVICE, ADMIN, cursor)
    changes = latest(items)
    assert set(changes) == {("placements", placement["id"]), ("remittances", answer.json()["id"])}
    read = await client.get(f"{P}/placements/{placement['id']}", headers=ADMIN)
    assert changes[("placements", placement["id"])]["record"] == read.json()


async def test_commune_profiles_in_either_geography_reach_the_feed(
    client: httpx.AsyncClient,
) -> None:
    from tests.labour.test_profiles import CP, SEED

    _, cursor = await follow(client, SERVICE, HOME_VIEWER)
    old = await client.put(f"{CP}/{HOME}/2024", json=SEED, headers=ADMIN)
    new = await client.put(f"{CP}/{HOME}/2024", json=SEED | {"geography": "2025-07"}, headers=ADMIN)
    assert old.status_code == new.status_code == 201
    items, _ = await follow(client, SERVICE, HOME_VIEWER, cursor)
    changes = latest(items)
    assert set(changes) == {
        ("commune-profiles", old.json()["id"]),
        ("commune-profiles", new.json()["id"]),
    }
    assert changes[("commune-profiles", old.json()["id"])]["record"] == old.json()
    assert changes[("commune-profiles", new.json()["id"])]["record"] == new.json()
