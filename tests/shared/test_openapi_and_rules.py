"""What create_service_app gives every service without a line of its own: an OpenAPI document
in which every error is a documented problem, and domain rule breaks (RuleViolation,
StateConflict) answered as the contract's problems."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import ValidationError, field_validator
from sqlalchemy import literal, select

from housing.config import Settings
from housing.models import audit_log, idempotency_keys
from mtqg_shared.auth import Reader, Writer
from mtqg_shared.db import Database, ReadSession
from mtqg_shared.messages import msg
from mtqg_shared.openapi import PROBLEM_REF, describe_errors, problems
from mtqg_shared.rules import RuleViolation, StateConflict
from mtqg_shared.schemas import StrictInput
from mtqg_shared.service_app import create_service_app
from tests import support

API = "/api/v1/housing/probe-doc"
PROBLEM = {"application/problem+json": {"schema": PROBLEM_REF}}


class DocIn(StrictInput):
    name: str
    amount_vnd: int = 0

    @field_validator("amount_vnd")
    @classmethod
    def _not_odd(cls, value: int) -> int:
        if value % 2:
            # inside pydantic: a 422 with the rule's own code
            raise RuleViolation("body.amount_vnd", "out_of_range.multiple_of", multiple_of=2)
        return value


def doc_app(db: Database) -> FastAPI:
    router = APIRouter(prefix="/api/v1/housing")

    @router.post("/probe-doc", status_code=201, responses=problems(409))
    async def create(body: DocIn, principal: Writer) -> dict[str, str]:
        if body.name == "rule":
            raise RuleViolation("body.name", "listed_twice")
        if body.name == "state":
            raise StateConflict(msg("obstacle_resolved"))
        if body.name == "twice":
            raise StateConflict(msg("participant_twice"), kind="duplicate")
        return {"name": body.name}

    @router.get("/probe-doc", responses=problems(404))
    async def read(principal: Reader, session: ReadSession) -> dict[str, int]:
        return {"one": int(await session.scalar(select(literal(1))) or 0)}

    return create_service_app(
        Settings(),
        title="probe",
        description="probe",
        routers=[router],
        audit_table=audit_log,
        idempotency_table=idempotency_keys,
        db=db,
        verifier=support.verifier(),
    )


@pytest.fixture
async def app(databases: dict[str, Database]) -> FastAPI:
    return doc_app(databases["housing"])


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=support.ENGLISH
    ) as c:
        yield c


def test_every_error_answer_is_a_documented_problem(app: FastAPI) -> None:
    document = app.openapi()
    schemas = document["components"]["schemas"]
    assert {"Problem", "FieldError"} <= schemas.keys()
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert schemas["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "request_id",
    ]
    errors = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for code, answer in operation["responses"].items():
                if int(code) >= 400:
                    errors += 1
                    assert answer["content"] == PROBLEM, (path, method, code)
                    assert answer["description"] not in {"", "Validation Error"}
    assert errors > 10
    assert app.openapi() is document  # built once


def test_which_answers_each_kind_of_route_documents(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    created = paths[API]["post"]["responses"]
    assert set(created) == {"201", "400", "401", "403", "409", "413", "415", "422", "503"}
    listed = paths[API]["get"]["responses"]
    assert set(listed) == {"200", "401", "403", "404", "422", "503"}
    assert set(paths["/api/v1/housing/audit"]["get"]["responses"]) >= {"401", "403", "422"}
    assert paths["/readyz"]["get"]["responses"]["503"]["content"] == PROBLEM
    metrics = paths["/metrics"]["get"]["responses"]["200"]["content"]
    assert metrics == {"text/plain": {"schema": {"type": "string"}}}
    assert "401" not in paths["/healthz"]["get"]["responses"]


def test_describe_errors_on_a_bare_document() -> None:
    document: dict[str, Any] = {
        "paths": {
            "/api/v1/x": {
                "put": {
                    "security": [{"HTTPBearer": []}],
                    "requestBody": {"content": {}},
                    "responses": {
                        "200": {"description": "OK"},
                        "422": {
                            "description": "Validation Error",
                            "content": {"application/json": {"schema": {}}},
                        },
                        "409": {"description": "Taken."},
                    },
                }
            },
            "/api/v1/x/{x_id}": {
                "get": {
                    "security": [{"HTTPBearer": []}],
                    "responses": {"200": {"description": "OK"}},
                }
            },
            "/api/v1/words": {"get": {"responses": {"200": {"description": "OK"}}}},
            "/other": {"get": {"responses": {"200": {"description": "OK"}}}},
        },
        "components": {"schemas": {"HTTPValidationError": {}}},
    }
    out = describe_errors(document)["paths"]
    # No token asked for: no 401 or 403 to document.
    assert list(out["/api/v1/words"]["get"]["responses"]) == ["200", "422", "503"]
    # A one-record read: its ETag, 304 and If-None-Match.
    one = out["/api/v1/x/{x_id}"]["get"]
    assert list(one["responses"]) == ["200", "304", "401", "403", "404", "422", "503"]
    assert "ETag" in one["responses"]["200"]["headers"]
    assert "ETag" in one["responses"]["304"]["headers"]
    assert [p["name"] for p in one["parameters"]] == ["If-None-Match"]
    put = out["/api/v1/x"]["put"]["responses"]
    assert list(put) == ["200", "400", "401", "403", "409", "413", "415", "422", "503"]
    assert put["409"]["description"] == "Taken."
    assert put["422"]["description"].startswith("A data rule is broken")
    assert put["422"]["content"] == PROBLEM
    assert set(out["/other"]["get"]["responses"]) == {"200"}
    assert "HTTPValidationError" not in document["components"]["schemas"]


def _problem(answer: httpx.Response, status: int, type_: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = answer.json()
    assert body["type"] == f"/problems/{type_}"
    assert body["instance"] == API
    assert body["request_id"] == answer.headers["x-request-id"]
    return body


async def test_rule_violation_is_422_naming_the_field(client: httpx.AsyncClient) -> None:
    answer = await client.post(API, json={"name": "rule"}, headers=support.auth())
    body = _problem(answer, 422, "validation")
    assert body["errors"] == [
        {"field": "body.name", "code": "listed_twice", "message": "listed twice"}
    ]
    assert body["detail"] == "body.name: listed twice"


async def test_rule_violation_inside_a_validator_is_422_too(client: httpx.AsyncClient) -> None:
    answer = await client.post(API, json={"name": "a", "amount_vnd": 3}, headers=support.auth())
    body = _problem(answer, 422, "validation")
    assert body["errors"] == [
        {
            "field": "body.amount_vnd",
            "code": "out_of_range",
            "message": "must be a multiple of 2",
        }
    ]
    with pytest.raises(ValidationError):
        DocIn(name="a", amount_vnd=1)


async def test_state_conflict_is_409_of_its_kind(client: httpx.AsyncClient) -> None:
    answer = await client.post(API, json={"name": "state"}, headers=support.auth())
    assert _problem(answer, 409, "invalid-state")["detail"] == "This obstacle is already resolved."
    answer = await client.post(API, json={"name": "twice"}, headers=support.auth())
    assert _problem(answer, 409, "duplicate")["title"] == "Duplicate"


async def test_read_session_serves_a_read(client: httpx.AsyncClient) -> None:
    answer = await client.get(API, headers=support.auth())
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"one": 1}
