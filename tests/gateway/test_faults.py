"""The gateway's own endpoints and its edge: unstorable text, media types, trailing slashes
and database failures are never a 500."""

from __future__ import annotations

import sqlite3
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from gateway.identity.tokens import TokenService
from tests.gateway.helpers import (
    FORM,
    admin_auth,
    assert_problem,
    basic,
    create_client,
    create_user,
    password_grant,
)

TOKEN = "/api/v1/auth/token"


def fields_of(problem: dict[str, Any]) -> list[str]:
    return [e["field"] for e in problem.get("errors", [])]


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ("grant_type=password&username=ad%00min&password=x", "body.username"),
        ("grant_type=password&username=admin&password=pa%00ss", "body.password"),
        ("grant_type=password&username=admin%01&password=x", "body.username"),
        ("grant_type=client_credentials&client_id=c%00&client_secret=s", "body.client_id"),
        ("grant_type=client_credentials&client_id=c&client_secret=s%7F", "body.client_secret"),
        ("grant_type=refresh_token&refresh_token=abc%00def", "body.refresh_token"),
        ("grant_type=client_credentials&client_id=c&client_secret=s&scope=a%00", "body.scope"),
        ("grant_type=pass%00word", "body.grant_type"),
    ],
)
async def test_unstorable_text_in_the_token_form_is_422(
    client: httpx.AsyncClient, form: str, field: str
) -> None:
    answer = await client.post(TOKEN, content=form.encode(), headers=FORM)
    assert fields_of(assert_problem(answer, 422, "validation")) == [field]


async def test_unstorable_text_in_a_multipart_token_form_is_422(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        TOKEN, files={"grant_type": (None, "password"), "username": (None, "ad\x00min")}
    )
    assert_problem(answer, 422, "validation")


async def test_control_characters_in_basic_credentials_are_invalid_client(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.post(
        TOKEN, data={"grant_type": "client_credentials"}, headers=basic("c\x00id", "secret")
    )
    assert answer.status_code == 401, answer.text
    assert answer.json()["error"] == "invalid_client"


async def test_sign_in_still_works_beside_refused_text(client: httpx.AsyncClient) -> None:
    await create_user(client, "tran.thi.b")
    refused = await password_grant(client, "tran.thi.b\x00")
    assert_problem(refused, 422, "validation")
    signed_in = await password_grant(client, "tran.thi.b")
    assert signed_in.status_code == 200, signed_in.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/auth/users/ad%00min",
        "/api/v1/auth/clients/c%00",
        "/api/v1/admin-units/02%00647",
        "/api/v1/admin-units/%01",
        # Forwarded paths too: refused at the edge, the service is never asked.
        "/api/v1/housing/cases/%00",
        "/api/v1/labour/commune-profiles/%00/2025",
    ],
)
async def test_unstorable_text_in_a_path_is_404(client: httpx.AsyncClient, path: str) -> None:
    assert_problem(await client.get(path, headers=admin_auth()), 404, "not-found")
    patched = await client.patch(path, json={"disabled": True}, headers=admin_auth())
    assert_problem(patched, 404, "not-found")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/auth/audit?entity_id=%00", "query.entity_id"),
        ("/api/v1/auth/audit?entity_type=user%1B", "query.entity_type"),
        ("/api/v1/admin-units?parent_code=%00", "query.parent_code"),
        ("/api/v1/admin-units/02647?geography=2025-07%00", "query.geography"),
        ("/api/v1/auth/users?cursor=%00", "query.cursor"),
        ("/api/v1/housing/audit?entity_id=%00", "query.entity_id"),
    ],
)
async def test_unstorable_text_in_a_query_is_422(
    client: httpx.AsyncClient, path: str, field: str
) -> None:
    answer = await client.get(path, headers=admin_auth())
    assert fields_of(assert_problem(answer, 422, "validation")) == [field]


@pytest.mark.parametrize(
    ("path", "method", "raw"),
    [
        ("/api/v1/auth/users", "POST", b'{"username": "x\\u0000y", "password": "long enough pw"}'),
        ("/api/v1/auth/clients", "POST", b'{"name": "robot\\u0000", "scopes": ["housing:read"]}'),
    ],
)
async def test_unstorable_text_in_a_json_body_is_422(
    client: httpx.AsyncClient, path: str, method: str, raw: bytes
) -> None:
    headers = {**admin_auth(), "Content-Type": "application/json"}
    answer = await client.request(method, path, content=raw, headers=headers)
    assert_problem(answer, 422, "validation")


async def test_unstorable_text_in_an_admin_change_is_422(client: httpx.AsyncClient) -> None:
    await create_user(client, "le.van.c")
    made = await create_client(client)
    headers = {**admin_auth(), "Content-Type": "application/json", "If-Match": "*"}
    for path, raw in (
        ("/api/v1/auth/users/le.van.c", b'{"password": "long enough \\u0000 pw"}'),
        (f"/api/v1/auth/clients/{made['client_id']}", b'{"scopes": ["housing:read\\u0000"]}'),
    ):
        answer = await client.patch(path, content=raw, headers=headers)
        assert fields_of(assert_problem(answer, 422, "validation"))[0].startswith("body.")


@pytest.mark.parametrize(
    ("headers", "content"),
    [
        ({"Content-Type": "text/plain"}, b'{"username": "x"}'),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"username=x"),
        ({}, b'{"username": "x"}'),
    ],
)
async def test_own_json_endpoints_refuse_bodies_that_are_not_json(
    client: httpx.AsyncClient, headers: dict[str, str], content: bytes
) -> None:
    request = client.build_request(
        "POST", "/api/v1/auth/users", content=content, headers={**admin_auth(), **headers}
    )
    if not headers:
        request.headers.pop("content-type", None)
    assert_problem(await client.send(request), 415, "unsupported-media-type")


async def test_own_json_endpoints_answer_400_to_json_that_does_not_parse(
    client: httpx.AsyncClient,
) -> None:
    headers = {**admin_auth(), "Content-Type": "application/json"}
    for broken in (b'{"username": ', b"not json", b"\xff"):
        answer = await client.post("/api/v1/auth/users", content=broken, headers=headers)
        assert_problem(answer, 400, "bad-request")


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/users/", "/api/v1/admin-units/", "/api/v1/auth/audit/", "/healthz/"]
)
async def test_a_trailing_slash_is_404_never_a_redirect(
    client: httpx.AsyncClient, path: str
) -> None:
    answer = await client.get(path, headers=admin_auth())
    assert_problem(answer, 404, "not-found")
    assert "location" not in answer.headers


async def test_the_token_endpoint_answers_503_when_its_database_fails(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def locked(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(TokenService, "password_grant", locked)
    answer = await password_grant(client, "anyone")
    assert_problem(answer, 503, "service-unavailable")
    assert answer.headers["retry-after"] == "1"
