"""What weak networks need from every answer of every process (services and gateway), as one
pure-ASGI layer: conditional reads (`If-None-Match` -> 304) and compression.

**304.** A `GET` (or `HEAD`) answered 200 with an `ETag` (every one-record read: the kit's
`record`, the gateway's users, clients and admin units) whose `If-None-Match` names that tag
(a list of tags, `*`, weak comparison, RFC 9110 13.1.2) answers 304 with the `ETag` and no
body. It is decided on the answer, so it holds for every route that sends an `ETag`, with no
code in the route; the body was made, but it does not cross the phone's network.

**Compression.** Answers of `COMPRESS_MIN_BYTES` or more are compressed when the request
accepts it: brotli when `br` is accepted, else gzip (zstd is off: the contract names these
two, and a browser that sends `gzip, deflate, br, zstd` gets `br`). `starlette-compress` does
it: it skips 204/304 and anything already encoded (so the gateway passes a service's
compressed bytes on untouched), sets `Content-Length` and `Vary: Accept-Encoding`, and
compresses streamed answers as they stream. Starlette's GZipMiddleware has no brotli. Levels by
measurement (`python -m bench.compression`: one 200-case housing page, 134 kB of JSON, CPU
per compression on this project's 2-core machine under other load): gzip 1 0.44 ms (12x
smaller), gzip 4 0.79 ms (12.9x), gzip 6 1.1 ms (14.8x), gzip 9 2.1 ms (15x); brotli 1 0.15 ms
(15.6x), brotli 4 0.81 ms (16.9x), brotli 6 1.8 ms (17.9x), brotli 11 78 ms (19.8x). Brotli 4
and gzip 6 are where more CPU stops buying much: about a millisecond, for 134 kB that become
8-9 kB on a phone's network. gzip matters as much as brotli: phone HTTP clients (OkHttp,
NSURLSession) ask for gzip on their own.

**Where, behind the gateway.** The gateway forwards the caller's `Accept-Encoding`, so the
service compresses and the gateway passes its bytes on; its own layer compresses only what is
not compressed yet (its own answers, and a service's that was not). Measured by the same
script, the gateway's CPU per forwarded 200-case page: 1.1 ms passing the service's brotli on,
1.9 ms compressing an identity answer itself, 0.9 ms with nothing compressed. The gateway is
the one process every request crosses, so the compression is done where the body is made, by
the services that scale out behind it.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette_compress import CompressMiddleware, add_compress_type

COMPRESS_MIN_BYTES = 1024
GZIP_LEVEL = 6
BROTLI_QUALITY = 4

# Beyond the package's list (which has application/json): problems and exports.
for _media_type in ("application/problem+json", "text/csv"):
    add_compress_type(_media_type)

_ENTITY_TAG = re.compile(rb'(?:W/)?("[^"]*")')
# What a 304 does not repeat of the 200 it stands for (RFC 9110 15.4.5): the body's own fields.
_NOT_ON_304 = frozenset(
    {
        b"content-length",
        b"content-type",
        b"content-encoding",
        b"content-range",
        b"transfer-encoding",
    }
)
_READS = frozenset({"GET", "HEAD"})


def none_match(header: bytes, etag: bytes) -> bool:
    """Whether `If-None-Match: header` names `etag`, by weak comparison (the `W/` is ignored)."""
    if header.strip() == b"*":
        return True
    found = _ENTITY_TAG.match(etag.strip())
    if found is None:
        return False
    wanted = found.group(1)
    return any(tag == wanted for tag in _ENTITY_TAG.findall(header))


class NotModified:
    """`If-None-Match` on a read: 304 with the ETag and no body when it names the answer's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _READS:
            await self.app(scope, receive, send)
            return
        condition: bytes | None = None
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                condition = value if condition is None else condition + b"," + value
        if condition is None:
            await self.app(scope, receive, send)
            return
        dropping = False

        async def send_conditionally(message: Message) -> None:
            nonlocal dropping
            if dropping:
                return  # the body of the 200 that became a 304
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = message.get("headers", ())
                etag = next((v for n, v in headers if n.lower() == b"etag"), None)
                if etag is not None and none_match(condition, etag):
                    dropping = True
                    kept = [(n, v) for n, v in headers if n.lower() not in _NOT_ON_304]
                    await send({"type": "http.response.start", "status": 304, "headers": kept})
                    await send({"type": "http.response.body", "body": b""})
                    return
            await send(message)

        await self.app(scope, receive, send_conditionally)


def weak_network_layers(app: ASGIApp) -> ASGIApp:
    """`app` behind compression and conditional reads: what every process puts under its
    request-id layer."""
    return CompressMiddleware(
        NotModified(app),
        minimum_size=COMPRESS_MIN_BYTES,
        zstd=False,
        brotli=True,
        brotli_quality=BROTLI_QUALITY,
        gzip=True,
        gzip_level=GZIP_LEVEL,
    )


class WeakNetworks:
    """`weak_network_layers` as a class, for `FastAPI.add_middleware`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = weak_network_layers(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
