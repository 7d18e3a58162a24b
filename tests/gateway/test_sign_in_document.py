"""The merged document says how to sign in (OAuth2 at POST /api/v1/auth/token: the password
flow for people, client credentials for systems, with the registry's scopes), and marks as
needing a token exactly the operations that answer 401 without one."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest

from gateway.apidoc.merge import merge
from mtqg_shared.registry import SCOPES, SERVICE_NAMES
from tests.gateway.helpers import GatewayClient, gateway_of
from tests.gateway.test_openapi import operations, service_document

TOKEN_URL = "/api/v1/auth/token"


@pytest.fixture
async def clients(
    gateway_client: GatewayClient, service_client: Any
) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """The gateway and every service in process, each on its rolled-back database."""
    async with AsyncExitStack() as stack:
        found = {"gateway": await stack.enter_async_context(gateway_client())}
        for service in SERVICE_NAMES:
            found[service] = await stack.enter_async_context(service_client(service))
        yield found


@pytest.fixture
def document(clients: dict[str, httpx.AsyncClient]) -> dict[str, Any]:
    own = gateway_of(clients["gateway"]).api.openapi()
    return merge(own, {service: service_document(service) for service in SERVICE_NAMES})


def test_the_document_says_where_tokens_come_from(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["OAuth2"]
    assert scheme["type"] == "oauth2"
    flows = scheme["flows"]
    assert set(flows) == {"password", "clientCredentials"}
    assert flows["password"]["tokenUrl"] == TOKEN_URL
    assert flows["clientCredentials"]["tokenUrl"] == TOKEN_URL
    assert set(flows["clientCredentials"]["scopes"]) == set(SCOPES)
    assert all(flows["clientCredentials"]["scopes"].values())  # each says what it allows
    assert "post" in document["paths"][TOKEN_URL]
    assert document["paths"][TOKEN_URL]["post"]["security"] == []  # no token needed


def _sample(schema: dict[str, Any]) -> str:
    """A value of the schema's type, for a path parameter."""
    for choice in schema.get("anyOf", ()):
        if choice.get("type") != "null":
            return _sample(choice)
    if schema.get("enum"):
        return str(schema["enum"][0])
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    if schema.get("type") == "integer":
        return "2025"
    return "15"


def _calls(document: dict[str, Any]) -> Iterator[tuple[str, str, str, bool]]:
    """(process, method, path with its parameters filled in, documented as needing a token)"""
    for path, method, operation in operations(document):
        url = path
        for parameter in operation.get("parameters", ()):
            if parameter.get("in") == "path":
                url = url.replace(f"{{{parameter['name']}}}", _sample(parameter["schema"]))
        process = next((s for s in SERVICE_NAMES if path.startswith(f"/api/v1/{s}/")), "gateway")
        needs = any("OAuth2" in r for r in operation.get("security", ()))
        yield process, method, url, needs


async def test_a_token_is_documented_exactly_where_one_is_asked_for(
    clients: dict[str, httpx.AsyncClient], document: dict[str, Any]
) -> None:
    calls = list(_calls(document))
    assert sum(needs for *_, needs in calls) > 50
    assert sum(not needs for *_, needs in calls) >= 6  # token, JWKS, probes, admin units
    wrong = []
    for process, method, url, needs in calls:
        body: dict[str, Any] | None = {} if method in ("post", "put", "patch") else None
        answer = await clients[process].request(method.upper(), url, json=body)
        if (answer.status_code == 401) != needs:
            wrong.append((method.upper(), url, answer.status_code, needs))
    assert wrong == []
