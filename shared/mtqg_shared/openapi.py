"""The OpenAPI document of a service says what the service really answers.

Every error is `application/problem+json` with the contract's `Problem` body (FastAPI's own
HTTPValidationError shape is never sent, so it is not documented); every API route may answer
422 (unknown parameters) and 503 (its database failed), and 401 and 403 where it asks for a
token (a token, a role or scope); every route with a path parameter 404 (no such record; text
no database can store), every route with a body 400, 413 and 415; every one-record read its
ETag and 304 to If-None-Match; /readyz answers 503 when the database does not, and /metrics
is Prometheus text.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.utils import get_dependant, get_flat_params
from fastapi.routing import APIRoute

from mtqg_shared.errors import PROBLEM_JSON
from mtqg_shared.messages import FIELD_CODES

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

PROBLEM_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "title": "Problem",
        "description": "RFC 9457 problem details; `type` is one of the contract's fixed URIs.",
        "type": "object",
        "required": ["type", "title", "status", "detail", "instance", "request_id"],
        "properties": {
            "type": {"type": "string", "examples": ["/problems/validation"]},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string", "description": "The path asked for."},
            "request_id": {"type": ["string", "null"]},
            "errors": {
                "type": "array",
                "description": "For 422: the fields that broke a rule.",
                "items": {"$ref": "#/components/schemas/FieldError"},
            },
        },
    },
    "FieldError": {
        "title": "FieldError",
        "type": "object",
        "required": ["field", "code", "message"],
        "properties": {
            "field": {"type": "string", "examples": ["body.amount_vnd"]},
            "code": {"type": "string", "enum": list(FIELD_CODES), "examples": ["in_future"]},
            "message": {"type": "string"},
        },
    },
}

DESCRIPTIONS = {
    400: "The body cannot be read (not UTF-8 JSON).",
    401: "No valid bearer token.",
    403: "The caller's roles, scopes or areas do not allow this (or the record is only readable).",
    404: "No such record within the caller's areas.",
    409: "A duplicate, the record's present state does not allow this, or it is dated inside "
    "an approved reporting period (period-locked).",
    410: "The cursor is too old, or the caller's areas, roles or scopes changed since it was "
    "given: start again without it (`type` says which).",
    412: "If-Match names a version that is no longer current.",
    413: "The body is too large.",
    415: "The body is not JSON.",
    422: "A data rule is broken, or an unknown parameter or field was sent (errors[] names them).",
    428: "If-Match is required.",
    503: "The database does not answer.",
}
# FastAPI's own texts, which say nothing a reader can use.
_BLAND = {"", "Validation Error", "Error"}
_EVERY_API_ROUTE = (422, 503)
_WITH_TOKEN = (401, 403)  # only where a token is asked for (not the vocabulary)
_EVERY_BODY = (400, 413, 415)
_METHODS = ("get", "put", "post", "delete", "patch")


_API_ROOT = "/api/v1/"
# What an operation does, by method; a GET answers a list when it takes a `cursor` (every
# keyset page does), else one thing (a record, a report).
_VERBS = {"POST": "create", "PATCH": "update", "PUT": "put", "DELETE": "delete"}
_NOT_A_NAME = re.compile(r"[^0-9A-Za-z]+")


def _takes_cursor(route: APIRoute) -> bool:
    dependant = get_dependant(path=route.path_format, call=route.endpoint)
    return any((p.alias or p.name) == "cursor" for p in get_flat_params(dependant))


def operation_id(route: APIRoute) -> str:
    """The stable dotted id of an operation, from its path and method (FastAPI's
    `generate_unique_id_function`): the path's words after /api/v1/ without its parameters,
    then what the method does: `housing.cases.list`, `housing.cases.get`,
    `housing.cases.create`, `housing.cases.update`, `housing.cases.transitions.create`,
    `housing.reports.progress.get`. A route that needs another passes `operation_id=`."""
    path = route.path_format
    path = path[len(_API_ROOT) :] if path.startswith(_API_ROOT) else path
    segments = [s for s in path.split("/") if s]
    words = [_NOT_A_NAME.sub("_", s).strip("_") for s in segments if not s.startswith("{")]
    method = sorted(route.methods or {"GET"})[0]
    if method == "GET":
        verb = "list" if _takes_cursor(route) else "get"
    else:
        verb = _VERBS.get(method, method.lower())
    return ".".join([*words, verb])


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=` for the error answers it gives beyond those every route of its
    kind gives (422 and 503 on the API, 401 and 403 with a token, 404 with a path parameter,
    400, 413 and 415 with a body: added to every route)."""
    return {code: {"description": DESCRIPTIONS[code]} for code in sorted(set(codes))}


def _as_problem(answer: dict[str, Any], code: int) -> None:
    if answer.get("description", "") in _BLAND and code in DESCRIPTIONS:
        answer["description"] = DESCRIPTIONS[code]
    answer["content"] = {PROBLEM_JSON: {"schema": dict(PROBLEM_REF)}}


# A one-record read answers its ETag, and 304 to an If-None-Match that names it (the
# delivery layer, mtqg_shared.delivery.NotModified, decides; this documents it).
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "If-None-Match names the current ETag: nothing is sent again."}
}
_ETAG_HEADER = {"description": 'The version of the record, e.g. "3".', "schema": {"type": "string"}}
_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "ETags already held (a list, or `*`): 304 while one of them is current.",
    "schema": {"type": "string", "title": "If-None-Match"},
}


def release_cached(cache_control: str, what: str) -> dict[int | str, dict[str, Any]]:
    """The 200 and 304 of reference data that changes only with a release (the vocabulary,
    the programmes): its ETag, `what`'s version, and its Cache-Control."""
    cached = {
        "ETag": {"description": f"The {what}'s version.", "schema": {"type": "string"}},
        "Cache-Control": {
            "description": f"`{cache_control}`: it changes only with a release.",
            "schema": {"type": "string"},
        },
    }
    return {200: {"headers": cached}, 304: {**NOT_MODIFIED[304], "headers": cached}}


def document_revalidation(operation: dict[str, Any]) -> None:
    """A read that answers an ETag: the header on its 200 and 304, and If-None-Match."""
    responses = operation.setdefault("responses", {})
    for code in ("200", "304"):
        answer = responses.setdefault(code, {"description": NOT_MODIFIED[304]["description"]})
        answer.setdefault("headers", {}).setdefault("ETag", dict(_ETAG_HEADER))
    parameters = operation.setdefault("parameters", [])
    if not any(p.get("name", "").lower() == "if-none-match" for p in parameters):
        parameters.append(dict(_IF_NONE_MATCH))


def require_if_match(operation: dict[str, Any]) -> None:
    """A change answers 428 without If-Match: the header is required, and says so. (It is
    declared optional to FastAPI so that its absence is the contract's 428, not a 422.)"""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "header" and parameter.get("name", "").lower() == "if-match":
            parameter["required"] = True
            parameter["schema"] = {"type": "string", "title": "If-Match"}


def describe_errors(document: dict[str, Any], api_prefix: str = "/api/") -> dict[str, Any]:
    """`document` with every error answer documented as a problem (changed in place)."""
    for path, item in document.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            responses: dict[str, Any] = operation.setdefault("responses", {})
            added: list[int] = []
            if path.startswith(api_prefix):
                added.extend(_EVERY_API_ROUTE)
                if operation.get("security"):
                    added.extend(_WITH_TOKEN)
                if "{" in path:
                    added.append(404)
            if "requestBody" in operation:
                added.extend(_EVERY_BODY)
            if path == "/readyz" and method == "get":
                added.append(503)
            for status in added:
                responses.setdefault(str(status), {})
            if "428" in responses:
                require_if_match(operation)
            # Every one-record read (a GET of a path that ends in its record's id) answers
            # its ETag: tests/test_304.py holds each service to it.
            if method == "get" and (path.endswith("}") or "304" in responses):
                document_revalidation(operation)
            for code, answer in responses.items():
                if code.isdigit() and int(code) >= 400:
                    _as_problem(answer, int(code))
            operation["responses"] = dict(sorted(responses.items()))
    metrics = document.get("paths", {}).get("/metrics", {}).get("get")
    if metrics is not None:
        ok = metrics.setdefault("responses", {}).setdefault("200", {"description": "Metrics"})
        ok["content"] = {"text/plain": {"schema": {"type": "string"}}}
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas.update(PROBLEM_SCHEMAS)
    return document


def document_problems(app: FastAPI) -> None:
    """Build `app`'s OpenAPI document once with every error answer described as a problem."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe_errors(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
