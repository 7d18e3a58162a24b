"""Pure ASGI middleware: request ids, JSON access logs, Prometheus metrics, body limits.

One middleware does ids, logs and metrics together, so each request pays for one layer.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mtqg_shared.errors import Problem

access_log = logging.getLogger("mtqg.access")

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


def request_id_from(scope: Scope) -> str:
    """Accept a caller's X-Request-ID when it is sane, else make one."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text: str = value.decode("latin-1")
            if _VALID_ID.match(text):
                return text
            break
    return uuid.uuid4().hex


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, service: str, *, log_requests: bool = True) -> None:
        self.app = app
        self.service = service
        self.log_requests = log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id_from(scope)
        scope.setdefault("state", {})["request_id"] = rid
        rid_bytes = rid.encode()
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                headers.append((b"x-request-id", rid_bytes))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_of(scope)
            method = scope["method"]
            REQUESTS.labels(self.service, method, route, str(status)).inc()
            LATENCY.labels(self.service, method, route).observe(elapsed)
            if self.log_requests and access_log.isEnabledFor(logging.INFO):
                # The path only: query strings may carry personal data (national_id filters).
                access_log.info(
                    json.dumps(
                        {
                            "service": self.service,
                            "request_id": rid,
                            "method": method,
                            "path": scope["path"],
                            "route": route,
                            "status": status,
                            "ms": round(elapsed * 1000, 2),
                        },
                        ensure_ascii=False,
                    )
                )


def _route_of(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    return str(scope.get("mtqg_route", "unmatched"))


class BodyLimitMiddleware:
    """Refuse bodies over `max_bytes` with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = False
                if too_big:
                    await send_problem(scope, send, self._problem())
                    return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await send_problem(scope, send, self._problem())

    def _problem(self) -> Problem:
        return Problem(413, f"The body is larger than {self.max_bytes} bytes.")


class _TooLarge(Exception):
    pass


async def send_problem(scope: Scope, send: Send, problem: Problem) -> None:
    """Answer a problem+json straight from ASGI (no framework below us)."""
    rid = scope.get("state", {}).get("request_id")
    body = json.dumps(problem.body(scope.get("path", ""), rid), ensure_ascii=False).encode()
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
    ]
    headers.extend((k.lower().encode(), v.encode()) for k, v in problem.headers.items())
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def configure_logging(level: str = "info") -> None:
    """Plain messages to stderr; access lines are JSON already."""
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(message)s",
    )
