"""The OpenAPI document says what the service really answers: every error is
application/problem+json with the contract's Problem body, and /metrics is Prometheus text."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


class FieldError(BaseModel):
    field: str = Field(examples=["body.amount_vnd"])
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details; `type` is one of the contract's fixed URIs."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["/problems/validation"])
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None
    errors: list[FieldError] | None = Field(default=None, description="For 422: the fields.")


def _problem_schemas() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    return {"Problem": schema, **defs}


def _describe(operation: dict[str, Any], path: str) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for code, answer in responses.items():
        if code.isdigit() and int(code) >= 400:
            answer["content"] = {"application/problem+json": {"schema": PROBLEM_REF}}
    if path.startswith("/api/v1/"):
        # Every API route needs a token and a role or scope, and refuses unknown parameters.
        for code, text in (
            ("401", "No valid bearer token"),
            ("403", "The caller's role or scope does not allow this"),
            ("422", "A data rule is broken"),
        ):
            responses.setdefault(
                code,
                {
                    "description": text,
                    "content": {"application/problem+json": {"schema": PROBLEM_REF}},
                },
            )
    if "requestBody" in operation:
        for code, text in (
            ("400", "The body cannot be read (not text in a known encoding)"),
            ("413", "The body is too large"),
        ):
            responses.setdefault(
                code,
                {
                    "description": text,
                    "content": {"application/problem+json": {"schema": PROBLEM_REF}},
                },
            )


def document_problems(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                if method in {"get", "post", "put", "patch", "delete"}:
                    _describe(operation, path)
        metrics = schema.get("paths", {}).get("/metrics", {}).get("get")
        if metrics is not None:
            metrics["responses"]["200"]["content"] = {"text/plain": {"schema": {"type": "string"}}}
        ready = schema.get("paths", {}).get("/readyz", {}).get("get")
        if ready is not None:
            ready["responses"]["503"] = {
                "description": "The database does not answer",
                "content": {"application/problem+json": {"schema": PROBLEM_REF}},
            }
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        components.update(_problem_schemas())
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
