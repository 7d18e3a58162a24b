"""RFC 9457 problem+json for every failure, with the contract's fixed `type` URIs."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mtqg_shared.db import UNAVAILABLE_TYPES, is_unavailable
from mtqg_shared.rules import RuleViolation, StateConflict

log = logging.getLogger("mtqg.errors")

PROBLEM_JSON = "application/problem+json"
# Seconds a client should wait before retrying after the database failed under its request.
DATABASE_RETRY_AFTER = 1
# Set in the request's scope when the answer is a 503 for a database failure; the outermost
# ASGI layer may then run a safe request once more instead of sending that answer.
DATABASE_UNAVAILABLE = "mtqg.database_unavailable"

# status -> (type slug, title) used when a failure names no more specific type.
_DEFAULTS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("duplicate", "Conflict"),
    412: ("precondition-failed", "Precondition failed"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("validation", "Validation failed"),
    428: ("precondition-required", "Precondition required"),
    429: ("rate-limited", "Too many requests"),
    500: ("internal", "Internal error"),
    502: ("bad-gateway", "Bad gateway"),
    503: ("service-unavailable", "Service unavailable"),
    504: ("service-timeout", "Service timeout"),
}

TITLES: dict[str, str] = {
    "invalid-state": "Invalid state",
    "idempotency-in-flight": "Request with this Idempotency-Key still running",
    "idempotency-mismatch": "Idempotency-Key reused with another body",
    "duplicate": "Duplicate",
}


class Problem(Exception):
    """An error answer. Raise it anywhere below a route; the handler renders it."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        type: str | None = None,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        errors: Sequence[Mapping[str, str]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        slug, default_title = _DEFAULTS.get(status, ("bad-request", "Error"))
        self.status = status
        self.type = type or slug
        self.title = title or TITLES.get(self.type, default_title)
        self.detail = detail
        self.headers = dict(headers or {})
        self.errors = list(errors) if errors is not None else None
        self.extra = extra

    def body(self, instance: str, request_id: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"/problems/{self.type}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
            "request_id": request_id,
        }
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


class ProblemInBody(StarletteHTTPException):
    """A Problem raised while the app reads the body (from an ASGI `receive` wrapper): FastAPI
    turns other exceptions there into a generic 400, and lets an HTTPException through."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.status, problem.detail, headers=problem.headers or None)
        self.problem = problem


def not_found(what: str = "resource") -> Problem:
    return Problem(404, f"No such {what}.")


def validation_problem(field: str, message: str) -> Problem:
    return Problem(422, message, errors=[{"field": field, "message": message}])


def conflict(detail: str, *, type: str = "duplicate") -> Problem:
    return Problem(409, detail, type=type)


def invalid_state(detail: str) -> Problem:
    return Problem(409, detail, type="invalid-state")


def problem_response(problem: Problem, request_id: str | None, instance: str) -> Response:
    return JSONResponse(
        problem.body(instance, request_id),
        status_code=problem.status,
        headers=problem.headers,
        media_type=PROBLEM_JSON,
    )


def _request_id(request: Request) -> str | None:
    rid = request.scope.get("state", {}).get("request_id")
    return str(rid) if rid else request.headers.get("x-request-id")


def _field_name(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


def _safe_message(err: Mapping[str, Any]) -> str:
    # pydantic messages never echo the input value; `input` is deliberately left out so that
    # personal data (identity numbers, phone numbers) never reaches an error body.
    msg = str(err.get("msg", "invalid value"))
    if err.get("type") == "extra_forbidden":
        return "unknown field"
    return msg


def validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    return [
        {"field": _field_name(err.get("loc", ())), "message": _safe_message(err)}
        for err in exc.errors()
    ]


def _allowed_methods(request: Request) -> list[str]:
    """Starlette names only the first route that matched the path; list them all."""
    from starlette.routing import Match

    methods: set[str] = set()

    def visit(routes: Sequence[Any], path: str) -> None:
        for route in routes:
            inner = getattr(route, "original_router", None)
            if inner is not None:  # an included router keeps its own routes
                prefix = getattr(getattr(route, "include_context", None), "prefix", "") or ""
                if path.startswith(prefix):
                    visit(inner.routes, path[len(prefix) :])
                continue
            probe = {"type": "http", "path": path, "method": "", "root_path": ""}
            match, _ = route.matches(probe)
            if match != Match.NONE:
                methods.update(getattr(route, "methods", None) or ())

    visit(request.app.router.routes, request.url.path)
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Problem)
        return problem_response(exc, _request_id(request), request.url.path)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if any(err.get("type") == "json_invalid" for err in exc.errors()):
            # Not a value that breaks a rule: a body nobody can read (API.md: 400).
            problem = Problem(400, "The body is not valid JSON.")
            return problem_response(problem, _request_id(request), request.url.path)
        errors = validation_errors(exc)
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        problem = Problem(422, detail, errors=errors)
        return problem_response(problem, _request_id(request), request.url.path)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if isinstance(exc, ProblemInBody):
            return problem_response(exc.problem, _request_id(request), request.url.path)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(request))
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = "No such resource."
        problem = Problem(exc.status_code, detail, headers=headers)
        return problem_response(problem, _request_id(request), request.url.path)

    async def on_rule(request: Request, exc: Exception) -> Response:
        # Domain code raises RuleViolation (422) and StateConflict (409) without knowing HTTP.
        assert isinstance(exc, RuleViolation)
        problem = Problem(
            422,
            f"{exc.field}: {exc.message}",
            errors=[{"field": exc.field, "message": exc.message}],
        )
        return problem_response(problem, _request_id(request), request.url.path)

    async def on_state(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StateConflict)
        problem = Problem(409, exc.message, type=exc.kind)
        return problem_response(problem, _request_id(request), request.url.path)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        problem = Problem(500, "An unexpected error occurred; it has been logged.")
        return problem_response(problem, _request_id(request), request.url.path)

    async def on_database(request: Request, exc: Exception) -> Response:
        if not is_unavailable(exc):
            return await on_internal(request, exc)
        # The class only: a driver's message can quote the statement's values.
        log.warning(
            "database unavailable on %s %s: %s",
            request.method,
            request.url.path,
            type(exc).__name__,
        )
        request.scope[DATABASE_UNAVAILABLE] = True
        problem = Problem(
            503,
            "The database is unavailable for a moment; try again shortly.",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )
        return problem_response(problem, _request_id(request), request.url.path)

    async def on_internal(request: Request, exc: Exception) -> Response:
        # As on_unexpected, for an exception class handled below the outermost layer.
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        problem = Problem(500, "An unexpected error occurred; it has been logged.")
        return problem_response(problem, _request_id(request), request.url.path)

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RuleViolation, on_rule)
    app.add_exception_handler(StateConflict, on_state)
    app.add_exception_handler(Exception, on_unexpected)
    database_errors: tuple[type[Exception], ...] = (DBAPIError, *UNAVAILABLE_TYPES)
    for database_error in database_errors:
        app.add_exception_handler(database_error, on_database)
