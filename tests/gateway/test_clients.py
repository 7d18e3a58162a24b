"""Admins manage system clients: /api/v1/auth/clients; the secret is shown once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from gateway.identity.tokens import sha256_hex
from gateway.models import Client, audit_log
from mtqg_shared.db import Database
from tests.gateway.helpers import (
    COMMUNE_A,
    COMMUNE_B,
    admin_auth,
    assert_problem,
    auth,
    basic,
    create_client,
)

CLIENTS = "/api/v1/auth/clients"


def new_client(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Ministry of Labour exchange",
        "scopes": ["labour:read"],
        "areas": [COMMUNE_A],
    }
    body.update(overrides)
    return body


async def client_token(client: httpx.AsyncClient, client_id: str, secret: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(client_id, secret),
    )


async def test_secret_is_shown_once_and_kept_only_as_a_hash(
    client: httpx.AsyncClient, gateway_db: Database
) -> None:
    answer = await client.post(CLIENTS, json=new_client(), headers=admin_auth())
    assert answer.status_code == 201, answer.text
    assert answer.headers["cache-control"] == "no-store"
    made = answer.json()
    secret = made["client_secret"]
    assert len(secret) >= 43  # 32 random bytes
    assert made["client_id"] and made["scopes"] == ["labour:read"]
    assert made["areas"] == [COMMUNE_A] and made["version"] == 1

    read = await client.get(f"{CLIENTS}/{made['client_id']}", headers=admin_auth())
    assert read.status_code == 200 and read.headers["etag"] == '"1"'
    assert "client_secret" not in read.json() and secret not in read.text
    listed = await client.get(CLIENTS, headers=admin_auth())
    assert [c["client_id"] for c in listed.json()["items"]] == [made["client_id"]]
    assert secret not in listed.text

    async with gateway_db.session() as session:
        stored = (await session.scalars(select(Client))).one()
        audit = (await session.execute(select(audit_log.c.changes))).scalars().all()
    assert stored.secret_hash == sha256_hex(secret) and secret not in stored.secret_hash
    assert all(secret not in str(changes) for changes in audit)
    assert (await client_token(client, made["client_id"], secret)).status_code == 200


async def test_create_is_never_replayed(client: httpx.AsyncClient) -> None:
    headers = {**admin_auth(), "Idempotency-Key": "client-once"}
    first = await client.post(CLIENTS, json=new_client(), headers=headers)
    assert first.status_code == 201
    again = await client.post(CLIENTS, json=new_client(), headers=headers)
    assert_problem(again, 409, "duplicate")
    assert first.json()["client_secret"] not in again.text
    listed = await client.get(CLIENTS, headers=admin_auth())
    assert len(listed.json()["items"]) == 1  # and nothing more was made


async def test_rotating_the_secret_shows_the_new_one_once(client: httpx.AsyncClient) -> None:
    made = await create_client(client)
    rotated = await client.patch(
        f"{CLIENTS}/{made['client_id']}",
        json={"rotate_secret": True},
        headers={**admin_auth(), "If-Match": '"1"'},
    )
    assert rotated.status_code == 200, rotated.text
    assert rotated.headers["etag"] == '"2"'
    assert rotated.headers["cache-control"] == "no-store"
    new_secret = rotated.json()["client_secret"]
    assert new_secret != made["client_secret"]
    old = await client_token(client, made["client_id"], made["client_secret"])
    assert assert_problem(old, 401, "unauthorized")["error"] == "invalid_client"
    assert (await client_token(client, made["client_id"], new_secret)).status_code == 200
    plain = await client.patch(
        f"{CLIENTS}/{made['client_id']}",
        json={"name": "Renamed"},
        headers={**admin_auth(), "If-Match": '"2"'},
    )
    assert plain.status_code == 200
    assert "client_secret" not in plain.json()
    assert plain.json()["name"] == "Renamed"


async def test_changed_scopes_apply_to_the_next_token(client: httpx.AsyncClient) -> None:
    made = await create_client(client, scopes=("housing:read",))
    patched = await client.patch(
        f"{CLIENTS}/{made['client_id']}",
        json={"scopes": ["production:write", "production:read"], "areas": [COMMUNE_B]},
        headers={**admin_auth(), "If-Match": '"1"'},
    )
    assert patched.status_code == 200
    assert patched.json()["scopes"] == ["production:read", "production:write"]
    token = await client_token(client, made["client_id"], made["client_secret"])
    assert token.json()["scope"] == "production:read production:write"


@pytest.mark.parametrize(
    "headers",
    [auth(roles=("officer",)), auth(kind="client", scopes=("labour:write",))],
    ids=["officer", "client"],
)
async def test_only_admins_manage_clients(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    made = await create_client(client)
    for answer in (
        await client.post(CLIENTS, json=new_client(), headers=headers),
        await client.get(CLIENTS, headers=headers),
        await client.get(f"{CLIENTS}/{made['client_id']}", headers=headers),
        await client.patch(
            f"{CLIENTS}/{made['client_id']}",
            json={"rotate_secret": True},
            headers={**headers, "If-Match": '"1"'},
        ),
    ):
        assert_problem(answer, 403, "forbidden")
    assert_problem(await client.get(CLIENTS), 401, "unauthorized")


async def test_area_admin_sees_only_clients_inside_its_areas(client: httpx.AsyncClient) -> None:
    inside = await create_client(client, areas=(COMMUNE_A,), name="inside")
    outside = await create_client(client, areas=("15",), name="outside")
    local = admin_auth(areas=(COMMUNE_A,))
    listed = await client.get(CLIENTS, headers=local)
    assert [c["name"] for c in listed.json()["items"]] == ["inside"]
    assert (await client.get(f"{CLIENTS}/{inside['client_id']}", headers=local)).status_code == 200
    assert_problem(
        await client.get(f"{CLIENTS}/{outside['client_id']}", headers=local), 404, "not-found"
    )
    rotate = await client.patch(
        f"{CLIENTS}/{outside['client_id']}",
        json={"rotate_secret": True},
        headers={**local, "If-Match": '"1"'},
    )
    assert_problem(rotate, 404, "not-found")
    # The secret it could not see still works.
    assert (
        await client_token(client, outside["client_id"], outside["client_secret"])
    ).status_code == 200
    grant = await client.post(CLIENTS, json=new_client(areas=[COMMUNE_B]), headers=local)
    assert_problem(grant, 422, "validation")


@pytest.mark.parametrize(
    "change",
    [
        {"scopes": ["housing:admin"]},
        {"scopes": []},
        {"areas": ["10"]},
        {"name": ""},
        {"secret": "chosen by me"},
    ],
)
async def test_invalid_client_is_422(client: httpx.AsyncClient, change: dict[str, Any]) -> None:
    answer = await client.post(CLIENTS, json=new_client(**change), headers=admin_auth())
    assert_problem(answer, 422, "validation")


async def test_patch_needs_if_match(client: httpx.AsyncClient) -> None:
    made = await create_client(client)
    url = f"{CLIENTS}/{made['client_id']}"
    assert_problem(
        await client.patch(url, json={"disabled": True}, headers=admin_auth()),
        428,
        "precondition-required",
    )
    assert_problem(
        await client.patch(
            url, json={"disabled": True}, headers={**admin_auth(), "If-Match": '"7"'}
        ),
        412,
        "precondition-failed",
    )
    assert (await client.get(url, headers=admin_auth())).json()["disabled"] is False
