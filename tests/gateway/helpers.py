"""Helpers for the gateway tests: tokens signed with the test key, people and clients made
through the admin endpoints, problem+json checks."""

from __future__ import annotations

import base64
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import httpx

from gateway.app import Gateway
from gateway.config import Settings
from gateway.identity.keys import SigningKey
from tests import support

SIGNING_KEY = SigningKey.from_private_key(support.PRIVATE_KEY)
PASSWORD = "correct horse battery"
# Two real 2025-07 communes: Phường Lào Cai and its neighbour in code order.
COMMUNE_A = "02647"
COMMUNE_B = "02671"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

GatewayClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


def auth(**kwargs: Any) -> dict[str, str]:
    """A bearer header signed with the gateway's own (test) key."""
    kwargs.setdefault("kid", SIGNING_KEY.kid)
    return support.auth(**kwargs)


def admin_auth(areas: tuple[str, ...] = ("15",), subject: str = "root") -> dict[str, str]:
    return auth(subject=subject, roles=("admin",), areas=areas)


def gateway_of(client: httpx.AsyncClient) -> Gateway:
    app: Gateway = client.gateway  # type: ignore[attr-defined]
    return app


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "rate_limit_per_minute": 0,
        "access_log": False,
        "database_url": "",
        "admin_password": "",
        "jwt_private_key": "",
    }
    values.update(overrides)
    return Settings(**values)


async def create_user(
    client: httpx.AsyncClient,
    username: str,
    *,
    password: str = PASSWORD,
    roles: tuple[str, ...] = ("officer",),
    areas: tuple[str, ...] = ("15",),
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    answer = await client.post(
        "/api/v1/auth/users",
        json={"username": username, "password": password, "roles": roles, "areas": areas},
        headers=headers or admin_auth(),
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def create_client(
    client: httpx.AsyncClient,
    *,
    scopes: tuple[str, ...] = ("housing:read", "housing:write"),
    areas: tuple[str, ...] = ("15",),
    name: str = "Provincial statistics",
) -> dict[str, Any]:
    answer = await client.post(
        "/api/v1/auth/clients",
        json={"name": name, "scopes": scopes, "areas": areas},
        headers=admin_auth(),
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def password_grant(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": username, "password": password},
    )


async def refresh_grant(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": token}
    )


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(answer: httpx.Response, status: int, type_: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = answer.json()
    assert body["type"] == f"/problems/{type_}"
    assert body["status"] == status
    return body


# A public address written as one: a webhook URL accepted without any DNS lookup.
PUBLIC_HOOK = "https://93.184.216.34/mtqg-hook"


async def create_webhook(
    client: httpx.AsyncClient,
    client_id: str,
    *,
    url: str = PUBLIC_HOOK,
    services: tuple[str, ...] = ("housing",),
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A subscription of `client_id`, made by a province admin unless `headers` say who."""
    answer = await client.post(
        "/api/v1/webhooks",
        json={"url": url, "services": services, "client_id": client_id, **extra},
        headers=headers or admin_auth(),
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body
