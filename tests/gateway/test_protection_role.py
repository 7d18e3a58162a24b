"""The `protection` role: held beside a ranked role, granted only by an admin whose areas cover
the person's, never to a client; it reaches the person's tokens and the services' principals."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mtqg_shared.auth import PROTECTION, principal_from_claims
from tests.gateway.helpers import (
    COMMUNE_A,
    COMMUNE_B,
    PASSWORD,
    admin_auth,
    assert_problem,
    auth,
    create_client,
    create_user,
    password_grant,
    refresh_grant,
)
from tests.gateway.test_tokens import claims_of

USERS = "/api/v1/auth/users"
CLIENTS = "/api/v1/auth/clients"


def person(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "username": "mai",
        "password": PASSWORD,
        "roles": ["officer", "protection"],
        "areas": [COMMUNE_A],
    }
    return body | overrides


async def test_granted_beside_a_role_it_reaches_the_token_and_the_principal(
    client: httpx.AsyncClient,
) -> None:
    made = await client.post(
        USERS, json=person(roles=["protection", "viewer"]), headers=admin_auth()
    )
    assert made.status_code == 201, made.text
    assert made.json()["roles"] == ["viewer", "protection"]
    signed_in = await password_grant(client, "mai")
    assert signed_in.status_code == 200, signed_in.text
    claims = claims_of(signed_in.json()["access_token"])
    assert claims["roles"] == ["viewer", "protection"]
    principal = principal_from_claims(claims)
    assert principal.holds(PROTECTION)
    # Beside, not above: it adds no rank.
    assert principal.has_role("viewer") and not principal.has_role("officer")


async def test_revoked_it_leaves_the_next_token(client: httpx.AsyncClient) -> None:
    await client.post(USERS, json=person(), headers=admin_auth())
    before = (await password_grant(client, "mai")).json()["refresh_token"]
    revoked = await client.patch(
        f"{USERS}/mai", json={"roles": ["officer"]}, headers=admin_auth() | {"If-Match": '"1"'}
    )
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["roles"] == ["officer"]
    claims = claims_of((await password_grant(client, "mai")).json()["access_token"])
    assert claims["roles"] == ["officer"]
    assert not principal_from_claims(claims).holds(PROTECTION)
    # A refresh token from before the revoke renews nothing.
    stale = await refresh_grant(client, before)
    assert stale.status_code == 400 and stale.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("roles", [["protection"], ["protection", "protection"]])
async def test_alone_it_is_422_with_a_code(client: httpx.AsyncClient, roles: list[str]) -> None:
    answer = await client.post(USERS, json=person(roles=roles), headers=admin_auth())
    body = assert_problem(answer, 422, "validation")
    (error,) = body["errors"]
    assert error["field"] == "body.roles"
    assert error["code"] == "invalid_choice"
    assert "never alone" in error["message"]
    assert (await client.get(f"{USERS}/mai", headers=admin_auth())).status_code == 404


async def test_a_patch_leaving_it_alone_is_422(client: httpx.AsyncClient) -> None:
    await client.post(USERS, json=person(), headers=admin_auth())
    answer = await client.patch(
        f"{USERS}/mai", json={"roles": ["protection"]}, headers=admin_auth() | {"If-Match": '"1"'}
    )
    body = assert_problem(answer, 422, "validation")
    assert body["errors"][0]["code"] == "invalid_choice"
    kept = await client.get(f"{USERS}/mai", headers=admin_auth())
    assert kept.json()["roles"] == ["officer", "protection"]


async def test_an_area_admin_grants_it_only_inside_its_areas(client: httpx.AsyncClient) -> None:
    local = admin_auth(areas=(COMMUNE_A,), subject="local-admin")
    for areas in ([COMMUNE_B], [COMMUNE_A, COMMUNE_B], ["15"]):
        refused = await client.post(USERS, json=person(areas=areas), headers=local)
        body = assert_problem(refused, 403, "forbidden")
        assert "protection" in body["detail"]
    # The same person without the role is the area rule's 422, as before.
    plain = await client.post(
        USERS, json=person(roles=["officer"], areas=[COMMUNE_B]), headers=local
    )
    assert_problem(plain, 422, "validation")

    inside = await client.post(USERS, json=person(), headers=local)
    assert inside.status_code == 201, inside.text
    # A holder's areas are not widened past the admin's either, nor given to a wider person.
    widen = await client.patch(
        f"{USERS}/mai", json={"areas": [COMMUNE_A, COMMUNE_B]}, headers=local | {"If-Match": '"1"'}
    )
    assert_problem(widen, 403, "forbidden")
    await create_user(client, "wide", areas=(COMMUNE_A, COMMUNE_B))
    both = admin_auth(areas=(COMMUNE_A, COMMUNE_B), subject="both-admin")
    granted = await client.patch(
        f"{USERS}/wide",
        json={"roles": ["officer", "protection"]},
        headers=both | {"If-Match": '"1"'},
    )
    assert granted.status_code == 200, granted.text
    # The narrower admin cannot even see that person (404 as for any account outside).
    hidden = await client.patch(
        f"{USERS}/wide", json={"roles": ["officer"]}, headers=local | {"If-Match": '"2"'}
    )
    assert_problem(hidden, 404, "not-found")
    assert (await client.get(f"{USERS}/mai", headers=admin_auth())).json()["areas"] == [COMMUNE_A]


async def test_only_admins_grant_it(client: httpx.AsyncClient) -> None:
    await create_user(client, "mai", roles=("officer",))
    for headers in (
        auth(roles=("approver", "protection")),
        auth(kind="client", scopes=("housing:write",)),
    ):
        answer = await client.patch(
            f"{USERS}/mai",
            json={"roles": ["officer", "protection"]},
            headers=headers | {"If-Match": '"1"'},
        )
        assert_problem(answer, 403, "forbidden")
    assert (await client.get(f"{USERS}/mai", headers=admin_auth())).json()["roles"] == ["officer"]


async def test_grant_and_revoke_are_audited(client: httpx.AsyncClient) -> None:
    await create_user(client, "mai", roles=("officer",), areas=(COMMUNE_A,))
    granted = await client.patch(
        f"{USERS}/mai",
        json={"roles": ["officer", "protection"]},
        headers=admin_auth() | {"If-Match": '"1"'},
    )
    revoked = await client.patch(
        f"{USERS}/mai", json={"roles": ["officer"]}, headers=admin_auth() | {"If-Match": '"2"'}
    )
    assert granted.status_code == revoked.status_code == 200
    trail = await client.get(
        "/api/v1/auth/audit", params={"entity_type": "user"}, headers=admin_auth()
    )
    changes = [e["changes"].get("roles") for e in trail.json()["items"]]
    assert changes[:2] == [
        [["officer", "protection"], ["officer"]],
        [["officer"], ["officer", "protection"]],
    ]


async def test_a_client_never_carries_it(client: httpx.AsyncClient) -> None:
    for scopes in (["protection"], ["gender:read", "protection"]):
        made = await client.post(
            CLIENTS, json={"name": "App", "scopes": scopes, "areas": ["15"]}, headers=admin_auth()
        )
        assert_problem(made, 422, "validation")
    registered = await create_client(client, scopes=("housing:read",))
    asked = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": registered["client_id"],
            "client_secret": registered["client_secret"],
            "scope": "housing:read protection",
        },
    )
    assert asked.status_code == 400
    assert asked.json()["error"] == "invalid_scope"
    # Roles in a client's token grant nothing.
    forged = principal_from_claims(
        {"sub": "app", "kind": "client", "roles": ["admin", "protection"], "scope": ""}
    )
    assert forged.roles == frozenset() and not forged.holds(PROTECTION)


async def test_the_vocabulary_names_it(client: httpx.AsyncClient) -> None:
    words = (await client.get("/api/v1/auth/vocabulary")).json()["roles"]["protection"]
    assert words["vi"].startswith("Bảo vệ (xử lý vụ việc")
    assert words["en"].startswith("Protection")
