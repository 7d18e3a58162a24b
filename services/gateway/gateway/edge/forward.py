"""Forwarding `/api/v1/<service>/*` to the registry's services: pure ASGI + aiohttp.

This is the system's hottest path, so it does as little as a proxy can: one aiohttp session
(keep-alive pool) per service for the life of the process, header lists filtered in one pass,
small bodies sent in one piece and larger ones streamed both ways, no framework in between.
Failures become problem+json naming the service: 503 when it cannot be reached or closes the
connection without answering (it is stopping or has died), 504 when it misses the deadline,
502 when its answer is broken. A request whose connection broke before
any answer is sent once more when that is safe (see `upstreams`), within the same deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

import aiohttp
from prometheus_client import Counter
from starlette.types import Message, Receive, Scope, Send
from yarl import URL

from gateway.config import Settings
from gateway.edge.upstreams import (
    UPSTREAM_RETRIES,
    Pools,
    Replica,
    Upstream,
    broke_before_answer,
    make_session,
    may_send_twice,
)
from mtqg_shared.errors import Problem
from mtqg_shared.messages import msg
from mtqg_shared.middleware import send_problem
from mtqg_shared.registry import process

log = logging.getLogger("mtqg.gateway.forward")

UPSTREAM_FAILURES = Counter(
    "mtqg_gateway_upstream_failures_total",
    "Requests to a service (forwarded, or made for a view) that got no usable answer.",
    ["service", "kind"],
)

# RFC 9110 7.6.1 hop-by-hop fields, plus what the gateway sets itself on the way through.
_HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
_REQUEST_DROP = _HOP_BY_HOP | {
    b"host",
    b"expect",
    b"x-request-id",
    b"x-forwarded-for",
    b"x-forwarded-proto",
    b"x-forwarded-host",
}
# The gateway's server adds its own Date/Server, and the request-id middleware its X-Request-ID.
_RESPONSE_DROP = _HOP_BY_HOP | {b"date", b"server", b"x-request-id"}
# Answers up to this size are read whole and sent in one ASGI message.
_SMALL_BODY = 256 * 1024
# Request bodies up to this size are gathered and sent in one piece (and may be sent again);
# larger ones are streamed on as they arrive.
_SMALL_REQUEST = 64 * 1024


class _ClientGone(Exception):
    """The caller disconnected while its body was being sent on."""


def _connection_tokens(value: bytes) -> set[bytes]:
    return {token.strip().lower() for token in value.split(b",") if token.strip()}


def request_headers(scope: Scope) -> tuple[list[tuple[str, str]], bool]:
    """The headers to send on (hop-by-hop removed, forwarding headers set), and whether the
    request has a body."""
    out: list[tuple[str, str]] = []
    named: set[bytes] | None = None
    forwarded_for = host = b""
    has_body = False
    for name, value in scope["headers"]:
        if name in _REQUEST_DROP or name.startswith(b"proxy-"):
            if name == b"connection":
                named = _connection_tokens(value)
            elif name == b"x-forwarded-for":
                forwarded_for = value
            elif name == b"host":
                host = value
            elif name == b"transfer-encoding":
                has_body = True
            continue
        if name == b"content-length":
            has_body = value != b"0"
        out.append((name.decode("latin-1"), value.decode("latin-1")))
    if named:
        out = [(n, v) for n, v in out if n.encode("latin-1") not in named]
    client = scope.get("client")
    address = client[0] if client else "unknown"
    chain = f"{forwarded_for.decode('latin-1')}, {address}" if forwarded_for else address
    out.append(("X-Forwarded-For", chain))
    out.append(("X-Forwarded-Proto", scope.get("scheme", "http")))
    if host:
        out.append(("X-Forwarded-Host", host.decode("latin-1")))
    request_id = scope.get("state", {}).get("request_id")
    if request_id:
        out.append(("X-Request-ID", request_id))
    return out, has_body


def response_headers(raw: tuple[tuple[bytes, bytes], ...]) -> list[tuple[bytes, bytes]]:
    out: list[tuple[bytes, bytes]] = []
    named: set[bytes] | None = None
    for name, value in raw:
        lname = name.lower()
        if lname in _RESPONSE_DROP or lname.startswith(b"proxy-"):
            if lname == b"connection":
                named = _connection_tokens(value)
            continue
        out.append((lname, value))
    if named:
        out = [(n, v) for n, v in out if n not in named]
    return out


async def _read_body(
    receive: Receive, failure: list[BaseException]
) -> bytes | AsyncIterator[bytes] | None:
    """The caller's body: whole when it is small, else a stream; None when the caller left.
    A body over the limit raises here (413 from outside)."""
    message = await receive()
    if message["type"] == "http.disconnect":
        return None
    if not message.get("more_body", False):
        body: bytes = message.get("body", b"")
        return body
    chunks = [message.get("body", b"")]
    size = len(chunks[0])
    while message.get("more_body", False) and size <= _SMALL_REQUEST:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
    if message.get("more_body", False):
        return _stream_body(b"".join(chunks), receive, failure)
    return b"".join(chunks)


async def _stream_body(
    head: bytes, receive: Receive, failure: list[BaseException]
) -> AsyncIterator[bytes]:
    """The caller's body: what was read already, then chunk by chunk as it arrives. A failure
    to read it is remembered so that it is reported as what it is (413, disconnect) rather than
    as the service's fault."""
    if head:
        yield head
    while True:
        try:
            message = await receive()
        except BaseException as exc:
            failure.append(exc)
            raise
        if message["type"] == "http.disconnect":
            failure.append(_ClientGone())
            raise failure[-1]
        chunk = message.get("body", b"")
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


class Forwarder:
    def __init__(self, settings: Settings) -> None:
        self.upstreams = {
            name: Upstream(name, urls, f"{process(name).prefix}/*")
            for name, urls in settings.service_urls().items()
        }
        self.pools = Pools(self.upstreams)
        self._connect_seconds = min(
            settings.forward_connect_timeout_seconds, settings.forward_timeout_seconds
        )
        # The deadline holds until the answer's headers (`request`); the body then streams
        # for as long as it takes (a long export is not cut), each read waiting at most the
        # forward timeout for the next bytes, so a service that stalls mid-answer is cut.
        self._deadline = settings.forward_timeout_seconds
        self._timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None,
            sock_connect=self._connect_seconds,
            sock_read=settings.forward_timeout_seconds,
        )
        self._pool_size = settings.forward_pool_size
        self._keepalive = settings.forward_keepalive_seconds
        self._check_every = settings.replica_check_seconds
        self._checks: asyncio.Task[None] | None = None

    def match(self, path: str) -> Upstream | None:
        """The service a path belongs to: /api/v1/<service> or /api/v1/<service>/..."""
        name = path[8:].partition("/")[0]  # after "/api/v1/"
        return self.upstreams.get(name)

    def session(self, upstream: Upstream) -> aiohttp.ClientSession:
        """The service's keep-alive pool: made at start-up by the lifespan, or here on first
        use when no lifespan ran."""
        if upstream.session is None or upstream.session.closed:
            upstream.session = make_session(
                pool_size=self._pool_size, keepalive_seconds=self._keepalive, timeout=self._timeout
            )
        return upstream.session

    async def start(self) -> None:
        for upstream in self.upstreams.values():
            self.session(upstream)
        if any(len(u.replicas) > 1 for u in self.upstreams.values()):
            self._checks = asyncio.create_task(self._check_replicas(), name="replica-checks")

    async def _check_replicas(self) -> None:
        """Every `replica_check_seconds`, each replica of a service with several asked
        `GET /readyz`, all at once: 200 is in, anything else (or nothing in time) is out."""
        while True:
            await asyncio.gather(
                *(
                    self.check(upstream, replica)
                    for upstream in self.upstreams.values()
                    if len(upstream.replicas) > 1
                    for replica in upstream.replicas
                )
            )
            await asyncio.sleep(self._check_every)

    async def check(self, upstream: Upstream, replica: Replica) -> bool:
        """Ask one replica whether it is ready; take it in or out by its answer."""
        session = upstream.session or self.session(upstream)
        timeout = aiohttp.ClientTimeout(total=min(self._check_every, self._deadline))
        try:
            async with session.get(f"{replica.base_url}/readyz", timeout=timeout) as answer:
                ready = answer.status == 200
                await answer.read()
        except (aiohttp.ClientError, TimeoutError):
            ready = False
        if ready:
            upstream.take_in(replica)
        else:
            upstream.take_out(replica)
        return ready

    async def close(self) -> None:
        if self._checks is not None:
            self._checks.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checks
            self._checks = None
        for upstream in self.upstreams.values():
            if upstream.session is not None:
                await upstream.session.close()
                upstream.session = None

    async def request(
        self,
        upstream: Upstream,
        method: str,
        target: str,
        *,
        headers: list[tuple[str, str]],
        data: bytes | AsyncIterator[bytes] | None = None,
        retry: bool,
        deadline: float | None = None,
    ) -> aiohttp.ClientResponse:
        """Send one request to a replica of a service (`target`: the path and query, encoded).
        One that could not connect goes to the next replica; when `retry` and its connection
        broke before any answer, it is sent once more, to the next replica, within what is
        left of the deadline (see `upstreams`). Forwarding (no `deadline`): the forward
        timeout holds until the answer's headers, and the body then streams under the
        per-read timeout alone. A view's call (`deadline`): the whole answer, body included,
        within it."""
        session = upstream.session or self.session(upstream)
        total = self._deadline if deadline is None else deadline
        started = time.monotonic()
        replicas = upstream.in_turn()
        # A streamed body cannot be sent twice, nor be trusted unread after a failed connect.
        again = not isinstance(data, AsyncIterator)
        turn = 0
        resent = False
        while True:
            replica = replicas[turn % len(replicas)]
            left = total - (time.monotonic() - started)
            if left <= 0:
                raise TimeoutError
            url = URL(replica.base_url + target, encoded=True)
            whole = None if deadline is None else left
            try:
                return await self._send(session, method, url, headers, data, left, whole)
            except Exception as exc:
                turn += 1
                if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
                    upstream.take_out(replica)
                    if again and turn < len(replicas):
                        continue  # nothing was sent: the next replica
                    raise
                if not retry or resent or not broke_before_answer(exc):
                    raise
                log.info(
                    "%s closed a connection under %s %s; sending it again",
                    upstream.name,
                    method,
                    url.path,
                )
            resent = True
            UPSTREAM_RETRIES.labels(upstream.name).inc()

    async def _send(
        self,
        session: aiohttp.ClientSession,
        method: str,
        url: URL,
        headers: list[tuple[str, str]],
        data: bytes | AsyncIterator[bytes] | None,
        left: float,
        whole: float | None,
    ) -> aiohttp.ClientResponse:
        connect = min(left, self._connect_seconds)
        if whole is not None:
            timeout = aiohttp.ClientTimeout(total=whole, sock_connect=connect)
        else:
            timeout = aiohttp.ClientTimeout(
                total=None, connect=None, sock_connect=connect, sock_read=self._deadline
            )
        async with asyncio.timeout(left):  # until the headers
            return await session.request(
                method, url, headers=headers, data=data, allow_redirects=False, timeout=timeout
            )

    async def forward(self, upstream: Upstream, scope: Scope, receive: Receive, send: Send) -> None:
        headers, has_body = request_headers(scope)
        data: bytes | AsyncIterator[bytes] | None = None
        failure: list[BaseException] = []
        if has_body:
            data = await _read_body(receive, failure)
            if data is None:
                return  # the caller left
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        query: bytes = scope.get("query_string", b"")
        target = raw_path.decode("latin-1")
        if query:
            target += "?" + query.decode("latin-1")
        method: str = scope["method"]
        # A streamed body cannot be sent twice.
        retry = not isinstance(data, AsyncIterator) and may_send_twice(method, scope["headers"])
        started = False
        complete = False
        response: aiohttp.ClientResponse | None = None
        try:
            response = await self.request(
                upstream, method, target, headers=headers, data=data, retry=retry
            )
            start: Message = {
                "type": "http.response.start",
                "status": response.status,
                "headers": response_headers(response.raw_headers),
            }
            length = response.content_length
            if length is not None and length <= _SMALL_BODY:
                body = await response.read()
                started = True
                await send(start)
                await send({"type": "http.response.body", "body": body})
            else:
                stream = response.content
                chunk = await stream.readany()
                started = True
                await send(start)
                while chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                    chunk = await stream.readany()
                await send({"type": "http.response.body", "body": b""})
            complete = True
        except Exception as exc:
            if failure:
                if isinstance(failure[0], _ClientGone):
                    return
                raise failure[0] from exc  # e.g. the body-size limit: answered as 413
            if started:
                # Too late for a problem answer: end the connection so that the client sees
                # a truncated answer rather than a complete-looking one.
                if isinstance(exc, aiohttp.ClientError | TimeoutError):
                    UPSTREAM_FAILURES.labels(upstream.name, "truncated").inc()
                    log.warning("%s broke off its answer: %r", upstream.name, exc)
                raise  # else the caller went away while we were sending
            await send_problem(scope, send, upstream_problem(upstream, exc))
        finally:
            if response is not None:
                if complete:
                    response.release()
                else:
                    response.close()  # never hand a half-read connection back to the pool


def failure_kind(exc: BaseException) -> str:
    """How a service failed a request: "unavailable" (cannot be reached, or closed the
    connection before any answer, as a replica that is stopping or has just died does, even
    after the one safe resend), "timeout" (missed the deadline) or "bad_answer" (answered
    something that is not HTTP)."""
    if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return "unavailable"
    if broke_before_answer(exc):
        return "unavailable"
    if isinstance(exc, TimeoutError):
        return "timeout"
    return "bad_answer"


_STATUS = {"unavailable": 503, "timeout": 504, "bad_answer": 502}


def upstream_problem(upstream: Upstream, exc: BaseException) -> Problem:
    """The problem+json for a failed forward, counted and remembered."""
    name = upstream.name
    kind = failure_kind(exc)
    if kind != "bad_answer":
        upstream.mark_failed()
    elif not isinstance(exc, aiohttp.ClientError):
        log.warning("forwarding to %s failed: %r", name, exc)
    UPSTREAM_FAILURES.labels(name, kind).inc()
    return Problem(_STATUS[kind], msg(f"upstream_{kind}", service=name), service=name)
