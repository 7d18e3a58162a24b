"""The merged /openapi.json: the gateway's own and every service's paths and schemas in one
valid OpenAPI 3.1 document, every error answer documented, and a service that is missing named
and added once it answers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate

from gateway.apidoc import catalog, problems
from gateway.apidoc.merge import merge
from scripts.api_document import service_document as built_document
from tests.gateway.helpers import GatewayClient, gateway_of
from tests.gateway.programmes import SERVICES, Programme, programmes, serve
from tests.gateway.upstreams import free_port
from tests.shared.test_docs_ui import assert_docs_served_offline

METHODS = ("get", "put", "post", "delete", "patch")
CONTRACT_TYPES = {
    "/problems/bad-request",
    "/problems/unauthorized",
    "/problems/forbidden",
    "/problems/not-found",
    "/problems/method-not-allowed",
    "/problems/duplicate",
    "/problems/invalid-state",
    "/problems/period-locked",
    "/problems/idempotency-in-flight",
    "/problems/precondition-failed",
    "/problems/payload-too-large",
    "/problems/unsupported-media-type",
    "/problems/validation",
    "/problems/idempotency-mismatch",
    "/problems/precondition-required",
    "/problems/rate-limited",
    "/problems/bad-gateway",
    "/problems/service-unavailable",
    "/problems/service-timeout",
}


# What the service serves at /openapi.json (built here; the gateway fetches it).
service_document = cache(built_document)


@pytest.fixture
async def stubs() -> AsyncIterator[dict[str, Programme]]:
    async with programmes() as found:
        for name, stub in found.items():
            stub.document = service_document(name)
        yield found


@pytest.fixture
def no_retry_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "RETRY_SECONDS", 0.0)


@pytest.fixture
def front(gateway_client: GatewayClient, stubs: dict[str, Programme]) -> Any:
    @asynccontextmanager
    async def make(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
        urls = {f"{name}_url": stub.url for name, stub in stubs.items()}
        async with gateway_client(**{**urls, **settings}) as client:
            yield client

    return make


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


async def test_one_valid_document_of_every_path(front: Any) -> None:
    async with front() as client:
        answer = await client.get("/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    validate(document)  # OpenAPI 3.1, every $ref resolvable
    assert document["openapi"] == "3.1.0"
    assert document["x-missing-services"] == []
    for service in SERVICES:
        for path in service_document(service)["paths"]:
            if path.startswith(f"/api/v1/{service}/"):
                assert path in document["paths"], path
    for own in ("/api/v1/overview", "/api/v1/households/{household_code}", "/api/v1/auth/token"):
        assert own in document["paths"]
    # The services' probes are not reachable through the gateway; its own are.
    assert set(document["paths"]["/healthz"]) == {"get"}
    operation_ids = [op["operationId"] for _, _, op in operations(document)]
    assert len(operation_ids) == len(set(operation_ids))


async def test_no_schema_name_clashes_and_refs_follow_renames(front: Any) -> None:
    async with front() as client:
        document = (await client.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    # Both labour and production define "Overview", differently: each keeps its own.
    labour = document["paths"]["/api/v1/labour/reports/overview"]["get"]
    production = document["paths"]["/api/v1/production/reports/overview"]["get"]
    labour_ref = labour["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    production_ref = production["responses"]["200"]["content"]["application/json"]["schema"]
    assert labour_ref == "#/components/schemas/LabourOverview"
    assert production_ref["$ref"] == "#/components/schemas/ProductionOverview"
    assert "departures" in schemas["LabourOverview"]["properties"]
    assert "zones_by_crop" in schemas["ProductionOverview"]["properties"]
    assert schemas["LabourOverview"]["title"] == "LabourOverview"
    # The views point at the services' own schemas of what they pass on.
    overview = schemas["ProgrammeOverview"]["properties"]
    assert overview["labour"]["anyOf"][0] == {"$ref": "#/components/schemas/LabourOverview"}
    assert overview["housing"]["anyOf"][0] == {"$ref": "#/components/schemas/HousingProgressRow"}
    placements = schemas["HouseholdLabour"]["properties"]["placements"]
    assert placements["items"] == {"$ref": "#/components/schemas/LabourPlacementRead"}


async def test_every_error_answer_is_a_documented_problem(front: Any) -> None:
    async with front() as client:
        document = (await client.get("/openapi.json")).json()
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["properties"]["type"]["enum"]) == CONTRACT_TYPES
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, method, operation in operations(document):
        responses = operation["responses"]
        for code, answer in responses.items():
            if int(code) >= 400:
                content = answer["content"]["application/problem+json"]
                assert content["schema"] == {"$ref": problems.PROBLEM_REF}, (path, code)
        where = f"{method} {path}"
        if path not in ("/healthz", "/readyz", "/metrics"):
            assert "429" in responses, where
            assert "Retry-After" in responses["429"]["headers"]
        if path.startswith("/api/v1/"):
            assert "422" in responses, where
        if operation.get("security"):
            assert {"401", "403"} <= set(responses), where
        if "requestBody" in operation:
            assert "413" in responses, where
        forwarded = any(path.startswith(f"/api/v1/{s}/") for s in SERVICES)
        assert ({"502", "503", "504"} <= set(responses)) == forwarded, where
    users = document["paths"]["/api/v1/auth/users/{username}"]["patch"]["responses"]
    assert {"404", "412", "415", "428"} <= set(users)
    cases = document["paths"]["/api/v1/housing/cases"]["post"]["responses"]
    assert {"409", "413"} <= set(cases)


async def test_a_missing_service_is_named_and_added_once_it_answers(
    front: Any, stubs: dict[str, Programme], no_retry_pause: None
) -> None:
    labour = Programme("labour", document=service_document("labour"))
    port = free_port()
    async with front(labour_url=f"http://127.0.0.1:{port}") as client:
        first = (await client.get("/openapi.json")).json()
        validate(first)
        assert first["x-missing-services"] == ["labour"]
        assert "/api/v1/labour/workers" not in first["paths"]
        assert "/api/v1/housing/cases" in first["paths"]
        assert "labour" in first["info"]["description"]
        async with serve(labour, port=port):
            again = (await client.get("/openapi.json")).json()
    assert again["x-missing-services"] == []
    assert "/api/v1/labour/workers" in again["paths"]


async def test_documents_are_cached_and_fetched_again_after_a_failure(
    front: Any, stubs: dict[str, Programme], no_retry_pause: None
) -> None:
    def fetches() -> int:
        return len(stubs["housing"].asked("/openapi.json"))

    async with front() as client:
        await client.get("/openapi.json")
        await client.get("/openapi.json")
        assert fetches() == 1
        # The service was unreachable since: it may come back as a new version.
        gateway_of(client).forwarder.upstreams["housing"].mark_failed()
        await client.get("/openapi.json")
        assert fetches() == 2


async def test_docs_show_the_merged_document_without_a_network(front: Any) -> None:
    async with front() as client:
        await assert_docs_served_offline(client)


def test_clashing_names_are_namespaced_per_service() -> None:
    def document(schema: dict[str, Any], path: str) -> dict[str, Any]:
        ref = {"$ref": "#/components/schemas/Item"}
        return {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "2"},
            "paths": {
                path: {
                    "get": {
                        "operationId": "list_items",
                        "responses": {"200": {"description": "ok", "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Page"}}
                        }}},
                    }
                }
            },
            "components": {
                "schemas": {
                    "Item": {"title": "Item", **schema},
                    "Page": {"type": "array", "items": ref},
                }
            },
        }  # fmt: skip

    gateway = {"openapi": "3.1.0", "info": {"title": "g", "version": "1"}, "paths": {}}
    merged = merge(
        gateway,
        {
            "housing": document({"type": "string"}, "/api/v1/housing/items"),
            "labour": document({"type": "integer"}, "/api/v1/labour/items"),
            "production": None,
        },
    )
    validate(merged)
    schemas = merged["components"]["schemas"]
    assert schemas["HousingItem"] == {"title": "HousingItem", "type": "string"}
    assert schemas["LabourItem"] == {"title": "LabourItem", "type": "integer"}
    assert schemas["LabourPage"]["items"] == {"$ref": "#/components/schemas/LabourItem"}
    assert "Item" not in schemas and "Page" not in schemas
    ids = [op["operationId"] for _, _, op in operations(merged)]
    assert sorted(ids) == ["labour_list_items", "list_items"]
    assert merged["x-missing-services"] == ["production"]
