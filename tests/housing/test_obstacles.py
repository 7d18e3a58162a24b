"""/obstacles: reported per area or case, resolved with a resolution."""

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
    officer,
    viewer,
)

OBSTACLES = f"{API}/obstacles"


def obstacle(**fields: Any) -> dict[str, Any]:
    return {
        "area_code": NEW_SI_MA_CAI,
        "title": "Landslide blocks the road to the village",
        "description": "Materials cannot reach three houses.",
        "severity": "high",
        "reported_on": days_ago(2),
    } | fields


async def test_report_and_resolve(client: httpx.AsyncClient) -> None:
    answer = await client.post(OBSTACLES, json=obstacle(), headers=officer(NEW_SI_MA_CAI))
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert (made["status"], made["resolution"], made["resolved_on"]) == ("open", None, None)
    assert made["area"]["code"] == NEW_SI_MA_CAI
    url = f"{OBSTACLES}/{made['id']}"
    v1 = {"If-Match": '"1"'}
    resolved = await client.patch(
        url, json={"resolution": "Road cleared by the commune"}, headers=admin() | v1
    )
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    assert (body["status"], body["resolution"], body["version"]) == (
        "resolved",
        "Road cleared by the commune",
        2,
    )
    assert body["resolved_on"] == days_ago(0)
    v2 = {"If-Match": '"2"'}
    again = await client.patch(url, json={"resolution": "again"}, headers=admin() | v2)
    assert_problem(again, 409, "invalid-state")
    reopen = await client.patch(url, json={"status": "open"}, headers=admin() | v2)
    assert_problem(reopen, 409, "invalid-state")
    # Its description may still be corrected.
    fixed = await client.patch(url, json={"severity": "medium"}, headers=admin() | v2)
    assert fixed.json()["severity"] == "medium" and fixed.json()["status"] == "resolved"
    audit = await client.get(
        f"{API}/audit", params={"entity_type": "obstacle", "entity_id": made["id"]}, headers=admin()
    )
    assert [r["action"] for r in audit.json()["items"]] == ["update", "resolve", "create"]


async def test_resolution_rules(client: httpx.AsyncClient) -> None:
    made = (await client.post(OBSTACLES, json=obstacle(), headers=admin())).json()
    url = f"{OBSTACLES}/{made['id']}"
    v1 = admin() | {"If-Match": '"1"'}
    for change, field in (
        ({"status": "resolved"}, "body.resolution"),
        ({"resolution": ""}, "body.resolution"),
        ({"resolution": None}, "body.resolution"),
        ({"resolution": "ok", "resolved_on": days_ago(3)}, "body.resolved_on"),
        ({"resolution": "ok", "resolved_on": days_ago(-1)}, "body.resolved_on"),
        ({"resolved_on": days_ago(0)}, "body.resolved_on"),
        ({"severity": "extreme"}, "body.severity"),
    ):
        answer = await client.patch(url, json=change, headers=v1)
        assert field in fields_of(assert_problem(answer, 422, "validation")), change
    assert_problem(await client.patch(url, json={}, headers=admin()), 428, "precondition-required")
    stale = admin() | {"If-Match": '"9"'}
    assert_problem(await client.patch(url, json={}, headers=stale), 412, "precondition-failed")
    done = await client.patch(
        url, json={"status": "resolved", "resolution": "ok", "resolved_on": days_ago(2)}, headers=v1
    )
    assert done.json()["resolved_on"] == days_ago(2)


async def test_obstacles_of_a_case(client: httpx.AsyncClient) -> None:
    case = await create_case(client, commune_code=NEW_SIN_CHENG)
    answer = await client.post(
        OBSTACLES,
        json=obstacle(area_code=None, case_id=case["id"], severity="low"),
        headers=officer(NEW_SIN_CHENG),
    )
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert (made["case_id"], made["area_code"]) == (case["id"], NEW_SIN_CHENG)
    in_area = await client.post(
        OBSTACLES, json=obstacle(area_code="084", case_id=case["id"]), headers=admin()
    )
    assert in_area.status_code == 201
    for change, field in (
        ({"case_id": case["id"]}, "body.case_id"),  # the case lies outside 02809
        ({"case_id": str(uuid.uuid4())}, "body.case_id"),
        ({"area_code": None}, "body.area_code"),
        ({"reported_on": days_ago(-1)}, "body.reported_on"),
        ({"area_code": ELSEWHERE}, "body.area_code"),
    ):
        answer = await client.post(
            OBSTACLES, json=obstacle(**change), headers=officer(NEW_SI_MA_CAI)
        )
        assert field in fields_of(assert_problem(answer, 422, "validation")), change
    # A case the caller cannot read is no case at all.
    hidden = await client.post(
        OBSTACLES,
        json=obstacle(area_code=None, case_id=case["id"]),
        headers=officer(NEW_SI_MA_CAI),
    )
    assert fields_of(assert_problem(hidden, 422, "validation")) == ["body.case_id"]
    listed = await client.get(OBSTACLES, params={"case_id": case["id"]}, headers=admin())
    assert {o["id"] for o in listed.json()["items"]} == {made["id"], in_area.json()["id"]}


async def test_list_filters_and_area_scope(client: httpx.AsyncClient) -> None:
    here = (await client.post(OBSTACLES, json=obstacle(), headers=admin())).json()
    district = (
        await client.post(
            OBSTACLES, json=obstacle(area_code="084", severity="low"), headers=admin()
        )
    ).json()
    far = (await client.post(OBSTACLES, json=obstacle(area_code=ELSEWHERE), headers=admin())).json()
    await client.patch(
        f"{OBSTACLES}/{far['id']}",
        json={"resolution": "done"},
        headers=admin() | {"If-Match": '"1"'},
    )

    async def ids(headers: dict[str, str] | None = None, **params: str) -> list[str]:
        answer = await client.get(OBSTACLES, params=params, headers=headers or admin())
        assert answer.status_code == 200, answer.text
        return [o["id"] for o in answer.json()["items"]]

    assert await ids() == [far["id"], district["id"], here["id"]]
    assert await ids(status="resolved") == [far["id"]]
    assert await ids(severity="low") == [district["id"]]
    assert await ids(area_code=NEW_SIN_CHENG) == [district["id"]]
    assert await ids(viewer(NEW_SI_MA_CAI)) == [district["id"], here["id"]]
    url = f"{OBSTACLES}/{here['id']}"
    assert_problem(await client.get(url, headers=viewer(ELSEWHERE)), 404, "not-found")
    assert (await client.get(url, headers=viewer(NEW_SI_MA_CAI))).headers["etag"] == '"1"'
    # The district obstacle is visible in Sín Chéng but not wholly its own.
    answer = await client.patch(
        f"{OBSTACLES}/{district['id']}",
        json={"severity": "high"},
        headers=officer(NEW_SIN_CHENG) | {"If-Match": '"1"'},
    )
    assert_problem(answer, 403, "forbidden")
    answer = await client.patch(url, json={}, headers=officer(ELSEWHERE) | {"If-Match": '"1"'})
    assert_problem(answer, 404, "not-found")
    assert_problem(
        await client.post(OBSTACLES, json=obstacle(), headers=viewer()), 403, "forbidden"
    )
    assert_problem(await client.get(OBSTACLES), 401, "unauthorized")
    chosen = str(uuid.uuid4())
    assert (
        await client.post(OBSTACLES, json=obstacle(id=chosen), headers=admin())
    ).status_code == 201
    assert_problem(
        await client.post(OBSTACLES, json=obstacle(id=chosen), headers=admin()), 409, "duplicate"
    )
