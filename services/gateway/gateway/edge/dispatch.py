"""The gateway's front door (pure ASGI): per-caller rate limit (its state in `RateLimit-Policy`
and `RateLimit` on every limited answer), then either forward to a service or hand the request
to the gateway's own FastAPI app.

A service's batch (`POST /api/v1/<service>/batch`, mtqg_shared.batch) counts as the requests it
holds: its body is read first and each of its operations is one request against the caller's
limit, so that sending writes in batches is never a way around it. The service runs each
operation with the caller's own token, as the request it stands for would be run."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge.forward import Forwarder
from gateway.edge.ratelimit import RateLimiter
from mtqg_shared.auth import TokenVerifier
from mtqg_shared.batch import MAX_OPERATIONS
from mtqg_shared.errors import Problem
from mtqg_shared.messages import msg
from mtqg_shared.middleware import send_problem

# Probes from the orchestrator are never rate limited.
_UNLIMITED = frozenset({"/healthz", "/readyz", "/metrics"})


class Edge:
    def __init__(
        self,
        api: ASGIApp,
        forwarder: Forwarder,
        limiter: RateLimiter | None,
        verifier: TokenVerifier,
    ) -> None:
        self.api = api
        self.forwarder = forwarder
        self.limiter = limiter
        self.verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.api(scope, receive, send)
            return
        path: str = scope["path"]
        upstream = self.forwarder.match(path) if path.startswith("/api/v1/") else None
        limiter = self.limiter
        if limiter is not None and path not in _UNLIMITED:
            cost = 1
            if upstream is not None and scope["method"] == "POST" and path == upstream.batch:
                body = await _whole_body(receive)
                if body is None:
                    return  # the caller left
                cost = batch_cost(body)
                receive = _replay(body, receive)
            decision = await limiter.hit(await self.caller(scope), cost)
            state = limiter.header(decision)
            if decision.wait:
                if upstream is not None:
                    scope["mtqg_route"] = upstream.route
                problem = Problem(
                    429,
                    msg("rate_limited"),
                    headers={
                        "Retry-After": str(decision.wait),
                        "RateLimit-Policy": limiter.policy,
                        "RateLimit": state,
                    },
                )
                await send_problem(scope, send, problem)
                return
            send = _with_headers(
                send,
                [(b"ratelimit-policy", limiter.policy.encode()), (b"ratelimit", state.encode())],
            )
        if upstream is not None:
            scope["mtqg_route"] = upstream.route
            await self.forwarder.forward(upstream, scope, receive, send)
        else:
            await self.api(scope, receive, send)

    async def caller(self, scope: Scope) -> str:
        """The verified token's principal, else the client address."""
        for name, value in scope["headers"]:
            if name == b"authorization":
                if value[:7].lower() == b"bearer ":
                    try:
                        principal = await self.verifier.verify(value[7:].decode("latin-1").strip())
                    except Problem:
                        break  # the service will refuse it; count it against the address
                    return principal.key
                break
        client = scope.get("client")
        return f"addr:{client[0] if client else 'unknown'}"


async def _whole_body(receive: Receive) -> bytes | None:
    """The request's body (the outer layer holds it to the body limit), or None when the
    caller left."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def batch_cost(body: bytes) -> int:
    """The requests a batch stands for: its operations; 1 for a body the service will refuse
    whole (not JSON, no operations, more than allowed), which runs none."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return 1
    operations = parsed.get("operations") if isinstance(parsed, dict) else None
    if isinstance(operations, list) and 0 < len(operations) <= MAX_OPERATIONS:
        return len(operations)
    return 1


def _replay(body: bytes, receive: Receive) -> Receive:
    """`receive` that gives the body already read, then what the server sends next."""
    given = False

    async def again() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


def _with_headers(send: Send, headers: list[tuple[bytes, bytes]]) -> Send:
    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", ()), *headers]
        await send(message)

    return send_with_headers
