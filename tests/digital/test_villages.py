"""Smart villages through the API: building, then recognised by an approver's step that names
the decision; the day of that step is the village's `recognised_on`."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.digital.helpers import (
    API,
    ELSEWHERE,
    GIA_PHU,
    admin,
    approver,
    assert_problem,
    audit_of,
    create_village,
    days_ago,
    fields_of,
    if_match,
    officer,
    overview,
    system,
    viewer,
    village_body,
)

VILLAGES = f"{API}/smart-villages"
RECOGNISE = {"to": "recognised", "on": "2025-09-20", "decision_number": "1234/QĐ-UBND"}


async def test_an_approver_recognises_a_village(client: httpx.AsyncClient) -> None:
    village = await create_village(client, headers=officer(GIA_PHU))
    assert (village["status"], village["recognised_on"], village["decision_number"]) == (
        "building",
        None,
        None,
    )
    steps = f"{VILLAGES}/{village['id']}/transitions"
    for headers, status in (
        (officer(GIA_PHU), 403),
        (system("digital:write"), 403),
        (approver(ELSEWHERE), 404),
    ):
        assert (await client.post(steps, json=RECOGNISE, headers=headers)).status_code == status
    step = await client.post(
        steps, json=RECOGNISE | {"note": "Đạt 5/5 tiêu chí"}, headers=approver(GIA_PHU)
    )
    assert step.status_code == 201, step.text
    made = step.json()
    assert (made["from"], made["to"], made["on"], made["seq"]) == (
        "building",
        "recognised",
        "2025-09-20",
        1,
    )
    assert (made["decision_number"], made["actor"]) == ("1234/QĐ-UBND", "person:approver")
    assert step.headers["location"] == f"{steps}/{made['id']}"
    read = await client.get(step.headers["location"], headers=viewer(GIA_PHU))
    assert (read.json(), read.headers["etag"]) == (made, '"1"')
    assert_problem(await client.get(f"{steps}/{uuid.uuid4()}", headers=admin()), 404, "not-found")
    now = (await client.get(f"{VILLAGES}/{village['id']}", headers=viewer(GIA_PHU))).json()
    assert (now["status"], now["recognised_on"], now["decision_number"], now["version"]) == (
        "recognised",
        "2025-09-20",
        "1234/QĐ-UBND",
        2,
    )
    listed = await client.get(steps, headers=viewer(GIA_PHU))
    assert [s["id"] for s in listed.json()["items"]] == [made["id"]]
    again = await client.post(steps, json=RECOGNISE, headers=approver(GIA_PHU))
    assert_problem(again, 409, "invalid-state")
    trail = await audit_of(client, "smart_village", village["id"])
    assert trail[0]["action"] == "transition"
    assert trail[0]["changes"]["status"] == ["building", "recognised"]


async def test_a_village_is_recognised_by_decision_on_a_day_after_it_started(
    client: httpx.AsyncClient,
) -> None:
    village = await create_village(client, started_on="2025-08-01")
    steps = f"{VILLAGES}/{village['id']}/transitions"
    for body, field in (
        ({"to": "recognised", "on": "2025-09-01"}, "body.decision_number"),
        (RECOGNISE | {"on": "2025-07-31"}, "body.on"),
        (RECOGNISE | {"on": days_ago(-1)}, "body.on"),
        (RECOGNISE | {"decision_number": ""}, "body.decision_number"),
        (RECOGNISE | {"to": "approved"}, "body.to"),
        (RECOGNISE | {"outcome": "x"}, "body.outcome"),
    ):
        answer = await client.post(steps, json=body, headers=approver())
        assert fields_of(assert_problem(answer, 422, "validation")) == [field], body
    back = await client.post(steps, json={"to": "building"}, headers=approver())
    assert_problem(back, 409, "invalid-state")
    today = await client.post(
        steps, json={"to": "recognised", "decision_number": "9/QĐ"}, headers=approver()
    )
    assert today.json()["on"] == days_ago(0)
    # Recognised, it cannot have started after the day it was recognised.
    path = f"{VILLAGES}/{village['id']}"
    late = await client.patch(path, json={"started_on": days_ago(-1)}, headers=if_match(2))
    assert fields_of(assert_problem(late, 422, "validation")) == ["body.started_on"]
    renamed = await client.patch(path, json={"village": "Thôn Đông Căm"}, headers=if_match(2))
    assert renamed.json()["village"] == "Thôn Đông Căm"
    assert_problem(
        await client.post(
            f"{VILLAGES}/{uuid.uuid4()}/transitions", json=RECOGNISE, headers=admin()
        ),
        404,
        "not-found",
    )


async def test_the_report_counts_villages_by_their_status_then(client: httpx.AsyncClient) -> None:
    village = await create_village(client, started_on="2025-08-01")
    await create_village(client, village="Thôn 3", started_on="2025-10-01")
    step = RECOGNISE | {"on": "2025-09-20"}
    made = await client.post(f"{VILLAGES}/{village['id']}/transitions", json=step, headers=admin())
    assert made.status_code == 201, made.text

    async def counted(as_of: str) -> dict[str, int]:
        report = await overview(client, area_code=GIA_PHU, as_of=as_of)
        return dict(report["society"]["smart_villages"])

    assert await counted("2025-07-31") == {"building": 0, "recognised": 0}
    assert await counted("2025-09-19") == {"building": 1, "recognised": 0}
    assert await counted("2025-09-20") == {"building": 0, "recognised": 1}
    assert await counted("2025-10-01") == {"building": 1, "recognised": 1}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"village": ""}, "body.village"),
        ({"village": None}, "body.village"),
        ({"started_on": "2999-01-01"}, "body.started_on"),
        ({"status": "recognised"}, "body.status"),
        ({"recognised_on": "2025-09-01"}, "body.recognised_on"),
        ({"commune_code": "99999"}, "body.commune_code"),
    ],
)
async def test_broken_rules_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(VILLAGES, json=village_body(**fields), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_access_rules_and_filters(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(VILLAGES), 401, "unauthorized")
    assert_problem(
        await client.post(VILLAGES, json=village_body(), headers=viewer()), 403, "forbidden"
    )
    building = await create_village(client)
    done = await create_village(client, village="Thôn 5", commune_code=ELSEWHERE)
    step = await client.post(
        f"{VILLAGES}/{done['id']}/transitions", json=RECOGNISE, headers=admin()
    )
    assert step.status_code == 201, step.text
    assert_problem(
        await client.get(f"{VILLAGES}/{building['id']}", headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )
    assert_problem(
        await client.get(f"{VILLAGES}/{building['id']}/transitions", headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )

    async def ids(**params: str) -> list[str]:
        answer = await client.get(VILLAGES, params=params, headers=admin())
        assert answer.status_code == 200, answer.text
        return [v["id"] for v in answer.json()["items"]]

    assert await ids(status="recognised") == [done["id"]]
    assert await ids(status="building", area_code=GIA_PHU) == [building["id"]]
    assert_problem(
        await client.get(VILLAGES, params={"status": "done"}, headers=admin()), 422, "validation"
    )
