"""RFC 9457 problem+json for every failure, with the contract's fixed `type` URIs."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mtqg_shared.db import UNAVAILABLE_TYPES, is_unavailable
from mtqg_shared.messages import (
    DEFAULT_LANGUAGE,
    Language,
    Msg,
    Text,
    Verbatim,
    choose_language,
    code_of,
    field_message,
    msg,
    word,
)
from mtqg_shared.messages.pydantic import pydantic_message
from mtqg_shared.rules import RuleViolation, StateConflict

log = logging.getLogger("mtqg.errors")

PROBLEM_JSON = "application/problem+json"
# Seconds a client should wait before retrying after the database failed under its request.
DATABASE_RETRY_AFTER = 1
# Set in the request's scope when the answer is a 503 for a database failure; the outermost
# ASGI layer may then run a safe request once more instead of sending that answer.
DATABASE_UNAVAILABLE = "mtqg.database_unavailable"
# The scope's state key of the process's default language (MTQG_DEFAULT_LANGUAGE).
DEFAULT_LANGUAGE_STATE = "default_language"

# status -> the problem type used when a failure names no more specific one. Each type's title
# is the catalogue's `title.<type>`.
_DEFAULTS: dict[int, str] = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "duplicate",
    412: "precondition-failed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation",
    428: "precondition-required",
    429: "rate-limited",
    500: "internal",
    502: "bad-gateway",
    503: "service-unavailable",
    504: "service-timeout",
}
# Statuses the framework raises itself, each with its own detail (`http.<status>`).
_HTTP_DETAILS = frozenset({400, 401, 403, 404, 405, 406, 413, 415, 422, 500})
# How many field errors a 422's detail names (all of them are in `errors`).
_DETAIL_FIELDS = 5


@dataclass(frozen=True, slots=True)
class FieldError:
    """One item of a 422's `errors`: the field, a stable code, a message worded later."""

    field: str
    code: str
    message: Text

    def render(self, language: str) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message.render(language)}


def field_error(field: str, key: str, **params: object) -> FieldError:
    """`key` is the error's code, or `code.variant` for a more precise message."""
    return FieldError(field, code_of(key), field_message(key, **params))


def _render_value(value: Any, language: str) -> Any:
    if isinstance(value, Msg | Verbatim):
        return value.render(language)
    if isinstance(value, FieldError):
        return value.render(language)
    if isinstance(value, list):
        return [_render_value(item, language) for item in value]
    return value


class Problem(Exception):
    """An error answer. Raise it anywhere below a route; the handler renders it in the
    request's language. A 422 that names its fields may leave `detail` out: it lists them."""

    def __init__(
        self,
        status: int,
        detail: Text | None = None,
        *,
        type: str | None = None,
        title: Text | None = None,
        headers: Mapping[str, str] | None = None,
        errors: Sequence[FieldError | Mapping[str, Any]] | None = None,
        **extra: Any,
    ) -> None:
        self.status = status
        self.type = type or _DEFAULTS.get(status, "bad-request")
        self.title = title or msg(f"title.{self.type}")
        self.detail = detail
        self.headers = dict(headers or {})
        self.errors = list(errors) if errors is not None else None
        self.extra = extra
        super().__init__()

    def __str__(self) -> str:  # logs and tracebacks read English; worded only when asked
        return self.detail_in("en")

    def detail_in(self, language: str) -> str:
        if self.detail is not None:
            return self.detail.render(language)
        parts: list[str] = []
        for error in (self.errors or ())[:_DETAIL_FIELDS]:
            item = _render_value(error, language)
            parts.append(f"{item.get('field')}: {item.get('message')}")
        return "; ".join(parts) or msg("invalid_request").render(language)

    def body(
        self, instance: str, request_id: str | None, language: str = DEFAULT_LANGUAGE
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"/problems/{self.type}",
            "title": self.title.render(language),
            "status": self.status,
            "detail": self.detail_in(language),
            "instance": instance,
            "request_id": request_id,
        }
        if self.errors is not None:
            body["errors"] = [_render_value(error, language) for error in self.errors]
        for name, value in self.extra.items():
            body[name] = _render_value(value, language)
        return body

    def response_headers(self, language: str) -> dict[str, str]:
        return {**self.headers, **language_headers(language)}


def language_headers(language: str) -> dict[str, str]:
    """What an answer worded for the request's language says about it."""
    return {"Content-Language": language, "Vary": "Accept-Language"}


def request_language(scope: Mapping[str, Any]) -> Language:
    """The request's language: its `Accept-Language`, else the process's default (put in the
    scope by the outermost layer, `Observability`; else the app's settings)."""
    header: str | None = None
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            header = value.decode("latin-1")
            break
    default = (scope.get("state") or {}).get(DEFAULT_LANGUAGE_STATE)
    if default is None:
        settings = getattr(getattr(scope.get("app"), "state", None), "settings", None)
        default = getattr(settings, "default_language", DEFAULT_LANGUAGE)
    return choose_language(header, str(default))


class ProblemInBody(StarletteHTTPException):
    """A Problem raised while the app reads the body (from an ASGI `receive` wrapper): FastAPI
    turns other exceptions there into a generic 400, and lets an HTTPException through."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.status, str(problem), headers=problem.headers or None)
        self.problem = problem


def not_found(what: str = "resource") -> Problem:
    """404 for a missing (or unreadable) record; `what` is a word of the catalogue."""
    return Problem(404, msg("not_found", what=word(what)))


def validation_problem(field: str, key: str, **params: object) -> Problem:
    """422 for one field: `key` is the field error's code (or `code.variant`)."""
    return Problem(422, errors=[field_error(field, key, **params)])


def conflict(detail: Text, *, type: str = "duplicate") -> Problem:
    return Problem(409, detail, type=type)


def invalid_state(detail: Text) -> Problem:
    return Problem(409, detail, type="invalid-state")


def problem_response(problem: Problem, request: Request) -> Response:
    language = request_language(request.scope)
    return JSONResponse(
        problem.body(request.url.path, _request_id(request), language),
        status_code=problem.status,
        headers=problem.response_headers(language),
        media_type=PROBLEM_JSON,
    )


def _request_id(request: Request) -> str | None:
    rid = request.scope.get("state", {}).get("request_id")
    return str(rid) if rid else request.headers.get("x-request-id")


def _field_name(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


def validation_errors(errors: Sequence[Mapping[str, Any]]) -> list[FieldError]:
    """pydantic's errors as field errors with codes. pydantic's own wording and the `input`
    are left out, so that personal data (identity numbers, phone numbers) never reaches an
    error body."""
    out: list[FieldError] = []
    for err in errors:
        key, params = pydantic_message(err)
        out.append(
            FieldError(_field_name(err.get("loc", ())), code_of(key), field_message(key, **params))
        )
    return out


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
        return problem_response(exc, request)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if any(err.get("type") == "json_invalid" for err in exc.errors()):
            # Not a value that breaks a rule: a body nobody can read (API.md: 400).
            return problem_response(Problem(400, msg("json_invalid")), request)
        return problem_response(Problem(422, errors=validation_errors(exc.errors())), request)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if isinstance(exc, ProblemInBody):
            return problem_response(exc.problem, request)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(request))
        # The framework's own words ("Not Found") are replaced by the catalogue's.
        detail = msg(f"http.{exc.status_code}" if exc.status_code in _HTTP_DETAILS else "http")
        return problem_response(Problem(exc.status_code, detail, headers=headers), request)

    async def on_rule(request: Request, exc: Exception) -> Response:
        # Domain code raises RuleViolation (422) and StateConflict (409) without knowing HTTP.
        assert isinstance(exc, RuleViolation)
        error = FieldError(exc.field, exc.code, exc.message)
        return problem_response(Problem(422, errors=[error]), request)

    async def on_state(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StateConflict)
        return problem_response(Problem(409, exc.message, type=exc.kind), request)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(Problem(500, msg("internal")), request)

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
            msg("database_unavailable"),
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )
        return problem_response(problem, request)

    async def on_internal(request: Request, exc: Exception) -> Response:
        # As on_unexpected, for an exception class handled below the outermost layer.
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem_response(Problem(500, msg("internal")), request)

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RuleViolation, on_rule)
    app.add_exception_handler(StateConflict, on_state)
    app.add_exception_handler(Exception, on_unexpected)
    database_errors: tuple[type[Exception], ...] = (DBAPIError, *UNAVAILABLE_TYPES)
    for database_error in database_errors:
        app.add_exception_handler(database_error, on_database)
