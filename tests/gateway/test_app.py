"""The gateway's own surface: health, metrics, OpenAPI, request ids."""

from __future__ import annotations

import httpx

from tests.gateway.helpers import admin_auth, assert_problem


async def test_health_readiness_and_metrics(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ready"}
    await client.get("/api/v1/admin-units/02647")
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert 'route="/api/v1/admin-units/{code}"' in metrics.text
    assert 'service="gateway"' in metrics.text


async def test_openapi_documents_the_gateways_own_endpoints(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert document["openapi"].startswith("3.1")
    for path in (
        "/api/v1/auth/token",
        "/api/v1/auth/users",
        "/api/v1/auth/users/{username}",
        "/api/v1/auth/clients",
        "/api/v1/auth/clients/{client_id}",
        "/api/v1/admin-units",
        "/api/v1/admin-units/{code}",
        "/.well-known/jwks.json",
    ):
        assert path in document["paths"], path
    token = document["paths"]["/api/v1/auth/token"]["post"]
    form = token["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert form["properties"]["grant_type"]["enum"] == [
        "password",
        "client_credentials",
        "refresh_token",
    ]
    assert document["paths"]["/api/v1/auth/clients"]["post"]["x-never-replayed"] is True


async def test_request_id_is_kept_or_made_and_in_problems(client: httpx.AsyncClient) -> None:
    kept = await client.get("/api/v1/auth/users", headers={"X-Request-ID": "phone-7f3a"})
    assert kept.headers["x-request-id"] == "phone-7f3a"
    assert assert_problem(kept, 401, "unauthorized")["request_id"] == "phone-7f3a"
    made = await client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert made.headers["x-request-id"] != "bad id with spaces"
    assert len(made.headers["x-request-id"]) == 32


async def test_unknown_path_and_method_are_problems(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/api/v1/nowhere"), 404, "not-found")
    answer = await client.delete("/api/v1/auth/token")
    assert_problem(answer, 405, "method-not-allowed")
    assert "POST" in answer.headers["allow"]


async def test_own_json_endpoints_refuse_other_media_types(client: httpx.AsyncClient) -> None:
    form = {**admin_auth(), "Content-Type": "application/x-www-form-urlencoded"}
    refused = await client.post("/api/v1/auth/users", content=b"username=x", headers=form)
    assert_problem(refused, 415, "unsupported-media-type")
    json_utf8 = {**admin_auth(), "Content-Type": "application/json; charset=utf-8"}
    read = await client.post("/api/v1/auth/users", content=b'{"username": "x"}', headers=json_utf8)
    assert_problem(read, 422, "validation")  # read as JSON, then found incomplete
    # The token endpoint is form-encoded by OAuth2 and keeps its own RFC 6749 answers.
    token = await client.post("/api/v1/auth/token", json={"grant_type": "password"})
    assert token.status_code == 400
