"""Admins manage people: /api/v1/auth/users, within their own areas."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.gateway.helpers import (
    COMMUNE_A,
    COMMUNE_B,
    PASSWORD,
    admin_auth,
    assert_problem,
    auth,
    create_user,
    password_grant,
)

USERS = "/api/v1/auth/users"


def new_user(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "username": "giang",
        "password": PASSWORD,
        "full_name": "Lò Thị Giang",
        "roles": ["officer"],
        "areas": [COMMUNE_A],
    }
    body.update(overrides)
    return body


async def test_create_read_and_list_a_person(client: httpx.AsyncClient) -> None:
    answer = await client.post(USERS, json=new_user(), headers=admin_auth())
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert answer.headers["etag"] == '"1"'
    assert answer.headers["location"] == f"{USERS}/giang"
    assert created["username"] == "giang"
    assert created["full_name"] == "Lò Thị Giang"
    assert created["roles"] == ["officer"]
    assert created["areas"] == [COMMUNE_A]
    assert created["disabled"] is False
    assert created["version"] == 1
    assert created["created_by"] == "root"
    assert "password" not in created and "password_hash" not in created
    assert PASSWORD not in answer.text

    read = await client.get(f"{USERS}/GIANG", headers=admin_auth())
    assert read.status_code == 200
    assert read.headers["etag"] == '"1"'
    assert read.json() == created

    listed = await client.get(USERS, headers=admin_auth())
    assert listed.status_code == 200
    assert [u["username"] for u in listed.json()["items"]] == ["giang"]
    assert listed.json()["next_cursor"] is None


async def test_list_is_paginated_newest_first(client: httpx.AsyncClient) -> None:
    for name in ("u-one", "u-two", "u-three"):
        await create_user(client, name)
    first = (await client.get(USERS, params={"limit": 2}, headers=admin_auth())).json()
    assert [u["username"] for u in first["items"]] == ["u-three", "u-two"]
    assert first["next_cursor"]
    second = await client.get(
        USERS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=admin_auth()
    )
    assert [u["username"] for u in second.json()["items"]] == ["u-one"]
    assert second.json()["next_cursor"] is None


async def test_roles_and_areas_are_deduplicated_and_ordered(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        USERS,
        json=new_user(roles=["admin", "viewer", "admin"], areas=[COMMUNE_B, COMMUNE_A, COMMUNE_B]),
        headers=admin_auth(),
    )
    assert answer.status_code == 201
    assert answer.json()["roles"] == ["viewer", "admin"]
    assert answer.json()["areas"] == [COMMUNE_A, COMMUNE_B]


async def test_no_token_is_401(client: httpx.AsyncClient) -> None:
    for answer in (
        await client.get(USERS),
        await client.post(USERS, json=new_user()),
        await client.get(f"{USERS}/giang"),
        await client.patch(f"{USERS}/giang", json={}),
    ):
        assert_problem(answer, 401, "unauthorized")
        assert answer.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "headers",
    [
        auth(roles=("approver",)),
        auth(roles=("viewer",)),
        auth(kind="client", scopes=("housing:read", "housing:write")),
    ],
    ids=["approver", "viewer", "client"],
)
async def test_only_admins_manage_people(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    await create_user(client, "giang")
    for answer in (
        await client.get(USERS, headers=headers),
        await client.post(USERS, json=new_user(username="other"), headers=headers),
        await client.get(f"{USERS}/giang", headers=headers),
        await client.patch(f"{USERS}/giang", json={}, headers={**headers, "If-Match": '"1"'}),
    ):
        assert_problem(answer, 403, "forbidden")
    assert (await client.get(f"{USERS}/other", headers=admin_auth())).status_code == 404


async def test_area_admin_sees_only_people_inside_its_areas(client: httpx.AsyncClient) -> None:
    await create_user(client, "in-a", areas=(COMMUNE_A,))
    await create_user(client, "in-b", areas=(COMMUNE_B,))
    await create_user(client, "in-a-and-b", areas=(COMMUNE_A, COMMUNE_B))
    await create_user(client, "province", areas=("15",))
    local = admin_auth(areas=(COMMUNE_A,), subject="local-admin")

    listed = await client.get(USERS, headers=local)
    assert [u["username"] for u in listed.json()["items"]] == ["in-a"]
    assert (await client.get(f"{USERS}/in-a", headers=local)).status_code == 200
    for name in ("in-b", "in-a-and-b", "province"):
        assert_problem(await client.get(f"{USERS}/{name}", headers=local), 404, "not-found")
        patch = await client.patch(
            f"{USERS}/{name}", json={"disabled": True}, headers={**local, "If-Match": '"1"'}
        )
        assert_problem(patch, 404, "not-found")
    # Nothing changed for the people it could not see.
    province = await client.get(f"{USERS}/province", headers=admin_auth())
    assert province.json()["disabled"] is False

    both = admin_auth(areas=(COMMUNE_A, COMMUNE_B))
    names = {u["username"] for u in (await client.get(USERS, headers=both)).json()["items"]}
    assert names == {"in-a", "in-b", "in-a-and-b"}


async def test_area_admin_grants_only_areas_inside_its_own(client: httpx.AsyncClient) -> None:
    local = admin_auth(areas=(COMMUNE_A,), subject="local-admin")
    for areas in ([COMMUNE_B], [COMMUNE_A, COMMUNE_B], ["15"]):
        answer = await client.post(USERS, json=new_user(areas=areas), headers=local)
        body = assert_problem(answer, 422, "validation")
        assert body["errors"][0]["field"] == "body.areas"
    ok = await client.post(USERS, json=new_user(areas=[COMMUNE_A]), headers=local)
    assert ok.status_code == 201
    widen = await client.patch(
        f"{USERS}/giang",
        json={"areas": [COMMUNE_A, COMMUNE_B]},
        headers={**local, "If-Match": '"1"'},
    )
    assert_problem(widen, 422, "validation")
    assert (await client.get(f"{USERS}/giang", headers=local)).json()["areas"] == [COMMUNE_A]


async def test_duplicate_username_is_409(client: httpx.AsyncClient) -> None:
    await create_user(client, "giang")
    answer = await client.post(USERS, json=new_user(username="Giang"), headers=admin_auth())
    assert_problem(answer, 409, "duplicate")


async def test_duplicate_client_made_id_is_409(client: httpx.AsyncClient) -> None:
    body = new_user(id="4f6c7a0e-5d0b-4a55-9d1e-0a6b8f6f2b11")
    assert (await client.post(USERS, json=body, headers=admin_auth())).status_code == 201
    again = await client.post(USERS, json={**body, "username": "other"}, headers=admin_auth())
    assert_problem(again, 409, "duplicate")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "short pw"}, "body.password"),
        ({"roles": ["superuser"]}, "body.roles.0"),
        ({"roles": []}, "body.roles"),
        ({"areas": ["99999"]}, "body.areas.0"),
        ({"areas": []}, "body.areas"),
        ({"username": "x"}, "body.username"),
        ({"username": "has space"}, "body.username"),
        ({"is_superuser": True}, "body.is_superuser"),
    ],
)
async def test_invalid_person_is_422(
    client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    answer = await client.post(USERS, json=new_user(**change), headers=admin_auth())
    body = assert_problem(answer, 422, "validation")
    assert field in [e["field"] for e in body["errors"]]
    assert "short pw" not in answer.text  # the password is never echoed


async def test_unknown_query_parameter_is_422(client: httpx.AsyncClient) -> None:
    answer = await client.get(USERS, params={"role": "admin"}, headers=admin_auth())
    assert_problem(answer, 422, "validation")


async def test_patch_needs_the_current_version(client: httpx.AsyncClient) -> None:
    await create_user(client, "giang")
    missing = await client.patch(f"{USERS}/giang", json={"roles": ["viewer"]}, headers=admin_auth())
    assert_problem(missing, 428, "precondition-required")
    ok = await client.patch(
        f"{USERS}/giang", json={"roles": ["viewer"]}, headers={**admin_auth(), "If-Match": '"1"'}
    )
    assert ok.status_code == 200
    assert ok.headers["etag"] == '"2"'
    assert ok.json()["roles"] == ["viewer"] and ok.json()["version"] == 2
    stale = await client.patch(
        f"{USERS}/giang", json={"roles": ["admin"]}, headers={**admin_auth(), "If-Match": '"1"'}
    )
    assert_problem(stale, 412, "precondition-failed")
    assert (await client.get(f"{USERS}/giang", headers=admin_auth())).json()["roles"] == ["viewer"]


@pytest.mark.parametrize(
    "change",
    [{"password": "short"}, {"roles": ["root"]}, {"disabled": None}, {"nickname": "g"}],
)
async def test_invalid_patch_is_422(client: httpx.AsyncClient, change: dict[str, Any]) -> None:
    await create_user(client, "giang")
    answer = await client.patch(
        f"{USERS}/giang", json=change, headers={**admin_auth(), "If-Match": '"1"'}
    )
    assert_problem(answer, 422, "validation")


async def test_unknown_person_is_404(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(f"{USERS}/ghost", headers=admin_auth()), 404, "not-found")
    answer = await client.patch(
        f"{USERS}/ghost", json={"disabled": True}, headers={**admin_auth(), "If-Match": '"1"'}
    )
    assert_problem(answer, 404, "not-found")


async def test_create_is_replayed_for_a_repeated_idempotency_key(
    client: httpx.AsyncClient,
) -> None:
    headers = {**admin_auth(), "Idempotency-Key": "make-giang"}
    first = await client.post(USERS, json=new_user(), headers=headers)
    again = await client.post(USERS, json=new_user(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    other = await client.post(USERS, json=new_user(username="someone"), headers=headers)
    assert_problem(other, 422, "idempotency-mismatch")


async def test_audit_records_changes_but_never_passwords(client: httpx.AsyncClient) -> None:
    await create_user(client, "giang", areas=(COMMUNE_A,))
    new_password = "a secret nobody may read"
    patched = await client.patch(
        f"{USERS}/giang",
        json={"password": new_password, "roles": ["approver"]},
        headers={**admin_auth(), "If-Match": '"1"'},
        # a request id the audit entry must carry
    )
    assert patched.status_code == 200
    trail = await client.get(
        "/api/v1/auth/audit", params={"entity_type": "user"}, headers=admin_auth()
    )
    assert trail.status_code == 200
    entries = trail.json()["items"]
    assert [e["action"] for e in entries] == ["update", "create"]
    update, create = entries
    assert update["actor"] == "person:root"
    assert update["changes"]["roles"] == [["officer"], ["approver"]]
    assert update["changes"]["password"] == "changed"
    assert create["changes"]["username"] == [None, "giang"]
    assert update["request_id"] == patched.headers["x-request-id"]
    assert PASSWORD not in trail.text and new_password not in trail.text
    assert "argon2" not in trail.text


async def test_disabled_person_is_refused_and_re_enabled_signs_in(
    client: httpx.AsyncClient,
) -> None:
    await create_user(client, "giang")
    off = await client.patch(
        f"{USERS}/giang", json={"disabled": True}, headers={**admin_auth(), "If-Match": '"1"'}
    )
    assert off.status_code == 200
    assert (await password_grant(client, "giang")).status_code == 400
    on = await client.patch(
        f"{USERS}/giang", json={"disabled": False}, headers={**admin_auth(), "If-Match": '"2"'}
    )
    assert on.status_code == 200
    assert (await password_grant(client, "giang")).status_code == 200
