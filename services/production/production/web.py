"""HTTP glue of the service: documented problem answers, domain errors as problems, the
headers routes read, the settings dependency and the list parameters."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import Response

from mtqg_shared.errors import PROBLEM_JSON, Problem, invalid_state, problem_response
from mtqg_shared.pagination import ListParams, decode_cursor, list_params
from production.config import Settings
from production.domain.errors import InvalidMove, RuleBroken

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
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
                "required": ["field", "message"],
            },
        },
    },
    "required": ["type", "title", "status"],
}

_WHY = {
    400: "The body could not be read (not JSON, not UTF-8).",
    401: "No valid bearer token.",
    403: "The caller's roles, scopes or areas do not allow this.",
    404: "No such record within the caller's areas.",
    409: "The record's present state does not allow this, or a duplicate.",
    412: "If-Match names an older version.",
    422: "A data rule is broken, or an unknown parameter or field was sent.",
    413: "The body is too large.",
    428: "If-Match is required.",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: each status answered as problem+json."""
    return {
        code: {"description": _WHY[code], "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}}}
        for code in codes
    }


LIST = problems(401, 403, 404, 422)
READ_ONE = problems(401, 403, 404, 422)
CREATE = problems(401, 403, 409, 422)
UPDATE = problems(401, 403, 404, 409, 412, 422, 428)
SUB_CREATE = problems(401, 403, 404, 409, 422)


def rule_problem(exc: RuleBroken) -> Problem:
    return Problem(
        422, f"{exc.field}: {exc.message}", errors=[{"field": exc.field, "message": exc.message}]
    )


def install_domain_errors(app: FastAPI) -> None:
    """Domain rules raise their own errors; they answer as the contract's problems."""

    def request_id(request: Request) -> str | None:
        rid = request.scope.get("state", {}).get("request_id")
        return str(rid) if rid else None

    async def on_rule(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RuleBroken)
        return problem_response(rule_problem(exc), request_id(request), request.url.path)

    async def on_move(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InvalidMove)
        return problem_response(invalid_state(exc.message), request_id(request), request.url.path)

    app.add_exception_handler(RuleBroken, on_rule)
    app.add_exception_handler(InvalidMove, on_move)


def document_problems(app: FastAPI) -> None:
    """Routes built by the shared factory (the audit log) document FastAPI's own 422 shape;
    here every 422 is problem+json, every /api route may answer 401 and 403, and every route
    with a body 400 (unreadable) and 413 (too large)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        for path, item in schema.get("paths", {}).items():
            for operation in item.values():
                answers = operation.setdefault("responses", {})
                if "422" in answers and PROBLEM_JSON not in answers["422"].get("content", {}):
                    answers["422"] = problems(422)[422]
                codes: tuple[int, ...] = (401, 403) if path.startswith("/api/") else ()
                if "requestBody" in operation:
                    codes += (400, 413)
                for code in codes:
                    answers.setdefault(str(code), problems(code)[code])
        ready = schema.get("paths", {}).get("/readyz", {}).get("get")
        if ready is not None:
            ready["responses"].setdefault(
                "503",
                {
                    "description": "The database does not answer.",
                    "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}},
                },
            )
        metrics = schema.get("paths", {}).get("/metrics", {}).get("get")
        if metrics is not None:
            metrics["responses"]["200"]["content"] = {"text/plain": {"schema": {"type": "string"}}}
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def idempotency_key_doc(
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=255,
            description="Replays the first answer for the same body within 24 h.",
        ),
    ] = None,
) -> None:
    """Documents the header; the shared write context reads and enforces it."""


def if_match_doc(
    if_match: Annotated[
        str | None,
        Header(alias="If-Match", description='The ETag of the version read, e.g. "3".'),
    ] = None,
) -> None:
    """Documents the header; check_if_match enforces it (428 missing, 412 stale)."""


IDEMPOTENT = [Depends(idempotency_key_doc)]
CONDITIONAL = [Depends(if_match_doc)]


def service_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


ServiceSettings = Annotated[Settings, Depends(service_settings)]


def _utc_or_422(at: dt.datetime, field: str) -> None:
    try:
        at.astimezone(dt.UTC)
    except (OverflowError, ValueError) as exc:
        raise Problem(
            422, f"{field} is out of range.", errors=[{"field": field, "message": "out of range"}]
        ) from exc


def checked_list_params(params: Annotated[ListParams, Depends(list_params)]) -> ListParams:
    # A timestamp at the edge of the calendar (year 1 east of UTC) cannot be turned into UTC
    # for the query: refuse it here rather than fail in the database driver.
    if params.updated_after is not None:
        _utc_or_422(params.updated_after, "query.updated_after")
    if params.cursor:
        _utc_or_422(decode_cursor(params.cursor)[0], "query.cursor")
    return params


Listing = Annotated[ListParams, Depends(checked_list_params)]
