"""Pure ASGI middleware: request ids, JSON access logs, Prometheus metrics, body limits,
unstorable text and one retry of a read the database failed, in one layer that every process
(services and gateway) puts outermost."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import time
from typing import Any
from urllib.parse import parse_qsl

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mtqg_shared.errors import (
    DATABASE_UNAVAILABLE,
    DEFAULT_LANGUAGE_STATE,
    Problem,
    ProblemInBody,
    field_error,
    request_language,
)
from mtqg_shared.fields import is_storable
from mtqg_shared.messages import DEFAULT_LANGUAGE, msg

access_log = logging.getLogger("mtqg.access")
_encode = json.encoder.encode_basestring  # a JSON string literal, as json.dumps writes it

REQUESTS = Counter(
    "mtqg_http_requests_total",
    "HTTP requests answered.",
    ["service", "method", "route", "status"],
)
LATENCY = Histogram(
    "mtqg_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Uploads (a spreadsheet import, API.md section 10): their own size limit, and a file is not
# text to check for control characters (the import checks each cell it reads).
UPLOAD_PATH = re.compile(r"^/api/v1/[a-z][a-z0-9_-]*/imports$")
# Room for the multipart envelope and the form fields beside an uploaded file.
UPLOAD_ENVELOPE_BYTES = 64 * 1024


def request_id_from(scope: Scope) -> str:
    """Accept a caller's X-Request-ID when it is sane, else make one."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text: str = value.decode("latin-1")
            if _VALID_ID.match(text):
                return text
            break
    return secrets.token_hex(16)


class _TooLarge(ProblemInBody):
    """A streamed (chunked) body passed the limit while the app read it: 413, not the
    generic 400 FastAPI makes of other failures there."""

    def __init__(self, limit: int) -> None:
        super().__init__(Problem(413, msg("body_too_large", limit=limit)))


class _Unstorable(ProblemInBody):
    """Raised by `receive`: rendered by the app's handlers, or here when no app catches it."""


# Control characters as fields.storable refuses them (tab, line feed and carriage return kept).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Body media types whose text is checked: JSON, form fields, multipart form fields.
_JSON, _FORM, _MULTIPART = "json", "form", "multipart"
# Methods that read only: run once more when the database failed under them.
_SAFE = frozenset({"GET", "HEAD"})


def unstorable_text(field: str) -> Problem:
    return Problem(422, errors=[field_error(field, "invalid_format.control_characters")])


def _bad_pairs(encoded: bytes, where: str) -> str | None:
    """The first name=value pair (query string, form body) with unstorable text, as a field."""
    for name, value in parse_qsl(
        encoded.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace"
    ):
        if not (is_storable(name) and is_storable(value)):
            return f"{where}.{name}" if is_storable(name) else where
    return None


def _bad_json(value: Any, where: str) -> str | None:
    """The first string (member name or value) in parsed JSON that a database cannot store."""
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        current, at = stack.pop()
        if isinstance(current, str):
            if not is_storable(current):
                return at
        elif isinstance(current, dict):
            for key, item in current.items():
                if not is_storable(key):
                    return at
                stack.append((item, f"{at}.{key}"))
        elif isinstance(current, list):
            stack.extend((item, f"{at}.{i}") for i, item in enumerate(current))
    return None


def body_text_problem(kind: str, body: bytes) -> Problem | None:
    """422 when a JSON, form or multipart body holds text a database cannot store (NUL, other
    control characters, lone surrogates); None when it is fine or for the app to judge (JSON
    that does not parse is the app's 400)."""
    if kind == _JSON:
        # Raw control characters other than whitespace make invalid JSON (the app's 400),
        # except DEL; escaped ones (\u0000) and lone surrogates (\ud800) need the parse.
        if b"\\u" not in body and b"\x7f" not in body:
            return None
        try:
            parsed = json.loads(body)
        except ValueError:
            return None
        field = _bad_json(parsed, "body")
    elif kind == _FORM:
        if b"%" not in body and not _CONTROL_BYTES.search(body):
            return None
        field = _bad_pairs(body, "body")
    else:  # multipart: this API has no file fields, so every part is text sent as it is
        field = "body" if _CONTROL_BYTES.search(body) else None
    return unstorable_text(field) if field is not None else None


def _body_kind(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media = value.split(b";", 1)[0].strip().lower()
            if media == b"application/x-www-form-urlencoded":
                return _FORM
            if media == b"multipart/form-data":
                return _MULTIPART
            if media == b"application/json" or (
                media.startswith(b"application/") and media.endswith(b"+json")
            ):
                return _JSON
            return None
    return _JSON  # undeclared: a JSON route refuses it (415); others may read it as JSON


def request_text_problem(scope: Scope) -> Problem | None:
    """404 for a path with unstorable text (no resource has such a name), 422 for a query."""
    if not is_storable(scope["path"]):
        return Problem(404, msg("http.404"))
    query: bytes = scope.get("query_string", b"")
    if query and (b"%" in query or _CONTROL_BYTES.search(query)):
        field = _bad_pairs(query, "query")
        if field is not None:
            return unstorable_text(field)
    return None


class AccessLines:
    """Access lines of one event-loop turn, logged together when the turn ends."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def add(self, line: str) -> None:
        if not self._lines:
            asyncio.get_running_loop().call_soon(self.flush)
        self._lines.append(line)

    def flush(self) -> None:
        lines, self._lines = self._lines, []
        if lines:
            access_log.info("\n".join(lines))


class Observability:
    """Request id, JSON access log, metrics and the body limit (413), in one pure-ASGI layer.

    One layer and one `send` wrapper instead of several, no `receive` wrapper for requests
    without a body, metric children looked up once per (method, route, status), and access
    lines handed to `logging` once per event-loop turn, joined by newlines (with the
    one-message format of `configure_logging` the output is the same lines). Measured on the
    gateway's forwarding path: about a third of the cost of separate middlewares
    (bench/gateway_forwarding.py).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        service: str,
        max_body_bytes: int,
        log_requests: bool = True,
        default_language: str = DEFAULT_LANGUAGE,
        upload_bytes: int | None = None,
    ) -> None:
        self.app = app
        # POST of an upload path: the file's limit and the envelope around it.
        self.upload_bytes = (
            upload_bytes + UPLOAD_ENVELOPE_BYTES if upload_bytes is not None else None
        )
        self.default_language = default_language
        self.service = service
        self.max_bytes = max_body_bytes
        self.log_requests = log_requests
        self.lines = AccessLines()
        self._counters: dict[tuple[str, str, int], Any] = {}
        self._latencies: dict[tuple[str, str], Any] = {}
        self._prefix = _encode(service)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = request_id_from(scope)
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        state[DEFAULT_LANGUAGE_STATE] = self.default_language
        rid_header = (b"x-request-id", rid.encode())
        status = 500
        response_started = False
        # A read whose database failed (503, see errors.DATABASE_UNAVAILABLE) runs once more
        # before anything is sent: it changed nothing, so running it again is safe. A write is
        # never run again here: its body is consumed, and a commit that broke off may or may
        # not have happened; its 503 says to retry, with the same Idempotency-Key to be safe.
        retry_read = scope["method"] in _SAFE
        held = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started, held, retry_read
            if message["type"] == "http.response.start":
                if retry_read and message["status"] == 503 and scope.pop(DATABASE_UNAVAILABLE, 0):
                    held = True  # this answer is dropped; the request runs again, once
                    retry_read = False
                    return
                status = message["status"]
                response_started = True
                message["headers"] = [*message.get("headers", ()), rid_header]
            elif held:
                return
            await send(message)

        try:
            problem = request_text_problem(scope)
            if problem is not None:
                await send_problem(scope, send_with_id, problem)
                return
            has_body = False
            limit = self.max_bytes
            upload = (
                self.upload_bytes is not None
                and scope["method"] == "POST"
                and UPLOAD_PATH.match(scope["path"]) is not None
            )
            if upload:
                limit = self.upload_bytes or limit
            for name, value in scope["headers"]:
                if name == b"content-length":
                    try:
                        declared = int(value)
                    except ValueError:
                        declared = 0
                    if declared > limit:
                        await self._too_large(scope, send_with_id, limit)
                        return
                    has_body = declared > 0
                elif name == b"transfer-encoding":
                    has_body = True
            if has_body:
                retry_read = False
                seen = 0
                kind = None if upload else _body_kind(scope)
                chunks: list[bytes] = []

                async def limited_receive() -> Message:
                    nonlocal seen
                    message = await receive()
                    if message["type"] == "http.request":
                        chunk = message.get("body", b"")
                        seen += len(chunk)
                        if seen > limit:
                            raise _TooLarge(limit)
                        if kind is not None:
                            chunks.append(chunk)
                            if not message.get("more_body", False):
                                bad = body_text_problem(kind, b"".join(chunks))
                                chunks.clear()
                                if bad is not None:
                                    raise _Unstorable(bad)
                    return message

                app_receive: Receive = limited_receive
            else:
                app_receive = receive  # a request without a body has nothing to count
            try:
                await self.app(scope, app_receive, send_with_id)
                if held:
                    held = False
                    await self.app(scope, _replayed(receive), send_with_id)
            except _TooLarge:
                if not response_started:
                    await self._too_large(scope, send_with_id, limit)
            except _Unstorable as exc:
                if not response_started:
                    await send_problem(scope, send_with_id, exc.problem)
        finally:
            self._done(scope, status, started, rid)

    async def _too_large(self, scope: Scope, send: Send, limit: int) -> None:
        if limit == self.upload_bytes:  # an upload: the file's own limit is what its sender set
            limit -= UPLOAD_ENVELOPE_BYTES
        await send_problem(scope, send, _TooLarge(limit).problem)

    def _done(self, scope: Scope, status: int, started: float, rid: str) -> None:
        elapsed = time.perf_counter() - started
        route = _route_of(scope)
        method: str = scope["method"]
        counter = self._counters.get((method, route, status))
        if counter is None:
            counter = REQUESTS.labels(self.service, method, route, str(status))
            self._counters[(method, route, status)] = counter
        counter.inc()
        latency = self._latencies.get((method, route))
        if latency is None:
            latency = LATENCY.labels(self.service, method, route)
            self._latencies[(method, route)] = latency
        latency.observe(elapsed)
        if self.log_requests and access_log.isEnabledFor(logging.INFO):
            # The path only: query strings may carry personal data (national_id filters).
            # The same line json.dumps(..., ensure_ascii=False) writes, without its cost.
            self.lines.add(
                f'{{"service": {self._prefix}, "request_id": {_encode(rid)}, '
                f'"method": {_encode(method)}, "path": {_encode(scope["path"])}, '
                f'"route": {_encode(route)}, "status": {status}, '
                f'"ms": {round(elapsed * 1000, 2)!r}}}'
            )


def _replayed(receive: Receive) -> Receive:
    """`receive` for the second run of a request without a body: the empty body again, then
    what the server sends next (a disconnect)."""
    replayed = False

    async def again() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return await receive()

    return again


def _route_of(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    return str(scope.get("mtqg_route", "unmatched"))


async def send_problem(scope: Scope, send: Send, problem: Problem) -> None:
    """Answer a problem+json straight from ASGI (no framework below us)."""
    rid = scope.get("state", {}).get("request_id")
    language = request_language(scope)
    body = problem.body(scope.get("path", ""), rid, language)
    encoded = json.dumps(body, ensure_ascii=False).encode()
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(encoded)).encode()),
    ]
    headers.extend(
        (k.lower().encode(), v.encode()) for k, v in problem.response_headers(language).items()
    )
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": encoded})


def configure_logging(level: str = "info") -> None:
    """Plain messages to stderr; access lines are JSON already."""
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(message)s",
    )
