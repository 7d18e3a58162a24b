"""`POST /api/v1/<service>/batch` (API.md section 8): a phone's offline queue, or another
system's writes, sent in one request and run in order, each exactly as the same request sent on
its own would run.

Each operation is dispatched through the service's own ASGI app, in process, with a request
made of the operation (method, path, `Idempotency-Key`, `If-Match`, body) and the batch's own
`Authorization` and `Accept-Language`: the same route, the same token check, rules, areas, its
own transaction, audit rows and idempotency record, the same metrics and access line. Nothing
of a write is done twice or differently, and the batch gives no more access than its
operations would one by one. The operations run one after another, so a later one may use a
client-made `id` an earlier one created (and `If-Match: "1"` on a record created just before).

What is refused where:

- The batch's own shape (its envelope) is checked first, whole: no `operations`, 0 or more than
  100 of them, a `method` other than POST, PATCH or PUT, a header other than `Idempotency-Key`
  and `If-Match`, an unknown member: 422 for the batch and nothing runs. These are documented
  in the schema (the methods as an enum, like every enum of the API), and a client that sends
  another is wrong in its code, not in one record of its queue; running the rest would hide it.
- An operation's `path` is data (record ids in it), so a path outside this service's prefix or
  the batch's own path (no batch inside a batch) is that operation's own 422, naming
  `body.operations.<n>.path`; the others still run.
- Everything else is what the operation's own request answers (401, 403, 404, 409, 412, 415,
  422, 428, ...), as its result.

The batch takes an `Idempotency-Key` of its own too: the same key with the same batch replays
the whole answer without running anything again.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Literal
from urllib.parse import quote, unquote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.types import ASGIApp, Receive, Scope

from mtqg_shared.auth import Writer
from mtqg_shared.errors import PROBLEM_JSON, Problem, field_error, request_language
from mtqg_shared.fields import IdempotencyKey
from mtqg_shared.inprocess import Answer, call, request_scope
from mtqg_shared.kit.http import JSONBytes
from mtqg_shared.kit.vocabulary import terms
from mtqg_shared.messages import msg
from mtqg_shared.openapi import PROBLEM_REF, problems
from mtqg_shared.writes import Claim, Idempotency, fingerprint, request_id_of

log = logging.getLogger("mtqg.batch")

MAX_OPERATIONS = 100
METHODS = ("POST", "PATCH", "PUT")
# The answer headers a result passes on: what a client acts on, spelled as the API spells them.
RESULT_HEADERS = {
    name.lower(): name
    for name in (
        "ETag",
        "Location",
        "Idempotent-Replayed",
        "Content-Type",
        "Content-Language",
        "Retry-After",
        "Allow",
        "WWW-Authenticate",
        "X-Request-ID",
    )
}
# The batch's own request headers an operation's request carries (the rest are the
# operation's own, or made for it).
_PASSED_ON = frozenset({b"authorization", b"accept-language", b"host", b"user-agent"})
# A header value as one HTTP request could carry it: printable ASCII.
_HEADER_TEXT = r"^[ -~]+$"
# Request ids are at most 128 characters (mtqg_shared.middleware); an operation's adds ".<n>".
_REQUEST_ID_ROOM = 120

BATCH_TAG = {
    "batch": "Several writes in one request (a phone's offline queue), run in order, each as "
    "its own request would run."
}


class BatchOperationHeaders(BaseModel):
    """The request headers an operation may carry of its own."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str | None = Field(
        default=None,
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=_HEADER_TEXT,
        description="As on the request alone: replays its first answer for the same body.",
    )
    if_match: str | None = Field(
        default=None,
        alias="If-Match",
        min_length=1,
        max_length=255,
        pattern=_HEADER_TEXT,
        description='The version the change was made from, e.g. "1" for a record just created.',
    )


class BatchOperation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Literal["POST", "PATCH", "PUT"]
    path: str = Field(
        min_length=1,
        max_length=2000,
        pattern=r"^/",
        description="The operation's path in full, under this service's prefix "
        "(`/api/v1/housing/cases` for housing's).",
    )
    headers: BatchOperationHeaders = Field(default_factory=BatchOperationHeaders)
    body: Any = Field(
        default=None,
        description="The request's JSON body, as it would be sent alone (left out: no body).",
    )


# The words of the methods a batch runs (every service's vocabulary has them).
METHOD_TERMS = terms(
    BatchOperation.model_fields["method"].annotation,
    {
        "POST": ("Tạo mới (hoặc thêm một bước, một khoản)", "Create (or add a step, an entry)"),
        "PATCH": ("Sửa một số trường", "Change some fields"),
        "PUT": ("Ghi thay toàn bộ", "Put in place, whole"),
    },
    name="method",
)


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    operations: list[BatchOperation] = Field(min_length=1, max_length=MAX_OPERATIONS)


class BatchOperationResult(BaseModel):
    status: int = Field(description="The status the operation's own request answered.")
    headers: dict[str, str] = Field(
        description="Its answer's headers a client acts on: ETag, Location, "
        "Idempotent-Replayed, Content-Type, Content-Language, Retry-After, Allow, "
        "WWW-Authenticate, X-Request-ID."
    )
    body: Any = Field(description="Its answer's JSON body (a record, a problem), or null.")


class BatchResults(BaseModel):
    results: list[BatchOperationResult] = Field(description="One per operation, in their order.")


# The client-made id of the documented example's record.
_EXAMPLE_ID = "6f1c2a9e-3b7d-4c1e-9a52-0d8e4f7b1a23"


def _body_schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    """An operation's JSON body schema, its reference followed."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema: dict[str, Any] = content.get("schema", {})
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        found: dict[str, Any] = document["components"]["schemas"].get(ref.rsplit("/", 1)[1], {})
        return found
    return schema


def _schema_example(schema: dict[str, Any]) -> dict[str, Any]:
    """The first example of a body schema (an object), else {}."""
    example = (schema.get("examples") or [{}])[0]
    return dict(example) if isinstance(example, dict) else {}


def batch_example(document: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A documented batch made of the service's own operations: a record created with the
    phone's own id, then changed from its version 1 (the first collection that has both)."""
    paths: dict[str, Any] = document.get("paths", {})
    for path, item in paths.items():
        create = item.get("post")
        if not path.startswith(prefix + "/") or "{" in path or create is None:
            continue
        made = _body_schema(document, create)
        if "id" not in made.get("properties", {}):
            continue  # not made with the client's own id
        changes = [
            (p, i["patch"])
            for p, i in paths.items()
            if "patch" in i and re.fullmatch(re.escape(path) + r"/\{[^}/]+\}", p)
        ]
        if not changes:
            continue
        record = f"{path}/{_EXAMPLE_ID}"
        return {
            "operations": [
                {
                    "method": "POST",
                    "path": path,
                    "headers": {"Idempotency-Key": "phone-7-op-41"},
                    "body": {**_schema_example(made), "id": _EXAMPLE_ID},
                },
                {
                    "method": "PATCH",
                    "path": record,
                    "headers": {"Idempotency-Key": "phone-7-op-42", "If-Match": '"1"'},
                    "body": _schema_example(_body_schema(document, changes[0][1])),
                },
            ]
        }
    return {"operations": [{"method": "POST", "path": f"{prefix}/...", "body": {}}]}


def _json_schema(answer: dict[str, Any]) -> dict[str, Any] | None:
    schema = answer.get("content", {}).get("application/json", {}).get("schema")
    return dict(schema) if isinstance(schema, dict) else None


def _shapes(document: dict[str, Any], prefix: str) -> tuple[list[Any], list[Any]]:
    """The bodies the service's writes take, and those they answer (each once)."""
    taken: dict[str, Any] = {}
    given: dict[str, Any] = {}
    for path, item in document.get("paths", {}).items():
        if not path.startswith(prefix + "/") or path == f"{prefix}/batch":
            continue
        for method in ("post", "patch", "put"):
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            schema = _json_schema(operation.get("requestBody", {}))
            if schema is not None:
                taken.setdefault(json.dumps(schema, sort_keys=True), schema)
            for code, answer in operation.get("responses", {}).items():
                schema = _json_schema(answer) if code.startswith("2") else None
                if schema is not None:
                    given.setdefault(json.dumps(schema, sort_keys=True), schema)
    return list(taken.values()), list(given.values())


def document_batch(app: FastAPI, prefix: str) -> None:
    """The batch operation's shapes and example, from the app's finished document: an
    operation's body is one of the bodies the service's writes take, a result's one of those
    they answer or a problem (or null), so that a client generated from the document types
    them; the example is made of the service's own first collection."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            operation = document.get("paths", {}).get(f"{prefix}/batch", {}).get("post")
            if operation is not None:
                schemas = document["components"]["schemas"]
                taken, given = _shapes(document, prefix)
                body = schemas["BatchOperation"]["properties"]["body"]
                body.pop("anyOf", None)
                if taken:
                    body["anyOf"] = taken
                answered = schemas["BatchOperationResult"]["properties"]["body"]
                answered["anyOf"] = [*given, dict(PROBLEM_REF), {"type": "null"}]
                content = operation["requestBody"]["content"]["application/json"]
                content["examples"] = {"offline queue": {"value": batch_example(document, prefix)}}
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _problem_result(
    problem: Problem, scope: Scope, instance: str, request_id: str | None
) -> BatchOperationResult:
    """An operation refused before it ran, answered as its own request's problem would be."""
    language = request_language(scope)
    headers = {"Content-Type": PROBLEM_JSON, **problem.response_headers(language)}
    headers.pop("Vary", None)
    if request_id is not None:
        headers["X-Request-ID"] = request_id
    return BatchOperationResult(
        status=problem.status, headers=headers, body=problem.body(instance, request_id, language)
    )


def _refusal(operation: BatchOperation, index: int, prefix: str, batch_path: str) -> Problem | None:
    """Why the batch does not run this operation at all, or None."""
    path = unquote(operation.path.partition("?")[0])
    field = f"body.operations.{index}.path"
    if path == batch_path:
        return Problem(422, errors=[field_error(field, "invalid.batch_in_batch")])
    if not path.startswith(prefix + "/"):
        return Problem(422, errors=[field_error(field, "invalid.batch_outside", prefix=prefix)])
    return None


def _operation_scope(
    outer: Scope, operation: BatchOperation, request_id: str | None, body: bytes | None
) -> Scope:
    raw_path, _, query = operation.path.partition("?")
    raw = quote(raw_path, safe="/%:@!$&'()*+,;=-._~")
    headers: list[tuple[bytes, bytes]] = [
        (name, value) for name, value in outer["headers"] if name in _PASSED_ON
    ]
    if request_id is not None:
        headers.append((b"x-request-id", request_id.encode()))
    if operation.headers.idempotency_key is not None:
        headers.append((b"idempotency-key", operation.headers.idempotency_key.encode()))
    if operation.headers.if_match is not None:
        headers.append((b"if-match", operation.headers.if_match.encode()))
    if body is not None:
        headers.append((b"content-type", b"application/json"))
        headers.append((b"content-length", str(len(body)).encode()))
    return request_scope(
        outer,
        method=operation.method,
        path=unquote(raw),
        raw_path=raw.encode("ascii"),
        query=quote(query, safe="=&%+").encode("ascii"),
        headers=headers,
        root_path=outer.get("root_path", ""),
    )


async def _dispatch(
    app: ASGIApp, scope: Scope, body: bytes | None, outer_receive: Receive
) -> BatchOperationResult:
    """Run one operation's request through the app; its answer as a result."""
    sent = Answer()
    try:
        await call(app, scope, body or b"", then=outer_receive, answer=sent)
    except Exception:
        # The app's outermost layer answers 500 and raises again; that answer is the result.
        # A failure before any answer is this operation's 500 too, never the whole batch's.
        if not sent.started:
            log.exception("batch operation %s %s failed", scope["method"], scope["path"])
            request_id = dict(scope["headers"]).get(b"x-request-id", b"").decode() or None
            return _problem_result(Problem(500, msg("internal")), scope, scope["path"], request_id)
    headers: dict[str, str] = {}
    for name, value in sent.headers:
        known = RESULT_HEADERS.get(name.decode("latin-1"))
        if known is not None:
            headers[known] = value.decode("latin-1")
    answer: Any = None
    if sent.body:
        try:
            answer = json.loads(sent.body)
        except ValueError:
            answer = sent.body.decode("utf-8", "replace")
    return BatchOperationResult(status=sent.status, headers=headers, body=answer)


def batch_router(service: str) -> APIRouter:
    """`POST /api/v1/<service>/batch`, made by the service app factory for every service."""
    prefix = f"/api/v1/{service}"
    batch_path = f"{prefix}/batch"
    router = APIRouter(prefix=prefix, tags=list(BATCH_TAG))

    @router.post(
        "/batch",
        operation_id=f"{service}.batch",
        summary="Run up to 100 writes in order, each as its own request would run",
        description=(
            "Each operation (POST, PATCH or PUT of a path of this service) runs as the same "
            "request sent alone: its own transaction, rules, areas, audit and idempotency, "
            "with this request's token and language. The answer is 200 with one result per "
            "operation, whatever each one's outcome; a later operation may use a client-made "
            "`id` an earlier one created, and a record starts at version 1 (`If-Match: "
            '"1"`). 422 for the whole batch when its shape is wrong (no operation, more than '
            "100, another method or header); an operation's path outside this service, or "
            "another batch, is that operation's own 422. Through the gateway each operation "
            "counts against the caller's rate limit."
        ),
        response_model=BatchResults,
        responses={
            200: {"description": "One result per operation, in their order."},
            **problems(409),
        },
    )
    async def batch(
        request: Request,
        body: BatchRequest,
        principal: Writer,
        key: IdempotencyKey = None,
    ) -> Response:
        idem: Idempotency = request.app.state.idempotency
        claim: Claim | None = None
        if key is not None:
            print_ = fingerprint(request.method, request.url.path, await request.body())
            claim = await idem.claim(principal.key, key, print_)
        try:
            results = await run(request, body.operations, prefix, batch_path)
            content = BatchResults(results=results).model_dump_json()
            if claim is not None:
                await idem.finish(claim, 200, content, {"content-type": "application/json"})
                claim = None
        finally:
            if claim is not None:  # the batch broke off: a retry runs again
                await idem.release(claim)
        return JSONBytes(content.encode())

    return router


async def run(
    request: Request, operations: list[BatchOperation], prefix: str, batch_path: str
) -> list[BatchOperationResult]:
    """Each operation in order, through the app that received the batch."""
    app: ASGIApp = request.app
    outer = request.scope
    batch_id = request_id_of(request)
    results: list[BatchOperationResult] = []
    for index, operation in enumerate(operations):
        request_id = f"{batch_id[:_REQUEST_ID_ROOM]}.{index + 1}" if batch_id else None
        refused = _refusal(operation, index, prefix, batch_path)
        if refused is not None:
            results.append(_problem_result(refused, outer, operation.path, request_id))
            continue
        body = (
            json.dumps(operation.body, separators=(",", ":")).encode()
            if "body" in operation.model_fields_set
            else None
        )
        scope = _operation_scope(outer, operation, request_id, body)
        results.append(await _dispatch(app, scope, body, request.receive))
    return results
