"""What every labour resource uses the same way: input types, the documented error answers,
area filters, and turning database races into 409s."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from typing import Annotated, Any, NoReturn

from fastapi import FastAPI, Header, Query, Request
from fastapi.responses import Response
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from sqlalchemy import ColumnElement, and_
from sqlalchemy.exc import IntegrityError

from labour.domain.rules import RuleViolation, StateConflict
from mtqg_shared.areas import in_area, readable, resolve_filter_area
from mtqg_shared.auth import Principal
from mtqg_shared.errors import Problem, conflict, problem_response
from mtqg_shared.schemas import AreaRef
from mtqg_shared.writes import WriteContext

PREFIX = "/api/v1/labour"

_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_day(value: object) -> object:
    # FastAPI validates bodies as Python objects, where pydantic's lax mode would also take a
    # number of seconds or a timestamp for a date; the contract says YYYY-MM-DD, so only that.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    raise ValueError("must be a date written YYYY-MM-DD")


def _storable(value: str) -> str:
    # PostgreSQL text cannot hold NUL and a lone surrogate cannot be encoded: refuse them here
    # (422) rather than fail in the database (500).
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


_STORABLE = AfterValidator(_storable)


def _bounded(min_length: int, max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


# Text the database can store: stripped, bounded, no NUL, valid Unicode.
Name = Annotated[str, _bounded(1, 200), _STORABLE]
ShortText = Annotated[str, _bounded(1, 64), _STORABLE]
LongText = Annotated[str, _bounded(1, 400), _STORABLE]
Note = Annotated[str, _bounded(0, 4000), _STORABLE]
HouseholdCode = Annotated[str, _bounded(1, 32), _STORABLE]
SearchText = Annotated[str, _bounded(1, 100), _STORABLE]
Day = Annotated[dt.date, BeforeValidator(_iso_day)]
Count = Annotated[int, Field(ge=0, le=100_000_000, strict=True)]
Year = Annotated[int, Field(ge=1990, le=2100)]

# Documented so clients see them; the shared write context and check_if_match read them.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Replays the first answer for the same key and body within 24 h.",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description='The ETag of the version read, e.g. "3".'),
]
AreaFilter = Annotated[
    str | None,
    Query(
        pattern=r"^([0-9]{2}|[0-9]{3}|[0-9]{5})$",
        description="15 (province), 10 (old Lào Cai), a 3-digit old district or a commune.",
    ),
]
GeographyFilter = Annotated[
    str | None,
    Query(pattern=r"^2025-(01|07)$", description="How to read a commune area_code."),
]

_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": ["string", "null"]},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
_DESCRIPTIONS = {
    400: "The body cannot be read (not UTF-8 JSON).",
    401: "No valid bearer token.",
    403: "The caller's roles or scopes do not allow this (or the record is only readable).",
    404: "No such record within the caller's areas.",
    409: "Duplicate, or the record's state does not allow this.",
    412: "If-Match names a version that is no longer current.",
    413: "The body is too large.",
    422: "A data rule is broken (errors[] names the fields).",
    428: "If-Match is required.",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the problem+json answers a route can give."""
    every = {401, 403, 422, *codes}
    return {
        code: {
            "description": _DESCRIPTIONS[code],
            "content": {"application/problem+json": {"schema": _PROBLEM_SCHEMA}},
        }
        for code in sorted(every)
    }


def document_problems(app: FastAPI) -> None:
    """Make the OpenAPI document say what every route really answers: the shared audit route
    and FastAPI's own 422 answer problem+json (not HTTPValidationError JSON), and /metrics is
    Prometheus text."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        for path, operations in document.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if path.startswith(PREFIX):
                    for code, answer in problems(*_CODES_OF_EVERY_ROUTE).items():
                        responses.setdefault(str(code), answer)
                    responses["422"] = problems()[422]
                if path == "/readyz":
                    responses["503"] = {
                        "description": "The database does not answer.",
                        "content": {"application/problem+json": {"schema": _PROBLEM_SCHEMA}},
                    }
                if path == "/metrics":
                    responses["200"]["content"] = {"text/plain": {"schema": {"type": "string"}}}
        document.get("components", {}).get("schemas", {}).pop("HTTPValidationError", None)
        document.get("components", {}).get("schemas", {}).pop("ValidationError", None)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


_CODES_OF_EVERY_ROUTE = (401, 403, 422)
READ = problems(404)
CREATE = problems(400, 409, 413)
CHANGE = problems(400, 404, 409, 412, 413, 428)
STEP = problems(400, 404, 409, 413)


def invalid(field: str, message: str) -> Problem:
    return Problem(422, message, errors=[{"field": field, "message": message}])


def invalid_many(errors: Sequence[tuple[str, str]]) -> Problem:
    return Problem(
        422,
        "; ".join(f"{f}: {m}" for f, m in errors),
        errors=[{"field": f, "message": m} for f, m in errors],
    )


async def flush_or_conflict(ctx: WriteContext, detail: str, *, type: str = "duplicate") -> None:
    """Flush; a unique rule another request won meanwhile becomes 409. The database's own
    message is never shown: it can quote the conflicting values (identity numbers)."""
    try:
        await ctx.session.flush()
    except IntegrityError:
        await ctx.session.rollback()
        raise conflict(detail, type=type) from None


async def refuse_taken_id(ctx: WriteContext, model: type[Any], id_: uuid.UUID | None) -> None:
    """A client-made id that already exists is 409 duplicate, whatever the record's age
    (without saying anything about the record)."""
    if id_ is not None and await ctx.session.get(model, id_) is not None:
        raise conflict("A record with this id already exists.")


def fail_conflict(detail: str) -> NoReturn:
    raise conflict(detail)


def area_filter(
    principal: Principal,
    area_code: str | None,
    geography: str | None,
    commune_col: Any,
    legacy_commune_col: Any,
) -> tuple[ColumnElement[bool], AreaRef]:
    """What a list or report counts: the caller's readable records, inside `area_code` when
    given (404 when it lies wholly outside the caller's areas). The whole province when
    absent."""
    if area_code is None and geography is not None:
        raise invalid("query.geography", "geography qualifies area_code; give both")
    area = resolve_filter_area(principal, area_code or "15", geography)
    condition = and_(
        readable(principal, commune_col), in_area(area, commune_col, legacy_commune_col)
    )
    return condition, AreaRef(code=area.code, name=area.name)


def install_rule_handlers(app: FastAPI) -> None:
    """Domain code raises RuleViolation (422) and StateConflict (409) without knowing HTTP."""

    def _request_id(request: Request) -> str | None:
        rid = request.scope.get("state", {}).get("request_id")
        return str(rid) if rid else None

    async def on_rule(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RuleViolation)
        problem = invalid(exc.field, exc.message)
        return problem_response(problem, _request_id(request), request.url.path)

    async def on_state(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StateConflict)
        problem = Problem(409, exc.message, type=exc.kind)
        return problem_response(problem, _request_id(request), request.url.path)

    app.add_exception_handler(RuleViolation, on_rule)
    app.add_exception_handler(StateConflict, on_state)
