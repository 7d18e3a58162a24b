"""The contract's error answers as OpenAPI: one Problem schema with the fixed `type` URIs, and
one described answer per status, with an example of its type."""

from __future__ import annotations

import copy
from typing import Any

from gateway.apidoc import headers
from mtqg_shared.errors import Problem, validation_problem
from mtqg_shared.messages import Verbatim
from mtqg_shared.openapi import PROBLEM_SCHEMAS
from mtqg_shared.registry import SERVICE_NAMES

PROBLEM_REF = "#/components/schemas/Problem"

# status -> (what it means here, the problem types it carries); API.md section 2.
ANSWERS: dict[int, tuple[str, tuple[str, ...]]] = {
    400: ("The request cannot be read.", ("bad-request",)),
    401: ("No valid bearer token (or, at the token endpoint, a wrong client).", ("unauthorized",)),
    403: ("The caller's roles or scopes do not allow this.", ("forbidden",)),
    404: ("No such resource within the caller's areas.", ("not-found",)),
    405: ("The path does not take this method (see Allow).", ("method-not-allowed",)),
    409: (
        "A duplicate, a state that does not allow this, a record dated inside an approved "
        "reporting period, or the same Idempotency-Key still running.",
        ("duplicate", "invalid-state", "period-locked", "idempotency-in-flight"),
    ),
    412: ("If-Match names a version that is no longer current.", ("precondition-failed",)),
    413: ("The body is larger than the limit.", ("payload-too-large",)),
    415: ("The body is not of a media type this endpoint reads.", ("unsupported-media-type",)),
    422: (
        "A data rule is broken, or an unknown parameter or field was sent (errors[] names "
        "them); or an Idempotency-Key was reused with another body.",
        ("validation", "idempotency-mismatch"),
    ),
    428: ("If-Match is required.", ("precondition-required",)),
    429: ("Too many requests from this caller (see Retry-After).", ("rate-limited",)),
    502: ("The service gave a broken answer (`service` names it).", ("bad-gateway",)),
    503: ("The service cannot be reached (`service` names it).", ("service-unavailable",)),
    504: ("The service missed the deadline (`service` names it).", ("service-timeout",)),
}  # fmt: skip
TYPES = tuple(f"/problems/{slug}" for _, slugs in ANSWERS.values() for slug in slugs)

_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The bearer challenge (RFC 6750).",
            "schema": {"type": "string"},
        }
    },
    405: {"Allow": {"description": "The methods the path takes.", "schema": {"type": "string"}}},
    429: {headers.RETRY_AFTER: headers.ref(headers.RETRY_AFTER)},
    503: {headers.RETRY_AFTER: headers.ref(headers.RETRY_AFTER)},
}
_EXAMPLE_REQUEST_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
# The document is in English; answers are in the language the request asks for.
_EXAMPLE_LANGUAGE = "en"
# FastAPI's default texts say nothing a reader can use.
_BLAND = {"", "Validation Error", "Successful Response", "Error"}


def declared(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=` for the error answers it gives beyond those every route of its
    kind gives (the merged document adds those and the problem+json body of each)."""
    return {status: {"description": ANSWERS[status][0]} for status in statuses}


def schemas() -> dict[str, Any]:
    """The services' own Problem and FieldError (one definition, in the shared library), with
    what the gateway knows beyond one service: every `type` URI and the gateway's members."""
    found = copy.deepcopy(PROBLEM_SCHEMAS)
    problem = found["Problem"]
    problem["description"] = (
        "RFC 9457 problem details, the body of every error answer (`application/problem+json`)."
    )
    problem["properties"]["type"] = {"type": "string", "enum": list(TYPES)}
    problem["properties"].update(
        {
            "service": {
                "type": "string",
                "enum": list(SERVICE_NAMES),
                "description": "For 502, 503 and 504 at the gateway: the service at fault.",
            },
            "error": {
                "type": "string",
                "description": "At the token endpoint: the RFC 6749 error code.",
            },
            "error_description": {"type": "string"},
        }
    )
    return found


def example(status: int, slug: str, detail: str, instance: str) -> dict[str, Any]:
    """A body of this answer as the error handlers render it (`Problem.body`), so that the
    example has every member the real answer has."""
    extra: dict[str, Any] = {}
    if status in (502, 503, 504):
        extra["service"] = SERVICE_NAMES[0]
    if slug == "validation":
        problem = validation_problem("body.amount_vnd", "out_of_range.ge", ge=0)
    else:
        problem = Problem(status, Verbatim(detail), type=slug, **extra)
    return problem.body(instance, _EXAMPLE_REQUEST_ID, _EXAMPLE_LANGUAGE)


def answer(status: int, given: dict[str, Any] | None = None, path: str = "/") -> dict[str, Any]:
    """The documented answer for an error status at `path`, keeping a specific description
    given."""
    description, types = ANSWERS.get(status, ("An error.", ("bad-request",)))
    given = given or {}
    text = given.get("description")
    if isinstance(text, str) and text.strip() not in _BLAND:
        description = text
    documented: dict[str, Any] = {
        "description": description,
        "content": {
            "application/problem+json": {
                "schema": {"$ref": PROBLEM_REF},
                "example": example(status, types[0], description, path),
            }
        },
    }
    sent = {**_HEADERS.get(status, {}), **given.get("headers", {})}
    if sent:
        documented["headers"] = sent
    return documented
