"""/api/v1/labour/partners and /api/v1/labour/outreach-events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests.labour.helpers import (
    ADMIN,
    AWAY_OFFICER,
    CLIENT_READ,
    CLIENT_WRITE,
    HOME,
    HOME_OFFICER,
    HOME_VIEWER,
    LA_PAN_TAN,
    NEIGHBOUR,
    OFFICER,
    VIEWER,
    P,
    assert_problem,
    audit_of,
    error_fields,
    make_partner,
    new_id,
)

PA = f"{P}/partners"
EV = f"{P}/outreach-events"


async def test_partners(client: httpx.AsyncClient) -> None:
    centre = await make_partner(client)
    company = await client.post(
        PA,
        json={
            "name": "Công ty hợp tác quốc tế Cema",
            "kind": "licensed_company",
            "licence_number": "123/LĐTBXH-GP",
            "address": "Hà Nội",
        },
        headers=OFFICER,
    )
    assert company.status_code == 201, company.text
    assert company.headers["etag"] == '"1"'
    # Every reader sees every partner, area-bound or not.
    listed = await client.get(PA, params={"kind": "licensed_company"}, headers=HOME_VIEWER)
    assert [p["id"] for p in listed.json()["items"]] == [company.json()["id"]]
    read = await client.get(f"{PA}/{centre['id']}", headers=CLIENT_READ)
    assert read.json() == centre
    assert read.headers["etag"] == '"1"'
    assert_problem(await client.get(f"{PA}/{new_id()}", headers=ADMIN), 404, "not-found")


async def test_partners_are_kept_by_province_wide_writers(client: httpx.AsyncClient) -> None:
    body = {"name": "Công ty X", "kind": "other"}
    assert_problem(await client.post(PA, json=body, headers=HOME_OFFICER), 403, "forbidden")
    assert_problem(await client.post(PA, json=body, headers=VIEWER), 403, "forbidden")
    assert_problem(await client.post(PA, json=body), 401, "unauthorized")
    assert (await client.post(PA, json=body, headers=CLIENT_WRITE)).status_code == 201
    partner = await make_partner(client)
    url = f"{PA}/{partner['id']}"
    assert_problem(
        await client.patch(url, json={"address": "x"}, headers=HOME_OFFICER | {"If-Match": '"1"'}),
        403,
        "forbidden",
    )


@pytest.mark.parametrize(
    ("field", "value"), [("kind", "ngo"), ("name", ""), ("licence_number", "x" * 65), ("fax", "1")]
)
async def test_bad_partners_are_422(client: httpx.AsyncClient, field: str, value: object) -> None:
    body = {"name": "Công ty X", "kind": "other", field: value}
    answer = await client.post(PA, json=body, headers=ADMIN)
    assert error_fields(answer) == {f"body.{field}"}


async def test_edit_a_partner(client: httpx.AsyncClient) -> None:
    partner = await make_partner(client)
    url = f"{PA}/{partner['id']}"
    assert_problem(
        await client.patch(url, json={"address": "Lào Cai"}, headers=ADMIN),
        428,
        "precondition-required",
    )
    assert_problem(
        await client.patch(url, json={"address": "Lào Cai"}, headers=ADMIN | {"If-Match": '"3"'}),
        412,
        "precondition-failed",
    )
    ok = await client.patch(url, json={"address": "Lào Cai"}, headers=ADMIN | {"If-Match": '"1"'})
    assert ok.status_code == 200
    assert (ok.json()["address"], ok.json()["version"]) == ("Lào Cai", 2)
    assert_problem(
        await client.patch(url, json={"name": None}, headers=ADMIN | {"If-Match": '"2"'}),
        422,
        "validation",
    )
    trail = await audit_of(client, "partner", partner["id"])
    assert [r["action"] for r in trail] == ["update", "create"]
    assert trail[0]["changes"] == {"address": [None, "Lào Cai"]}


def event_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "commune_code": LA_PAN_TAN,
        "held_on": "2024-04-12",
        "topic": "Làm việc tại Đài Loan",
        "participants": 120,
        "registered_interest": 25,
    }
    body.update(overrides)
    return body


async def test_outreach_events(client: httpx.AsyncClient) -> None:
    partner = await make_partner(client)
    answer = await client.post(EV, json=event_body(partner_id=partner["id"]), headers=HOME_OFFICER)
    assert answer.status_code == 201, answer.text
    event = answer.json()
    # Held before the reorganisation: read in the old units by default.
    assert (event["commune_code"], event["legacy_commune_code"]) == (HOME, LA_PAN_TAN)
    read = await client.get(f"{EV}/{event['id']}", headers=HOME_VIEWER)
    assert read.json() == event
    assert read.headers["etag"] == '"1"'
    later = await client.post(
        EV, json=event_body(commune_code=NEIGHBOUR, held_on="2025-08-01"), headers=ADMIN
    )
    assert later.json()["legacy_commune_code"] is None

    async def ids(headers: dict[str, str] = ADMIN, **params: Any) -> list[str]:
        found = await client.get(EV, params=params, headers=headers)
        assert found.status_code == 200, found.text
        return [e["id"] for e in found.json()["items"]]

    assert await ids(year=2024) == [event["id"]]
    assert await ids(partner_id=partner["id"]) == [event["id"]]
    assert await ids(area_code=NEIGHBOUR) == [later.json()["id"]]
    assert await ids(headers=HOME_OFFICER) == [event["id"]]
    assert_problem(await client.get(f"{EV}/{event['id']}", headers=AWAY_OFFICER), 404, "not-found")
    assert_problem(
        await client.get(EV, params={"area_code": HOME}, headers=AWAY_OFFICER), 404, "not-found"
    )


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"registered_interest": 121}, {"body.registered_interest"}),
        ({"participants": -1}, {"body.participants"}),
        ({"participants": "120"}, {"body.participants"}),
        ({"held_on": "12/04/2024"}, {"body.held_on"}),
        ({"commune_code": LA_PAN_TAN, "geography": "2025-07"}, {"body.commune_code"}),
        ({"partner_id": "6f1c0c2e-4d1e-4a55-9bd3-0a6f3d1b5f55"}, {"body.partner_id"}),
        ({"topic": None}, {"body.topic"}),
    ],
)
async def test_bad_events_are_422(
    client: httpx.AsyncClient, overrides: dict[str, object], fields: set[str]
) -> None:
    answer = await client.post(EV, json=event_body(**overrides), headers=ADMIN)
    assert_problem(answer, 422, "validation")
    assert error_fields(answer) == fields


async def test_events_in_the_future_or_elsewhere_are_422(client: httpx.AsyncClient) -> None:
    tomorrow = (today_vn() + dt.timedelta(days=1)).isoformat()
    future = await client.post(
        EV, json=event_body(commune_code=HOME, held_on=tomorrow), headers=ADMIN
    )
    assert error_fields(future) == {"body.held_on"}
    away = await client.post(EV, json=event_body(), headers=AWAY_OFFICER)
    assert error_fields(away) == {"body.commune_code"}
    assert_problem(await client.post(EV, json=event_body(), headers=VIEWER), 403, "forbidden")


async def test_edit_an_event(client: httpx.AsyncClient) -> None:
    event = (await client.post(EV, json=event_body(), headers=ADMIN)).json()
    url = f"{EV}/{event['id']}"
    assert_problem(
        await client.patch(url, json={"participants": 130}, headers=ADMIN),
        428,
        "precondition-required",
    )
    too_many = await client.patch(
        url, json={"registered_interest": 500}, headers=ADMIN | {"If-Match": '"1"'}
    )
    assert error_fields(too_many) == {"body.registered_interest"}
    ok = await client.patch(
        url,
        json={"participants": 130, "registered_interest": 30},
        headers=HOME_OFFICER | {"If-Match": '"1"'},
    )
    assert ok.status_code == 200, ok.text
    assert (ok.json()["participants"], ok.json()["version"]) == (130, 2)
    stale = await client.patch(url, json={"participants": 1}, headers=ADMIN | {"If-Match": '"1"'})
    assert_problem(stale, 412, "precondition-failed")
    assert_problem(
        await client.patch(
            url, json={"participants": 1}, headers=AWAY_OFFICER | {"If-Match": '"2"'}
        ),
        404,
        "not-found",
    )
    trail = await audit_of(client, "outreach_event", event["id"])
    assert trail[0]["changes"] == {"participants": [120, 130], "registered_interest": [25, 30]}


async def test_event_replay(client: httpx.AsyncClient) -> None:
    headers = ADMIN | {"Idempotency-Key": "event-1"}
    first = await client.post(
        EV, json=event_body(commune_code=HOME, held_on="2025-09-01"), headers=headers
    )
    again = await client.post(
        EV, json=event_body(commune_code=HOME, held_on="2025-09-01"), headers=headers
    )
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
