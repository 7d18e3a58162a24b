"""`/api/v1/webhooks`: who subscribes, reads, changes and deletes subscriptions, and every
refusal (401, 403, 404 outside the owner's reach, 409, 412, 415, 422, 428)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.gateway.helpers import (
    COMMUNE_A,
    PUBLIC_HOOK,
    GatewayClient,
    admin_auth,
    assert_problem,
    auth,
    create_client,
    create_webhook,
)


def as_client(system: dict[str, Any]) -> dict[str, str]:
    """The bearer header of a client token as the gateway would grant it."""
    return auth(
        subject=system["client_id"],
        kind="client",
        scopes=system["scopes"],
        areas=system["areas"],
    )


@pytest.fixture
async def system(client: httpx.AsyncClient) -> dict[str, Any]:
    return await create_client(client, scopes=("housing:read", "labour:read"))


async def test_a_client_subscribes_for_itself_and_sees_the_secret_once(
    client: httpx.AsyncClient, system: dict[str, Any]
) -> None:
    me = as_client(system)
    made = await client.post(
        "/api/v1/webhooks",
        json={"url": PUBLIC_HOOK, "services": ["labour", "housing"], "description": "Sở LĐTBXH"},
        headers=me,
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["secret"].startswith("whsec_")
    assert body["client_id"] == system["client_id"]
    assert body["services"] == ["housing", "labour"]  # the registry's order
    assert body["resources"] is None and body["disabled"] is False
    assert made.headers["location"] == f"/api/v1/webhooks/{body['id']}"
    assert made.headers["cache-control"] == "no-store"

    read = await client.get(made.headers["location"], headers=me)
    assert read.status_code == 200 and read.headers["etag"] == '"1"'
    assert "secret" not in read.json()
    listed = await client.get("/api/v1/webhooks", headers=me)
    assert [w["id"] for w in listed.json()["items"]] == [body["id"]]
    assert "secret" not in listed.json()["items"][0]
    # The admin of the province sees it too; the audit trail says the secret was set, never it.
    assert (await client.get(made.headers["location"], headers=admin_auth())).status_code == 200
    audit = await client.get(
        "/api/v1/auth/audit",
        params={"entity_type": "webhook", "entity_id": body["id"]},
        headers=admin_auth(),
    )
    assert audit.status_code == 200, audit.text
    assert body["secret"] not in audit.text


async def test_an_admin_subscribes_a_client_naming_it(
    client: httpx.AsyncClient, system: dict[str, Any]
) -> None:
    made = await create_webhook(client, system["client_id"], resources=["cases", "cases"])
    assert made["client_id"] == system["client_id"] and made["resources"] == ["cases"]
    mine = await client.get("/api/v1/webhooks", headers=as_client(system))
    assert [w["id"] for w in mine.json()["items"]] == [made["id"]]

    missing = await client.post(
        "/api/v1/webhooks", json={"url": PUBLIC_HOOK, "services": ["housing"]}, headers=admin_auth()
    )
    assert assert_problem(missing, 422, "validation")["errors"][0]["field"] == "body.client_id"
    unknown = await client.post(
        "/api/v1/webhooks",
        json={"url": PUBLIC_HOOK, "services": ["housing"], "client_id": "mtqg-nobody"},
        headers=admin_auth(),
    )
    assert assert_problem(unknown, 422, "validation")["errors"][0]["code"] == "not_found"


async def test_who_may_not(client: httpx.AsyncClient, system: dict[str, Any]) -> None:
    body = {"url": PUBLIC_HOOK, "services": ["housing"]}
    assert_problem(await client.post("/api/v1/webhooks", json=body), 401, "unauthorized")
    assert_problem(await client.get("/api/v1/webhooks"), 401, "unauthorized")
    officer = auth(subject="lan", roles=("officer",))
    assert_problem(await client.get("/api/v1/webhooks", headers=officer), 403, "forbidden")
    assert_problem(
        await client.post("/api/v1/webhooks", json=body, headers=officer), 403, "forbidden"
    )
    other = await create_client(client, name="Another system")
    stolen = await client.post(
        "/api/v1/webhooks",
        json={**body, "client_id": other["client_id"]},
        headers=as_client(system),
    )
    assert_problem(stolen, 403, "forbidden")


async def test_someone_elses_subscription_does_not_exist(
    client: httpx.AsyncClient, system: dict[str, Any]
) -> None:
    made = await create_webhook(client, system["client_id"])
    path = f"/api/v1/webhooks/{made['id']}"
    other = as_client(await create_client(client, name="Another system"))
    # An admin of one commune does not reach a client of the whole province.
    commune_admin = admin_auth(areas=(COMMUNE_A,), subject="commune-admin")
    for who in (other, commune_admin):
        assert_problem(await client.get(path, headers=who), 404, "not-found")
        assert_problem(await client.get(f"{path}/deliveries", headers=who), 404, "not-found")
        patched = await client.patch(
            path, json={"disabled": True}, headers={**who, "If-Match": '"1"'}
        )
        assert_problem(patched, 404, "not-found")
        assert_problem(await client.delete(path, headers=who), 404, "not-found")
        replayed = await client.post(
            f"{path}/replay", json={"service": "housing", "after": 0}, headers=who
        )
        assert_problem(replayed, 404, "not-found")
        assert (await client.get("/api/v1/webhooks", headers=who)).json()["items"] == []
    missing = f"/api/v1/webhooks/{uuid.uuid4()}"
    assert_problem(await client.get(missing, headers=admin_auth()), 404, "not-found")
    assert_problem(
        await client.get("/api/v1/webhooks/not-a-uuid", headers=admin_auth()), 422, "validation"
    )


async def test_patch_needs_the_current_version(
    client: httpx.AsyncClient, system: dict[str, Any]
) -> None:
    made = await create_webhook(client, system["client_id"])
    path = f"/api/v1/webhooks/{made['id']}"
    me = as_client(system)
    assert_problem(
        await client.patch(path, json={"disabled": True}, headers=me), 428, "precondition-required"
    )
    changed = await client.patch(path, json={"disabled": True}, headers={**me, "If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    assert changed.json()["disabled"] is True and changed.json()["disabled_at"] is not None
    assert changed.headers["etag"] == '"2"'
    stale = await client.patch(path, json={"disabled": False}, headers={**me, "If-Match": '"1"'})
    assert assert_problem(stale, 412, "precondition-failed")
    assert stale.headers["etag"] == '"2"'
    rotated = await client.patch(
        path, json={"rotate_secret": True, "disabled": False}, headers={**me, "If-Match": '"2"'}
    )
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != made["secret"]
    assert rotated.json()["disabled"] is False and rotated.json()["disabled_at"] is None
    moved = await client.patch(
        path, json={"url": "https://93.184.216.35/other"}, headers={**me, "If-Match": '"3"'}
    )
    assert moved.json()["url"] == "https://93.184.216.35/other"
    assert "secret" not in moved.json()


async def test_delete(client: httpx.AsyncClient, system: dict[str, Any]) -> None:
    made = await create_webhook(client, system["client_id"])
    path = f"/api/v1/webhooks/{made['id']}"
    me = as_client(system)
    gone = await client.delete(path, headers=me)
    assert gone.status_code == 204 and gone.content == b""
    assert_problem(await client.get(path, headers=me), 404, "not-found")
    assert_problem(await client.delete(path, headers=me), 404, "not-found")


async def test_bodies_that_are_refused(client: httpx.AsyncClient, system: dict[str, Any]) -> None:
    me = as_client(system)
    not_json = await client.post(
        "/api/v1/webhooks", content=b"url=x", headers={**me, "Content-Type": "text/plain"}
    )
    assert_problem(not_json, 415, "unsupported-media-type")
    for body, field in (
        ({"url": PUBLIC_HOOK, "services": ["housing"], "colour": "red"}, "body.colour"),
        ({"url": PUBLIC_HOOK, "services": []}, "body.services"),
        ({"url": PUBLIC_HOOK, "services": ["weather"]}, "body.services.0"),
        # The client holds housing:read and labour:read, not production:read.
        ({"url": PUBLIC_HOOK, "services": ["production"]}, "body.services"),
        (
            {"url": PUBLIC_HOOK, "services": ["housing"], "resources": ["Cases!"]},
            "body.resources.0",
        ),
        ({"url": "ftp://93.184.216.34/x", "services": ["housing"]}, "body.url"),
        ({"url": "https://user:pw@93.184.216.34/x", "services": ["housing"]}, "body.url"),
    ):
        answer = await client.post("/api/v1/webhooks", json=body, headers=me)
        problem = assert_problem(answer, 422, "validation")
        assert [e["field"] for e in problem["errors"]] == [field], answer.text
    made = await create_webhook(client, system["client_id"])
    replay = await client.post(
        f"/api/v1/webhooks/{made['id']}/replay",
        json={"service": "labour", "after": 0},
        headers=me,
    )
    assert assert_problem(replay, 422, "validation")["errors"][0]["field"] == "body.service"
    negative = await client.post(
        f"/api/v1/webhooks/{made['id']}/replay",
        json={"service": "housing", "after": -1},
        headers=me,
    )
    assert_problem(negative, 422, "validation")


async def test_a_repeated_create_is_never_replayed(
    client: httpx.AsyncClient, system: dict[str, Any]
) -> None:
    me = {**as_client(system), "Idempotency-Key": "f6a1c2c0-hook"}
    body = {"url": PUBLIC_HOOK, "services": ["housing"]}
    first = await client.post("/api/v1/webhooks", json=body, headers=me)
    assert first.status_code == 201
    again = await client.post("/api/v1/webhooks", json=body, headers=me)
    assert_problem(again, 409, "duplicate")
    listed = await client.get("/api/v1/webhooks", headers=as_client(system))
    assert len(listed.json()["items"]) == 1


async def test_refusals_are_worded_in_vietnamese_by_default(
    gateway_client: GatewayClient,
) -> None:
    async with gateway_client() as client:
        system = await create_client(client)
        answer = await client.post(
            "/api/v1/webhooks",
            json={"url": "https://127.0.0.1/hook", "services": ["housing"]},
            headers={**as_client(system), "Accept-Language": "vi"},
        )
    problem = assert_problem(answer, 422, "validation")
    assert problem["errors"][0]["message"] == (
        "trỏ tới địa chỉ nội bộ (loopback, mạng riêng, link-local); không được phép"
    )
    assert answer.headers["content-language"] == "vi"
