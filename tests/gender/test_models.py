"""Community models through the API."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.gender.helpers import (
    API,
    ELSEWHERE,
    NEW_SA_PA,
    NEW_TA_VAN,
    OLD_TA_VAN,
    SA_PA,
    admin,
    assert_problem,
    audit_of,
    create_model,
    fields_of,
    model_body,
    officer,
    system,
    viewer,
)

MODELS = f"{API}/models"


async def test_record_read_and_change_a_model(client: httpx.AsyncClient) -> None:
    model = await create_model(client, headers=officer(NEW_TA_VAN))
    assert (model["kind"], model["members"], model["members_female"]) == (
        "communication_team",
        12,
        9,
    )
    assert (model["commune_code"], model["geography"]) == (NEW_TA_VAN, "2025-07")
    path = f"{MODELS}/{model['id']}"
    one = await client.get(path, headers=viewer(NEW_TA_VAN))
    assert (one.json(), one.headers["etag"]) == (model, '"1"')
    changed = await client.patch(
        path, json={"members": 20, "members_female": 15}, headers=admin() | {"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["members"], changed.headers["etag"]) == (20, '"2"')
    assert_problem(
        await client.patch(path, json={"members": 30}, headers=admin()),
        428,
        "precondition-required",
    )
    assert_problem(
        await client.patch(path, json={"members": 30}, headers=admin() | {"If-Match": '"1"'}),
        412,
        "precondition-failed",
    )
    assert_problem(
        await client.patch(
            path, json={"members": 30}, headers=officer(ELSEWHERE) | {"If-Match": '"2"'}
        ),
        404,
        "not-found",
    )
    assert_problem(
        await client.patch(path, json={"members": 30}, headers=viewer() | {"If-Match": '"2"'}),
        403,
        "forbidden",
    )
    # Fewer members than the women among them is refused, whichever of the two changes.
    fewer = await client.patch(path, json={"members": 10}, headers=admin() | {"If-Match": '"2"'})
    assert fields_of(assert_problem(fewer, 422, "validation")) == ["body.members_female"]
    emptied = await client.patch(path, json={"name": None}, headers=admin() | {"If-Match": '"2"'})
    assert fields_of(assert_problem(emptied, 422, "validation")) == ["body.name"]
    trail = await audit_of(client, "model", model["id"])
    assert trail[0]["changes"]["members"] == [12, 20]
    assert trail[0]["changes"]["members_female"] == [9, 15]


async def test_an_old_model_is_placed_by_its_date(client: httpx.AsyncClient) -> None:
    old = await create_model(client, commune_code=OLD_TA_VAN, established_on="2022-03-08")
    assert (old["commune_code"], old["legacy_commune_code"], old["legacy_district_code"]) == (
        NEW_TA_VAN,
        OLD_TA_VAN,
        SA_PA,
    )
    assert old["geography"] == "2025-01"
    moved = await client.patch(
        f"{MODELS}/{old['id']}",
        json={"commune_code": NEW_SA_PA, "geography": "2025-07"},
        headers=admin() | {"If-Match": '"1"'},
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["commune_code"], moved.json()["legacy_commune_code"]) == (
        NEW_SA_PA,
        None,
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "club"}, "body.kind"),
        ({"members": 0}, "body.members"),
        ({"members": "12"}, "body.members"),
        ({"members_female": 13}, "body.members_female"),
        ({"members_female": -1}, "body.members_female"),
        ({"established_on": "2999-01-01"}, "body.established_on"),
        ({"established_on": "08/08/2025"}, "body.established_on"),
        ({"commune_code": "3037"}, "body.commune_code"),
        ({"commune_code": "99999"}, "body.commune_code"),
        ({"name": ""}, "body.name"),
        ({"victim_name": "x"}, "body.victim_name"),
    ],
)
async def test_broken_rules_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(MODELS, json=model_body(**fields), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_access_rules(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(MODELS), 401, "unauthorized")
    assert_problem(await client.post(MODELS, json=model_body()), 401, "unauthorized")
    assert_problem(await client.post(MODELS, json=model_body(), headers=viewer()), 403, "forbidden")
    assert_problem(
        await client.post(MODELS, json=model_body(), headers=system("gender:read")),
        403,
        "forbidden",
    )
    assert_problem(await client.get(MODELS, headers=system("production:read")), 403, "forbidden")
    outside = await client.post(MODELS, json=model_body(), headers=officer(ELSEWHERE))
    assert fields_of(assert_problem(outside, 422, "validation")) == ["body.commune_code"]
    model_id = str(uuid.uuid4())
    headers = system("gender:write") | {"Idempotency-Key": "m-1"}
    first = await client.post(MODELS, json=model_body(id=model_id), headers=headers)
    again = await client.post(MODELS, json=model_body(id=model_id), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    other = await client.post(MODELS, json=model_body(id=model_id, members=3), headers=headers)
    assert_problem(other, 422, "idempotency-mismatch")
    assert_problem(
        await client.post(MODELS, json=model_body(id=model_id), headers=admin()),
        409,
        "duplicate",
    )
    assert_problem(
        await client.get(f"{MODELS}/{model_id}", headers=viewer(ELSEWHERE)), 404, "not-found"
    )
    assert_problem(await client.get(f"{MODELS}/{uuid.uuid4()}", headers=admin()), 404, "not-found")
    assert_problem(
        await client.post(MODELS, content=b"kind=x", headers=admin()),
        415,
        "unsupported-media-type",
    )


async def test_list_filters(client: httpx.AsyncClient) -> None:
    old = await create_model(client, commune_code=OLD_TA_VAN, established_on="2022-03-08")
    club = await create_model(client, kind="change_leader_club", commune_code=NEW_SA_PA)
    far = await create_model(client, commune_code=ELSEWHERE, kind="trusted_address")

    async def ids(headers: dict[str, str] | None = None, **params: str | int) -> list[str]:
        answer = await client.get(MODELS, params=params, headers=headers or admin())
        assert answer.status_code == 200, answer.text
        return [m["id"] for m in answer.json()["items"]]

    assert await ids() == [far["id"], club["id"], old["id"]]
    assert await ids(kind="change_leader_club") == [club["id"]]
    assert await ids(area_code=SA_PA) == [old["id"]]
    assert await ids(area_code=NEW_TA_VAN) == [old["id"]]
    assert await ids(area_code=OLD_TA_VAN, geography="2025-01") == [old["id"]]
    assert await ids(viewer(ELSEWHERE)) == [far["id"]]
    assert await ids(limit=2) == [far["id"], club["id"]]
    assert_problem(
        await client.get(MODELS, params={"area_code": SA_PA}, headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )
    assert_problem(
        await client.get(MODELS, params={"kind": "club"}, headers=admin()), 422, "validation"
    )
    assert_problem(
        await client.get(MODELS, params={"colour": "red"}, headers=admin()), 422, "validation"
    )
