"""Assets through the API: counted items, the IOC rule, and a status that holds from a day."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.digital.helpers import (
    API,
    BAO_THANG,
    ELSEWHERE,
    GIA_PHU,
    XUAN_GIAO,
    admin,
    assert_problem,
    asset_body,
    audit_of,
    create_asset,
    days_ago,
    fields_of,
    if_match,
    officer,
    overview,
    system,
    viewer,
)

ASSETS = f"{API}/assets"


async def test_record_read_and_change_an_asset(client: httpx.AsyncClient) -> None:
    camera = await create_asset(client, headers=officer(GIA_PHU))
    assert (camera["kind"], camera["count"], camera["connected_to_ioc"]) == ("camera", 5, True)
    assert (camera["status"], camera["status_on"]) == ("active", "2025-08-15")
    assert (camera["commune_code"], camera["geography"]) == (GIA_PHU, "2025-07")
    path = f"{ASSETS}/{camera['id']}"
    one = await client.get(path, headers=viewer(GIA_PHU))
    assert (one.json(), one.headers["etag"]) == (camera, '"1"')
    changed = await client.patch(path, json={"count": 7}, headers=if_match(1))
    assert changed.status_code == 200, changed.text
    assert (changed.json()["count"], changed.headers["etag"]) == (7, '"2"')
    assert_problem(
        await client.patch(path, json={"count": 8}, headers=admin()), 428, "precondition-required"
    )
    assert_problem(
        await client.patch(path, json={"count": 8}, headers=if_match(1)),
        412,
        "precondition-failed",
    )
    assert_problem(
        await client.patch(path, json={"count": 8}, headers=if_match(2, officer(ELSEWHERE))),
        404,
        "not-found",
    )
    assert_problem(
        await client.patch(path, json={"count": 8}, headers=if_match(2, viewer())),
        403,
        "forbidden",
    )
    emptied = await client.patch(path, json={"kind": None}, headers=if_match(2))
    assert fields_of(assert_problem(emptied, 422, "validation")) == ["body.kind"]
    assert (await audit_of(client, "asset", camera["id"]))[0]["changes"]["count"] == [5, 7]


async def test_one_item_by_default_and_only_cameras_reach_the_ioc(
    client: httpx.AsyncClient,
) -> None:
    bare = {"kind": "wifi_point", "commune_code": GIA_PHU, "installed_on": "2025-08-15"}
    made = await client.post(ASSETS, json=bare, headers=admin())
    assert made.status_code == 201, made.text
    wifi = made.json()
    assert (wifi["count"], wifi["connected_to_ioc"]) == (1, False)
    refused = await client.post(
        ASSETS, json=asset_body(kind="computer", connected_to_ioc=True), headers=admin()
    )
    problem = assert_problem(refused, 422, "validation")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [
        ("body.connected_to_ioc", "invalid")
    ]
    assert "camera" in problem["errors"][0]["message"]
    camera = await create_asset(client)
    # A camera on the IOC cannot become a computer still on it; off the IOC it can.
    path = f"{ASSETS}/{camera['id']}"
    still = await client.patch(path, json={"kind": "computer"}, headers=if_match(1))
    assert fields_of(assert_problem(still, 422, "validation")) == ["body.connected_to_ioc"]
    both = await client.patch(
        path, json={"kind": "computer", "connected_to_ioc": False}, headers=if_match(1)
    )
    assert (both.json()["kind"], both.json()["connected_to_ioc"]) == ("computer", False)
    on_wifi = await client.patch(
        f"{ASSETS}/{wifi['id']}", json={"connected_to_ioc": True}, headers=if_match(1)
    )
    assert fields_of(assert_problem(on_wifi, 422, "validation")) == ["body.connected_to_ioc"]


async def test_the_report_reads_the_status_in_force_at_the_end_of_the_year(
    client: httpx.AsyncClient,
) -> None:
    # Installed in 2024, broken in March 2025, repaired in June 2025, retired in October.
    camera = await create_asset(
        client, commune_code=GIA_PHU, geography="2025-01", installed_on="2024-04-01"
    )
    path = f"{ASSETS}/{camera['id']}"
    steps = [("broken", "2025-03-01"), ("active", "2025-06-01"), ("retired", "2025-10-01")]
    for version, (status, on) in enumerate(steps, start=1):
        answer = await client.patch(
            path, json={"status": status, "status_on": on}, headers=if_match(version)
        )
        assert answer.status_code == 200, answer.text
        assert (answer.json()["status"], answer.json()["status_on"]) == (status, on)

    async def cameras(**params: Any) -> int:
        report = await overview(client, area_code=GIA_PHU, **params)
        return int(report["infrastructure"]["cameras"])

    assert await cameras(year=2024) == 5
    assert await cameras(as_of="2025-03-31") == 0
    assert await cameras(as_of="2025-07-01") == 5
    assert await cameras(year=2025) == 0
    assert await cameras(as_of="2024-03-31") == 0  # not installed yet
    trail = await audit_of(client, "asset", camera["id"])
    assert [entry["changes"]["status"] for entry in trail] == [
        ["active", "retired"],
        ["broken", "active"],
        ["active", "broken"],
        [None, "active"],
    ]


async def test_a_status_day_lies_between_the_current_status_and_today(
    client: httpx.AsyncClient,
) -> None:
    camera = await create_asset(client, installed_on="2025-08-15")
    path = f"{ASSETS}/{camera['id']}"
    for body, field in (
        ({"status": "broken", "status_on": "2025-08-14"}, "body.status_on"),
        ({"status": "broken", "status_on": days_ago(-1)}, "body.status_on"),
        ({"status_on": "2025-09-01"}, "body.status_on"),
        ({"status": "lost"}, "body.status"),
        ({"status": None}, "body.status"),
    ):
        answer = await client.patch(path, json=body, headers=if_match(1))
        assert fields_of(assert_problem(answer, 422, "validation")) == [field], body
    # Without a day, today; the same status again changes nothing.
    broken = await client.patch(path, json={"status": "broken"}, headers=if_match(1))
    assert (broken.json()["status"], broken.json()["status_on"]) == ("broken", days_ago(0))
    same = await client.patch(path, json={"status": "broken"}, headers=if_match(2))
    assert (same.json()["version"], same.json()["status_on"]) == (2, days_ago(0))
    ahead = await client.patch(path, json={"installed_on": days_ago(-1)}, headers=if_match(2))
    assert fields_of(assert_problem(ahead, 422, "validation")) == ["body.installed_on"]


async def test_moving_the_installation_day_moves_the_first_status(
    client: httpx.AsyncClient,
) -> None:
    computer = await create_asset(
        client, kind="computer", connected_to_ioc=False, installed_on="2025-08-15"
    )
    path = f"{ASSETS}/{computer['id']}"
    moved = await client.patch(path, json={"installed_on": "2024-06-01"}, headers=if_match(1))
    assert (moved.json()["installed_on"], moved.json()["status_on"]) == ("2024-06-01", "2024-06-01")
    report = await overview(client, area_code=GIA_PHU, year=2024)
    assert report["infrastructure"]["computers"] == 5
    broken = await client.patch(
        path, json={"status": "broken", "status_on": "2025-01-10"}, headers=if_match(2)
    )
    assert broken.status_code == 200, broken.text
    later = await client.patch(path, json={"installed_on": "2025-02-01"}, headers=if_match(3))
    problem = assert_problem(later, 422, "validation")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [
        ("body.installed_on", "out_of_range")
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "printer"}, "body.kind"),
        ({"count": 0}, "body.count"),
        ({"count": "5"}, "body.count"),
        ({"count": 10**9}, "body.count"),
        ({"connected_to_ioc": "yes"}, "body.connected_to_ioc"),
        ({"status": "lost"}, "body.status"),
        ({"installed_on": "2999-01-01"}, "body.installed_on"),
        ({"installed_on": "15/08/2025"}, "body.installed_on"),
        ({"commune_code": "2923"}, "body.commune_code"),
        ({"commune_code": "99999"}, "body.commune_code"),
        ({"village": ""}, "body.village"),
        ({"village": "a\x00b"}, "body.village"),
        ({"status_on": "2025-08-15"}, "body.status_on"),
        ({"serial": "x"}, "body.serial"),
    ],
)
async def test_broken_rules_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(ASSETS, json=asset_body(**fields), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_access_rules(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(ASSETS), 401, "unauthorized")
    assert_problem(await client.post(ASSETS, json=asset_body()), 401, "unauthorized")
    assert_problem(await client.post(ASSETS, json=asset_body(), headers=viewer()), 403, "forbidden")
    assert_problem(
        await client.post(ASSETS, json=asset_body(), headers=system("digital:read")),
        403,
        "forbidden",
    )
    assert_problem(await client.get(ASSETS, headers=system("gender:read")), 403, "forbidden")
    outside = await client.post(ASSETS, json=asset_body(), headers=officer(ELSEWHERE))
    assert fields_of(assert_problem(outside, 422, "validation")) == ["body.commune_code"]
    asset_id = str(uuid.uuid4())
    headers = system("digital:write") | {"Idempotency-Key": "a-1"}
    first = await client.post(ASSETS, json=asset_body(id=asset_id), headers=headers)
    again = await client.post(ASSETS, json=asset_body(id=asset_id), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    other = await client.post(ASSETS, json=asset_body(id=asset_id, count=3), headers=headers)
    assert_problem(other, 422, "idempotency-mismatch")
    assert_problem(
        await client.post(ASSETS, json=asset_body(id=asset_id), headers=admin()), 409, "duplicate"
    )
    assert_problem(
        await client.get(f"{ASSETS}/{asset_id}", headers=viewer(ELSEWHERE)), 404, "not-found"
    )
    assert_problem(await client.get(f"{ASSETS}/{uuid.uuid4()}", headers=admin()), 404, "not-found")


async def test_list_filters(client: httpx.AsyncClient) -> None:
    old = await create_asset(client, geography="2025-01", installed_on="2024-05-01")
    wifi = await create_asset(
        client,
        kind="wifi_point",
        connected_to_ioc=False,
        commune_code=XUAN_GIAO,
        geography="2025-01",
        installed_on="2024-06-01",
    )
    far = await create_asset(client, commune_code=ELSEWHERE)
    broken = await client.patch(
        f"{ASSETS}/{far['id']}", json={"status": "broken"}, headers=if_match(1)
    )
    assert broken.status_code == 200, broken.text

    async def ids(headers: dict[str, str] | None = None, **params: str | int) -> list[str]:
        answer = await client.get(ASSETS, params=params, headers=headers or admin())
        assert answer.status_code == 200, answer.text
        return [a["id"] for a in answer.json()["items"]]

    assert await ids() == [far["id"], wifi["id"], old["id"]]
    assert await ids(kind="wifi_point") == [wifi["id"]]
    assert await ids(status="broken") == [far["id"]]
    assert await ids(area_code=BAO_THANG) == [wifi["id"], old["id"]]
    assert await ids(area_code=GIA_PHU) == [wifi["id"], old["id"]]
    assert await ids(area_code=XUAN_GIAO, geography="2025-01") == [wifi["id"]]
    assert await ids(viewer(ELSEWHERE)) == [far["id"]]
    assert await ids(limit=1) == [far["id"]]
    assert_problem(
        await client.get(ASSETS, params={"area_code": GIA_PHU}, headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )
    for params in ({"kind": "printer"}, {"status": "lost"}, {"colour": "red"}):
        assert_problem(await client.get(ASSETS, params=params, headers=admin()), 422, "validation")
