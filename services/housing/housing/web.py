"""What every housing route shares: the prefix, the read session, the documented headers and
error answers, text types that refuse what a database cannot store, and the translation of
domain rule breaks into the contract's problems."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import Response
from pydantic import AfterValidator, StringConstraints
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from housing.domain.rules import RuleViolation, StateConflict
from mtqg_shared.admin_units import Area
from mtqg_shared.areas import resolve_filter_area
from mtqg_shared.auth import Principal
from mtqg_shared.db import Database
from mtqg_shared.errors import Problem, problem_response
from mtqg_shared.types import utcnow

PREFIX = "/api/v1/housing"

# Titles of the error answers each route documents (the bodies are problem+json; see openapi).
_DESCRIPTIONS = {
    401: "No valid bearer token",
    403: "The caller's role, scope or areas do not allow this",
    404: "No such record within the caller's areas",
    409: "The record's present state does not allow this, or a duplicate",
    412: "If-Match names a version that is no longer current",
    422: "A data rule is broken (errors[] names the fields)",
    428: "If-Match is required",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: 401 and 422 always (every route needs a token and refuses
    unknown parameters), plus the codes given."""
    wanted = sorted({401, 422, *codes})
    return {code: {"description": _DESCRIPTIONS[code]} for code in wanted}


def _clean(value: str) -> str:
    # PostgreSQL text cannot hold NUL, and lone surrogates cannot be encoded: refuse them
    # here (422) rather than fail in the database (500).
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


_NO_NUL = r"^[^\x00]*$"
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_NO_NUL),
    AfterValidator(_clean),
]
OptionalName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200, pattern=_NO_NUL),
    AfterValidator(_clean),
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=4000, pattern=_NO_NUL),
    AfterValidator(_clean),
]
RequiredLongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000, pattern=_NO_NUL),
    AfterValidator(_clean),
]
HouseholdCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[^\x00]+$"),
    AfterValidator(_clean),
]

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


async def read_session(request: Request) -> AsyncIterator[AsyncSession]:
    db: Database = request.app.state.db
    async with db.session(write=False) as session:
        yield session


ReadSession = Annotated[AsyncSession, Depends(read_session)]


def not_found(what: str) -> Problem:
    return Problem(404, f"No such {what}.")


def invalid(field: str, message: str) -> Problem:
    return Problem(422, f"{field}: {message}", errors=[{"field": field, "message": message}])


def duplicate(detail: str, **extra: Any) -> Problem:
    return Problem(409, detail, type="duplicate", **extra)


def refuse_nulls(values: Mapping[str, Any], fields_set: Iterable[str], required: set[str]) -> None:
    """PATCH: a field that a record must have may be left out, but not set to null."""
    for name in fields_set:
        if name in required and values.get(name) is None:
            raise invalid(f"body.{name}", "may not be null")


async def flush_or_conflict(session: AsyncSession, detail: str, *, type: str = "duplicate") -> None:
    """Flush; a unique constraint that a racing request won becomes 409, never 500."""
    try:
        await session.flush()
    except IntegrityError as exc:
        await session.rollback()
        raise Problem(409, detail, type=type) from exc


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


def filter_area(principal: Principal, area_code: str | None, geography: str | None) -> Area | None:
    """An optional `area_code` filter (422 unknown, 404 wholly outside the caller's areas)."""
    if area_code is None:
        if geography is not None:
            raise invalid("query.geography", "geography qualifies area_code; give both")
        return None
    return resolve_filter_area(principal, area_code, geography)


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


def stamps(principal: Principal) -> dict[str, Any]:
    """The record columns of a new row: one timestamp for created_at and updated_at."""
    now = utcnow()
    return {"created_at": now, "updated_at": now, "created_by": principal.key, "version": 1}
