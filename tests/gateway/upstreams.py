"""Stand-ins for the programme services, listening on free 127.0.0.1 ports inside the test."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from aiohttp import web


def free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """`app` (a real service's, say) on a free local port for the test's duration; yields its
    base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="error")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@dataclass
class Stub:
    url: str
    seen: list[dict[str, Any]] = field(default_factory=list)


def _echo_app(stub_seen: list[dict[str, Any]]) -> web.Application:
    async def echo(request: web.Request) -> web.Response:
        body = await request.read()
        record = {
            "method": request.method,
            "raw_path": request.raw_path,
            "headers": [[k.decode().lower(), v.decode()] for k, v in request.raw_headers],
            "body": body.decode("utf-8", "replace"),
        }
        stub_seen.append(record)
        return web.json_response(record, status=200, headers={"X-Upstream": "echo"})

    async def status(request: web.Request) -> web.Response:
        stub_seen.append({"raw_path": request.raw_path})
        code = int(request.match_info["code"])
        return web.Response(
            status=code, text="teapot says no", content_type="text/plain", headers={"X-Why": "t"}
        )

    async def slow(request: web.Request) -> web.Response:
        stub_seen.append({"raw_path": request.raw_path})
        await asyncio.sleep(3)
        return web.Response(text="late")

    async def big(request: web.Request) -> web.StreamResponse:
        stub_seen.append({"raw_path": request.raw_path})
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for i in range(10):
            await response.write(bytes([i]) * 65536)
        await response.write_eof()
        return response

    async def cookie(request: web.Request) -> web.Response:
        stub_seen.append({"raw_path": request.raw_path, "cookie": request.headers.get("Cookie")})
        response = web.Response(text="ok")
        response.set_cookie("session", "someone-elses")
        return response

    async def tagged(request: web.Request) -> web.Response:
        # A record read as the services answer it: its ETag, and 304 when it is named.
        stub_seen.append(
            {"raw_path": request.raw_path, "if_none_match": request.headers.get("If-None-Match")}
        )
        if request.headers.get("If-None-Match") == '"7"':
            return web.Response(status=304, headers={"ETag": '"7"'})
        return web.json_response({"id": "r1", "version": 7}, headers={"ETag": '"7"'})

    async def listing(request: web.Request) -> web.StreamResponse:
        # A large JSON answer streamed in chunks, without Content-Length.
        stub_seen.append({"raw_path": request.raw_path})
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(b'{"items": [')
        for i in range(2000):
            await response.write(b'%s{"n": %d, "name": "Nguyen Van A"}' % (b"," * bool(i), i))
        await response.write(b"]}")
        await response.write_eof()
        return response

    async def encoded(request: web.Request) -> web.Response:
        # An answer its service compressed already (the gateway passes it on as it is).
        stub_seen.append({"raw_path": request.raw_path})
        body = gzip.compress(json.dumps({"items": ["x" * 40] * 100}).encode())
        return web.Response(
            body=body,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )

    async def page(request: web.Request) -> web.Response:
        # A page of 2 kB or so, answered whole with its Content-Length, not compressed.
        stub_seen.append({"raw_path": request.raw_path, "headers": list(request.headers.items())})
        return web.json_response({"items": [{"n": i, "name": "Nguyễn Văn A"} for i in range(60)]})

    app = web.Application(client_max_size=10 * 1024 * 1024)
    app.router.add_get("/api/v1/housing/page", page)
    app.router.add_get("/api/v1/housing/tagged", tagged)
    app.router.add_get("/api/v1/housing/listing", listing)
    app.router.add_get("/api/v1/housing/encoded", encoded)
    app.router.add_route("*", "/api/v1/housing/status/{code}", status)
    app.router.add_get("/api/v1/housing/slow", slow)
    app.router.add_get("/api/v1/housing/big", big)
    app.router.add_get("/api/v1/housing/cookie", cookie)
    app.router.add_route("*", "/api/v1/housing/{tail:.*}", echo)
    return app


@asynccontextmanager
async def echo_service() -> AsyncIterator[Stub]:
    """An aiohttp app that answers with what it received."""
    seen: list[dict[str, Any]] = []
    runner = web.AppRunner(_echo_app(seen), access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    site = web.SockSite(runner, sock)
    await site.start()
    try:
        yield Stub(f"http://127.0.0.1:{sock.getsockname()[1]}", seen)
    finally:
        await runner.cleanup()


RAW_ANSWERS = {
    b"/api/v1/labour/hop": (
        b"HTTP/1.1 200 OK\r\n"
        b"Content-Type: text/plain\r\n"
        b"Content-Length: 2\r\n"
        b"Connection: keep-alive, X-Hop\r\n"
        b"X-Hop: secret\r\n"
        b"Keep-Alive: timeout=5\r\n"
        b"Proxy-Authenticate: Basic\r\n"
        b"Upgrade: h2c\r\n"
        b"X-End: yes\r\n"
        b"\r\n"
        b"ok"
    ),
    b"/api/v1/labour/broken": b"THIS IS NOT HTTP\r\n\r\n",
    b"/api/v1/labour/cut": (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nonly part"
    ),
}


@asynccontextmanager
async def raw_service() -> AsyncIterator[Stub]:
    """A TCP server that writes fixed bytes, to answer what a real server never would."""
    seen: list[dict[str, Any]] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1]
            seen.append({"raw_path": path.decode()})
            writer.write(RAW_ANSWERS.get(path, RAW_ANSWERS[b"/api/v1/labour/broken"]))
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield Stub(f"http://127.0.0.1:{port}", seen)
    finally:
        server.close()
        await server.wait_closed()
