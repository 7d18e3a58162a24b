"""POST /api/v1/auth/token: the three grants, their errors, throttling, and the JWKS."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import jwt
import pytest

from mtqg_shared.auth import KeyStore, TokenVerifier
from mtqg_shared.errors import Problem
from tests import support
from tests.gateway.helpers import (
    COMMUNE_A,
    FORM,
    SIGNING_KEY,
    GatewayClient,
    admin_auth,
    assert_problem,
    basic,
    bearer,
    create_client,
    create_user,
    password_grant,
    refresh_grant,
)


def claims_of(token: str) -> dict[str, object]:
    decoded: dict[str, object] = jwt.decode(
        token,
        support.PRIVATE_KEY.public_key(),
        algorithms=["RS256"],
        audience=support.AUDIENCE,
        issuer=support.ISSUER,
    )
    return decoded


async def test_password_grant_issues_a_short_lived_token_and_a_refresh_token(
    client: httpx.AsyncClient,
) -> None:
    await create_user(client, "lan.officer", roles=("officer",), areas=(COMMUNE_A,))
    answer = await password_grant(client, "Lan.Officer")  # usernames ignore case
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert jwt.get_unverified_header(body["access_token"])["kid"] == SIGNING_KEY.kid
    claims = claims_of(body["access_token"])
    assert claims["sub"] == "lan.officer"
    assert claims["kind"] == "person"
    assert claims["roles"] == ["officer"]
    assert claims["areas"] == [COMMUNE_A]
    assert "scope" not in claims
    assert isinstance(claims["exp"], int) and isinstance(claims["iat"], int)
    assert claims["exp"] - claims["iat"] == 900
    assert claims["jti"]


async def test_issued_token_opens_the_admin_endpoints(client: httpx.AsyncClient) -> None:
    await create_user(client, "boss", roles=("admin",))
    token = (await password_grant(client, "boss")).json()["access_token"]
    answer = await client.get("/api/v1/auth/users/boss", headers=bearer(token))
    assert answer.status_code == 200
    assert answer.json()["username"] == "boss"


async def test_wrong_password_and_unknown_user_get_the_same_answer(
    client: httpx.AsyncClient,
) -> None:
    await create_user(client, "hoa")
    wrong = await password_grant(client, "hoa", "not the password")
    unknown = await password_grant(client, "nobody-here", "not the password")
    for answer in (wrong, unknown):
        body = assert_problem(answer, 400, "bad-request")
        assert body["error"] == "invalid_grant"
        assert answer.headers["cache-control"] == "no-store"
    assert wrong.json()["error_description"] == unknown.json()["error_description"]
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_disabled_user_cannot_sign_in_nor_refresh(client: httpx.AsyncClient) -> None:
    await create_user(client, "minh")
    refresh = (await password_grant(client, "minh")).json()["refresh_token"]
    patched = await client.patch(
        "/api/v1/auth/users/minh",
        json={"disabled": True},
        headers={**admin_auth(), "If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["disabled"] is True
    answer = await password_grant(client, "minh")
    assert assert_problem(answer, 400, "bad-request")["error"] == "invalid_grant"
    answer = await refresh_grant(client, refresh)
    assert assert_problem(answer, 400, "bad-request")["error"] == "invalid_grant"


async def test_repeated_failures_for_a_username_are_throttled(
    gateway_client: GatewayClient, store: dict[str, Any]
) -> None:
    async with gateway_client(signin_failures_per_username=3, **store) as client:
        await create_user(client, "tuan")
        for _ in range(3):
            answer = await password_grant(client, "tuan", "guess guess guess")
            assert answer.status_code == 400
        # Now even the right password waits: the guesser must not learn it is right.
        answer = await password_grant(client, "tuan")
        assert_problem(answer, 429, "rate-limited")
        retry_after = int(answer.headers["retry-after"])
        # Until the first failure leaves the 900-second window: the database store holds
        # each failure's time; Redis holds failures by the second, so a failure counts
        # until the end of its second (gateway/counters/redis_store.py), one second more.
        assert 1 <= retry_after <= (900 if not store else 901)
        # Another username from the same address is still served.
        await create_user(client, "thu")
        assert (await password_grant(client, "thu")).status_code == 200


async def test_repeated_failures_from_one_address_are_throttled(
    gateway_client: GatewayClient, store: dict[str, Any]
) -> None:
    async with gateway_client(signin_failures_per_address=3, **store) as client:
        for name in ("a-one", "a-two", "a-three"):
            assert (await password_grant(client, name, "whatever pass")).status_code == 400
        answer = await password_grant(client, "a-four", "whatever pass")
        assert_problem(answer, 429, "rate-limited")
        assert int(answer.headers["retry-after"]) >= 1


async def test_a_right_password_clears_the_username_failures(
    gateway_client: GatewayClient, store: dict[str, Any]
) -> None:
    async with gateway_client(signin_failures_per_username=3, **store) as client:
        await create_user(client, "binh")
        for _ in range(2):
            assert (await password_grant(client, "binh", "typo typo typo")).status_code == 400
        assert (await password_grant(client, "binh")).status_code == 200
        for _ in range(2):
            assert (await password_grant(client, "binh", "typo typo typo")).status_code == 400
        assert (await password_grant(client, "binh")).status_code == 200


async def test_client_credentials_in_the_form_and_in_basic(client: httpx.AsyncClient) -> None:
    made = await create_client(client, scopes=("housing:read", "labour:read"), areas=(COMMUNE_A,))
    form = {
        "grant_type": "client_credentials",
        "client_id": made["client_id"],
        "client_secret": made["client_secret"],
    }
    in_form = await client.post("/api/v1/auth/token", data=form)
    in_basic = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(made["client_id"], made["client_secret"]),
    )
    for answer in (in_form, in_basic):
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert "refresh_token" not in body
        assert body["scope"] == "housing:read labour:read"
        claims = claims_of(body["access_token"])
        assert claims["kind"] == "client"
        assert claims["sub"] == made["client_id"]
        assert claims["scope"] == "housing:read labour:read"
        assert claims["areas"] == [COMMUNE_A]
        assert "roles" not in claims


async def test_wrong_client_secret_is_invalid_client(client: httpx.AsyncClient) -> None:
    made = await create_client(client)
    for headers, data in (
        (basic(made["client_id"], "wrong"), {"grant_type": "client_credentials"}),
        (
            {},
            {
                "grant_type": "client_credentials",
                "client_id": "mtqg-unknown",
                "client_secret": made["client_secret"],
            },
        ),
    ):
        answer = await client.post("/api/v1/auth/token", data=data, headers=headers)
        body = assert_problem(answer, 401, "unauthorized")
        assert body["error"] == "invalid_client"
        assert answer.headers["www-authenticate"].startswith("Basic")


async def test_client_may_narrow_its_scope_but_not_widen_it(client: httpx.AsyncClient) -> None:
    made = await create_client(client, scopes=("housing:read", "housing:write"))
    creds = basic(made["client_id"], made["client_secret"])
    narrow = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials", "scope": "housing:read"},
        headers=creds,
    )
    assert narrow.status_code == 200
    assert claims_of(narrow.json()["access_token"])["scope"] == "housing:read"
    for scope in ("housing:read labour:read", "everything"):
        wide = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "client_credentials", "scope": scope},
            headers=creds,
        )
        assert assert_problem(wide, 400, "bad-request")["error"] == "invalid_scope"


async def test_disabled_client_is_refused(client: httpx.AsyncClient) -> None:
    made = await create_client(client)
    patched = await client.patch(
        f"/api/v1/auth/clients/{made['client_id']}",
        json={"disabled": True},
        headers={**admin_auth(), "If-Match": '"1"'},
    )
    assert patched.status_code == 200
    answer = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(made["client_id"], made["client_secret"]),
    )
    assert assert_problem(answer, 401, "unauthorized")["error"] == "invalid_client"


async def test_refresh_rotates_and_a_reused_token_is_refused(client: httpx.AsyncClient) -> None:
    await create_user(client, "quang", roles=("viewer",), areas=(COMMUNE_A,))
    first = (await password_grant(client, "quang")).json()["refresh_token"]
    answer = await refresh_grant(client, first)
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    second = answer.json()["refresh_token"]
    assert second != first
    claims = claims_of(answer.json()["access_token"])
    assert (claims["sub"], claims["roles"], claims["areas"]) == ("quang", ["viewer"], [COMMUNE_A])

    reused = await refresh_grant(client, first)
    assert assert_problem(reused, 400, "bad-request")["error"] == "invalid_grant"
    # Reuse means the token may be stolen: the whole sign-in ends, the newest token too.
    after = await refresh_grant(client, second)
    assert assert_problem(after, 400, "bad-request")["error"] == "invalid_grant"


async def test_unknown_refresh_token_is_invalid_grant(client: httpx.AsyncClient) -> None:
    answer = await refresh_grant(client, "no-such-token")
    assert assert_problem(answer, 400, "bad-request")["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "change",
    [
        {"password": "a brand new password"},
        {"roles": ["viewer"]},
        {"areas": [COMMUNE_A]},
    ],
)
async def test_refresh_is_refused_after_credentials_change(
    client: httpx.AsyncClient, change: dict[str, object]
) -> None:
    await create_user(client, "dung", roles=("officer",))
    refresh = (await password_grant(client, "dung")).json()["refresh_token"]
    patched = await client.patch(
        "/api/v1/auth/users/dung", json=change, headers={**admin_auth(), "If-Match": '"1"'}
    )
    assert patched.status_code == 200, patched.text
    answer = await refresh_grant(client, refresh)
    assert assert_problem(answer, 400, "bad-request")["error"] == "invalid_grant"


async def test_full_name_change_keeps_refresh_tokens_alive(client: httpx.AsyncClient) -> None:
    await create_user(client, "khanh")
    refresh = (await password_grant(client, "khanh")).json()["refresh_token"]
    patched = await client.patch(
        "/api/v1/auth/users/khanh",
        json={"full_name": "Nguyễn Văn Khánh"},
        headers={**admin_auth(), "If-Match": '"1"'},
    )
    assert patched.status_code == 200
    assert (await refresh_grant(client, refresh)).status_code == 200


async def test_new_password_signs_in_and_old_does_not(client: httpx.AsyncClient) -> None:
    await create_user(client, "phuong")
    patched = await client.patch(
        "/api/v1/auth/users/phuong",
        json={"password": "another long password"},
        headers={**admin_auth(), "If-Match": '"1"'},
    )
    assert patched.status_code == 200
    assert (await password_grant(client, "phuong")).status_code == 400
    assert (await password_grant(client, "phuong", "another long password")).status_code == 200


@pytest.mark.parametrize(
    ("data", "headers", "error"),
    [
        ({"grant_type": "implicit"}, FORM, "unsupported_grant_type"),
        ({"username": "x", "password": "y"}, FORM, "invalid_request"),
        ({"grant_type": "password", "username": "x"}, FORM, "invalid_request"),
        ({"grant_type": "refresh_token"}, FORM, "invalid_request"),
    ],
)
async def test_malformed_token_requests(
    client: httpx.AsyncClient, data: dict[str, str], headers: dict[str, str], error: str
) -> None:
    answer = await client.post("/api/v1/auth/token", data=data, headers=headers)
    assert assert_problem(answer, 400, "bad-request")["error"] == error


async def test_json_token_request_is_invalid_request(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/api/v1/auth/token", json={"grant_type": "password", "username": "a", "password": "b"}
    )
    assert assert_problem(answer, 400, "bad-request")["error"] == "invalid_request"


async def test_repeated_parameter_is_invalid_request(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/api/v1/auth/token",
        content="grant_type=password&grant_type=refresh_token",
        headers=FORM,
    )
    assert assert_problem(answer, 400, "bad-request")["error"] == "invalid_request"


async def test_credentials_in_form_and_basic_at_once_are_refused(
    client: httpx.AsyncClient,
) -> None:
    made = await create_client(client)
    answer = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": made["client_id"]},
        headers=basic(made["client_id"], made["client_secret"]),
    )
    assert assert_problem(answer, 400, "bad-request")["error"] == "invalid_request"


async def test_issued_tokens_verify_with_the_published_keys_and_tampered_ones_do_not(
    client: httpx.AsyncClient,
) -> None:
    jwks = await client.get("/.well-known/jwks.json")
    assert jwks.status_code == 200
    (key,) = jwks.json()["keys"]
    assert (key["kty"], key["alg"], key["use"], key["kid"]) == (
        "RSA",
        "RS256",
        "sig",
        SIGNING_KEY.kid,
    )
    assert "d" not in key  # never the private part
    store = KeyStore({key["kid"]: jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(key))})
    verifier = TokenVerifier(store, issuer=support.ISSUER, audience=support.AUDIENCE)

    await create_user(client, "viet", roles=("viewer",), areas=(COMMUNE_A,))
    token = (await password_grant(client, "viet")).json()["access_token"]
    principal = await verifier.verify(token)
    assert (principal.subject, principal.kind, principal.roles) == (
        "viet",
        "person",
        frozenset({"viewer"}),
    )

    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = ["admin"]
    claims["areas"] = ["15"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(Problem) as refused:
        await verifier.verify(f"{header}.{forged}.{signature}")
    assert refused.value.status == 401


async def test_repeated_wrong_client_secrets_are_throttled(
    gateway_client: GatewayClient, store: dict[str, Any]
) -> None:
    async with gateway_client(signin_failures_per_username=2, **store) as client:
        made = await create_client(client)
        for _ in range(2):
            answer = await client.post(
                "/api/v1/auth/token",
                data={"grant_type": "client_credentials"},
                headers=basic(made["client_id"], "guessed secret"),
            )
            assert answer.status_code == 401
        answer = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "client_credentials"},
            headers=basic(made["client_id"], made["client_secret"]),
        )
        assert_problem(answer, 429, "rate-limited")
        assert int(answer.headers["retry-after"]) >= 1
