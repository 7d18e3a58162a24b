"""Community digital technology teams and online sellers through the API."""

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
    admin,
    assert_problem,
    audit_of,
    create_seller,
    create_team,
    fields_of,
    if_match,
    officer,
    seller_body,
    system,
    team_body,
    viewer,
)

TEAMS = f"{API}/teams"
SELLERS = f"{API}/sellers"


async def test_record_read_change_and_move_a_team(client: httpx.AsyncClient) -> None:
    team = await create_team(client, headers=officer(GIA_PHU))
    assert (team["village"], team["members"], team["geography"]) == ("Đông Căm", 5, "2025-07")
    path = f"{TEAMS}/{team['id']}"
    one = await client.get(path, headers=viewer(GIA_PHU))
    assert (one.json(), one.headers["etag"]) == (team, '"1"')
    changed = await client.patch(path, json={"members": 7}, headers=if_match(1, officer(GIA_PHU)))
    assert (changed.json()["members"], changed.headers["etag"]) == (7, '"2"')
    assert_problem(
        await client.patch(path, json={"members": 8}, headers=admin()), 428, "precondition-required"
    )
    assert_problem(
        await client.patch(path, json={"members": 8}, headers=if_match(1)),
        412,
        "precondition-failed",
    )
    assert_problem(
        await client.patch(path, json={"members": 8}, headers=if_match(2, officer(ELSEWHERE))),
        404,
        "not-found",
    )
    away = await client.patch(
        path, json={"commune_code": ELSEWHERE}, headers=if_match(2, officer(GIA_PHU))
    )
    assert fields_of(assert_problem(away, 422, "validation")) == ["body.commune_code"]
    for body, field in (
        ({"members": 0}, "body.members"),
        ({"members": None}, "body.members"),
        ({"established_on": "2999-01-01"}, "body.established_on"),
    ):
        refused = await client.patch(path, json=body, headers=if_match(2))
        assert fields_of(assert_problem(refused, 422, "validation")) == [field]
    moved = await client.patch(
        path,
        json={"commune_code": GIA_PHU, "geography": "2025-01", "established_on": "2023-05-10"},
        headers=if_match(2),
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["legacy_commune_code"], moved.json()["legacy_district_code"]) == (
        GIA_PHU,
        BAO_THANG,
    )
    trail = await audit_of(client, "team", team["id"])
    assert trail[1]["changes"]["members"] == [5, 7]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"members": 0}, "body.members"),
        ({"members": 2.5}, "body.members"),
        ({"established_on": "2999-01-01"}, "body.established_on"),
        ({"commune_code": "99999"}, "body.commune_code"),
        ({"village": "x" * 201}, "body.village"),
        ({"name": "Tổ 1"}, "body.name"),
    ],
)
async def test_broken_team_rules_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(TEAMS, json=team_body(**fields), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_record_and_change_a_seller(client: httpx.AsyncClient) -> None:
    seller = await create_seller(client, headers=officer(GIA_PHU))
    assert (seller["kind"], seller["platforms"], seller["ocop_products_online"]) == (
        "cooperative",
        ["postmart.vn", "Facebook"],
        11,
    )
    path = f"{SELLERS}/{seller['id']}"
    changed = await client.patch(
        path, json={"platforms": ["voso.vn"], "ocop_products_online": 12}, headers=if_match(1)
    )
    assert (changed.json()["platforms"], changed.json()["ocop_products_online"]) == (
        ["voso.vn"],
        12,
    )
    twice = await client.patch(path, json={"platforms": ["a", "b", "a"]}, headers=if_match(2))
    assert fields_of(assert_problem(twice, 422, "validation")) == ["body.platforms.2"]
    assert_problem(
        await client.patch(path, json={"name": "x"}, headers=if_match(2, viewer())),
        403,
        "forbidden",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "farm"}, "body.kind"),
        ({"platforms": []}, "body.platforms"),
        ({"platforms": ["Facebook", "Facebook"]}, "body.platforms.1"),
        ({"platforms": [""]}, "body.platforms.0"),
        ({"ocop_products_online": -1}, "body.ocop_products_online"),
        ({"since": "2999-01-01"}, "body.since"),
        ({"name": ""}, "body.name"),
    ],
)
async def test_broken_seller_rules_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(SELLERS, json=seller_body(**fields), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_access_rules_and_filters(client: httpx.AsyncClient) -> None:
    for url, body in ((TEAMS, team_body()), (SELLERS, seller_body())):
        assert_problem(await client.post(url, json=body, headers=viewer()), 403, "forbidden")
        assert_problem(
            await client.post(url, json=body, headers=system("digital:read")), 403, "forbidden"
        )
        outside = await client.post(url, json=body, headers=officer(ELSEWHERE))
        assert fields_of(assert_problem(outside, 422, "validation")) == ["body.commune_code"]
        made_id = str(uuid.uuid4())
        made = await client.post(url, json=body | {"id": made_id}, headers=system("digital:write"))
        assert made.status_code == 201, made.text
        assert_problem(
            await client.post(url, json=body | {"id": made_id}, headers=admin()), 409, "duplicate"
        )
        assert_problem(
            await client.get(f"{url}/{made_id}", headers=viewer(ELSEWHERE)), 404, "not-found"
        )
    household = await create_seller(client, kind="household", commune_code=ELSEWHERE)
    listed = await client.get(SELLERS, params={"kind": "household"}, headers=admin())
    assert [s["id"] for s in listed.json()["items"]] == [household["id"]]
    mine = await client.get(SELLERS, headers=viewer(ELSEWHERE))
    assert [s["id"] for s in mine.json()["items"]] == [household["id"]]
    assert_problem(
        await client.get(TEAMS, params={"area_code": GIA_PHU}, headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )
    assert_problem(
        await client.get(SELLERS, params={"kind": "farm"}, headers=admin()), 422, "validation"
    )
