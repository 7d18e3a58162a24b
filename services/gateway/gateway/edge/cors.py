"""CORS for the web apps of `MTQG_CORS_ORIGINS`: the outermost layer of the gateway (pure ASGI).

Outermost, so that every answer passes through it: the gateway's own, forwarded ones, the
413 of the body limit, the 429 of the rate limit, the 502/503/504 of a failed forward, and a
500 made here when something below fails before answering (the server's own 500 would carry
no CORS header, and a browser would show the caller a network error instead of the problem).

For a listed `Origin` every answer carries `Access-Control-Allow-Origin` with that origin and
`Access-Control-Expose-Headers`; every answer carries `Vary: Origin`, so that a cache never
hands one origin's answer to another. A preflight (`OPTIONS` with
`Access-Control-Request-Method`) from a listed origin answers 204 here, before the rate limit
and the services; from any other origin it goes on like any `OPTIONS` (405) and gets no CORS
header. Credentials are bearer tokens, never cookies: no `Access-Control-Allow-Credentials`.

Starlette's CORSMiddleware was not used: its preflight answers 200, it adds `Vary: Origin`
only to answers for allowed origins, and an exception below it escapes without CORS headers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mtqg_shared.errors import Problem
from mtqg_shared.messages import msg
from mtqg_shared.middleware import send_problem

log = logging.getLogger("mtqg.gateway.cors")

ALLOWED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# Every request header the API reads (beyond the CORS-safelisted ones).
ALLOWED_HEADERS = (
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
    "X-Request-ID",
    "Accept-Language",
)
# Every answer header a web app needs to read.
EXPOSED_HEADERS = (
    "ETag",
    "Location",
    "Retry-After",
    "Idempotent-Replayed",
    "X-Request-ID",
    "RateLimit",
    "RateLimit-Policy",
    "Content-Disposition",
    "WWW-Authenticate",
)
PREFLIGHT_MAX_AGE = 86_400

_VARY = b"vary"
_ORIGIN = b"Origin"


def _joined(names: Iterable[str]) -> bytes:
    return ", ".join(names).encode()


def with_vary(headers: Iterable[tuple[bytes, bytes]], token: bytes) -> list[tuple[bytes, bytes]]:
    """The headers with `token` in `Vary` (one field, added to when there is one)."""
    out: list[tuple[bytes, bytes]] = []
    merged = False
    wanted = token.lower()
    for name, value in headers:
        if not merged and name.lower() == _VARY:
            merged = True
            tokens = {t.strip().lower() for t in value.split(b",")}
            if wanted not in tokens and b"*" not in tokens:
                value = value + b", " + token
        out.append((name, value))
    if not merged:
        out.append((_VARY, token))
    return out


class Cors:
    def __init__(self, app: ASGIApp, origins: frozenset[str]) -> None:
        self.app = app
        self.origins = frozenset(o.lower().encode("latin-1") for o in origins)
        self._exposed = (b"access-control-expose-headers", _joined(EXPOSED_HEADERS))
        self._preflight = [
            (b"access-control-allow-methods", _joined(ALLOWED_METHODS)),
            (b"access-control-allow-headers", _joined(ALLOWED_HEADERS)),
            (b"access-control-max-age", str(PREFLIGHT_MAX_AGE).encode()),
            (_VARY, _ORIGIN),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin: bytes | None = None
        preflight = False
        if self.origins:
            for name, value in scope["headers"]:
                if name == b"origin":
                    if value.lower() in self.origins:
                        origin = value
                elif name == b"access-control-request-method":
                    preflight = True
        if origin is not None and preflight and scope["method"] == "OPTIONS":
            headers = [(b"access-control-allow-origin", origin), *self._preflight]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        added: list[tuple[bytes, bytes]] = (
            [(b"access-control-allow-origin", origin), self._exposed] if origin else []
        )
        started = False

        async def send_with_cors(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = with_vary(message.get("headers", ()), _ORIGIN)
                headers.extend(added)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_cors)
        except Exception:
            if started:
                raise
            # Nothing answered yet: answer the 500 here, so that it carries CORS headers too.
            log.exception("unexpected error under %s %s", scope["method"], scope["path"])
            problem = Problem(500, msg("internal"))
            await send_problem(scope, send_with_cors, problem)
