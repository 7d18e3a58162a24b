"""Processing facilities through the API."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.production.helpers import (
    API,
    BAO_YEN,
    ELSEWHERE,
    NEW_BAO_HA,
    NEW_NGHIA_DO,
    OLD_KIM_SON,
    admin,
    assert_problem,
    audit_of,
    create_facility,
    days_ago,
    facility_body,
    fields_of,
    officer,
    system,
    viewer,
)

FACILITIES = f"{API}/facilities"


async def test_record_read_and_change_a_facility(client: httpx.AsyncClient) -> None:
    facility = await create_facility(client, headers=officer(NEW_NGHIA_DO))
    assert facility["commune_code"] == NEW_NGHIA_DO
    assert facility["geography"] == "2025-07"
    assert facility["products"] == ["tinh dầu quế", "quế thanh"]
    path = f"{FACILITIES}/{facility['id']}"
    one = await client.get(path, headers=viewer(NEW_NGHIA_DO))
    assert (one.json(), one.headers["etag"]) == (facility, '"1"')
    changed = await client.patch(
        path, json={"jobs": 40, "products": ["tinh dầu quế"]}, headers=admin() | {"If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["jobs"], changed.headers["etag"]) == (40, '"2"')
    assert_problem(
        await client.patch(path, json={"jobs": 1}, headers=admin()), 428, "precondition-required"
    )
    assert_problem(
        await client.patch(path, json={"jobs": 1}, headers=admin() | {"If-Match": '"1"'}),
        412,
        "precondition-failed",
    )
    assert_problem(
        await client.patch(
            path, json={"jobs": 1}, headers=officer(ELSEWHERE) | {"If-Match": '"2"'}
        ),
        404,
        "not-found",
    )
    assert_problem(
        await client.patch(path, json={"jobs": 1}, headers=viewer() | {"If-Match": '"2"'}),
        403,
        "forbidden",
    )
    trail = await audit_of(client, "facility", facility["id"])
    assert trail[0]["changes"]["jobs"] == [25, 40]


async def test_an_old_facility_is_placed_by_its_date(client: httpx.AsyncClient) -> None:
    old = await create_facility(client, commune_code=OLD_KIM_SON, established_on="2019-05-01")
    assert (old["commune_code"], old["legacy_commune_code"], old["legacy_district_code"]) == (
        NEW_BAO_HA,
        OLD_KIM_SON,
        BAO_YEN,
    )
    assert old["geography"] == "2025-01"
    undated = await client.post(
        FACILITIES, json=facility_body(commune_code=OLD_KIM_SON), headers=admin()
    )
    assert fields_of(assert_problem(undated, 422, "validation")) == ["body.commune_code"]
    moved = await client.patch(
        f"{FACILITIES}/{old['id']}",
        json={"commune_code": NEW_NGHIA_DO, "geography": "2025-07"},
        headers=admin() | {"If-Match": '"1"'},
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["commune_code"], moved.json()["legacy_commune_code"]) == (
        NEW_NGHIA_DO,
        None,
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "state"}, "body.kind"),
        ({"jobs": -1}, "body.jobs"),
        ({"jobs": "3"}, "body.jobs"),
        ({"products": "quế"}, "body.products"),
        ({"products": [""]}, "body.products.0"),
        ({"established_on": "2999-01-01"}, "body.established_on"),
        ({"commune_code": "2953"}, "body.commune_code"),
        ({"name": ""}, "body.name"),
    ],
)
async def test_broken_rules_are_422(
    client: httpx.AsyncClient, fields: dict[str, Any], field: str
) -> None:
    answer = await client.post(FACILITIES, json=facility_body(**fields), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_access_rules(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(FACILITIES), 401, "unauthorized")
    assert_problem(
        await client.post(FACILITIES, json=facility_body(), headers=viewer()), 403, "forbidden"
    )
    assert_problem(
        await client.post(FACILITIES, json=facility_body(), headers=system("production:read")),
        403,
        "forbidden",
    )
    outside = await client.post(FACILITIES, json=facility_body(), headers=officer(ELSEWHERE))
    assert fields_of(assert_problem(outside, 422, "validation")) == ["body.commune_code"]
    facility_id = str(uuid.uuid4())
    headers = system("production:write") | {"Idempotency-Key": "f-1"}
    first = await client.post(FACILITIES, json=facility_body(id=facility_id), headers=headers)
    again = await client.post(FACILITIES, json=facility_body(id=facility_id), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert_problem(
        await client.post(FACILITIES, json=facility_body(id=facility_id), headers=admin()),
        409,
        "duplicate",
    )
    assert_problem(
        await client.get(f"{FACILITIES}/{facility_id}", headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )
    assert_problem(
        await client.get(f"{FACILITIES}/{uuid.uuid4()}", headers=admin()), 404, "not-found"
    )


async def test_list_filters(client: httpx.AsyncClient) -> None:
    old = await create_facility(client, commune_code=OLD_KIM_SON, established_on=days_ago(3000))
    new = await create_facility(client, kind="enterprise")
    far = await create_facility(client, commune_code=ELSEWHERE, kind="household")

    async def ids(headers: dict[str, str] | None = None, **params: str | int) -> list[str]:
        answer = await client.get(FACILITIES, params=params, headers=headers or admin())
        assert answer.status_code == 200, answer.text
        return [f["id"] for f in answer.json()["items"]]

    assert await ids() == [far["id"], new["id"], old["id"]]
    assert await ids(kind="enterprise") == [new["id"]]
    assert await ids(area_code=BAO_YEN) == [old["id"]]
    assert await ids(area_code=NEW_BAO_HA) == [old["id"]]
    assert await ids(area_code=OLD_KIM_SON, geography="2025-01") == [old["id"]]
    assert await ids(viewer(ELSEWHERE)) == [far["id"]]
    assert_problem(
        await client.get(FACILITIES, params={"area_code": BAO_YEN}, headers=viewer(ELSEWHERE)),
        404,
        "not-found",
    )
