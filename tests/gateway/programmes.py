"""Stand-ins for the three programme services behind the views and the merged document: each
answers its report and list endpoints with canned bodies, records what it was asked, and can
be told to fail (a status, a hang, a broken body) per path."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from mtqg_shared.registry import SERVICE_NAMES

SERVICES = SERVICE_NAMES  # one stub for every service in the registry
REPORTS = {
    "housing": "/api/v1/housing/reports/progress",
    "labour": "/api/v1/labour/reports/overview",
    "production": "/api/v1/production/reports/overview",
    "gender": "/api/v1/gender/reports/overview",
}


@dataclass
class Programme:
    """One stub service. `answers` maps a path to a JSON body (or a list of pages, answered in
    turn by cursor); `failures` maps a path to "hang", "garbage" or a status code."""

    name: str
    url: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    failures: dict[str, Any] = field(default_factory=dict)
    seen: list[dict[str, Any]] = field(default_factory=list)
    document: dict[str, Any] | None = None
    # When set, every request waits here until the test lets it go (all asked at once?).
    gate: asyncio.Event | None = None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def asked(self, path: str) -> list[dict[str, Any]]:
        return [r for r in self.seen if r["path"] == path]


def _app(programme: Programme) -> web.Application:
    async def handle(request: web.Request) -> web.StreamResponse:
        path = request.path
        programme.seen.append(
            {
                "path": path,
                "query": dict(request.query),
                "authorization": request.headers.get("Authorization"),
                "request_id": request.headers.get("X-Request-ID"),
            }
        )
        if path == "/openapi.json" and programme.document is not None:
            return web.json_response(programme.document)
        programme.arrived.set()
        if programme.gate is not None:
            await programme.gate.wait()
        failure = programme.failures.get(path)
        if failure == "hang":
            await asyncio.sleep(30)
        if failure == "garbage":
            return web.Response(text="<html>not json</html>", content_type="application/json")
        if isinstance(failure, int):
            problem = failure_body(failure, path)
            return web.json_response(
                problem, status=failure, content_type="application/problem+json"
            )
        if path not in programme.answers:
            return web.json_response(failure_body(404, path), status=404)
        answer = programme.answers[path]
        if isinstance(answer, list):  # pages, by cursor "0", "1", ...
            page = int(request.query.get("cursor", "0"))
            more = page + 1 < len(answer)
            return web.json_response(
                {"items": answer[page], "next_cursor": str(page + 1) if more else None}
            )
        return web.json_response(answer)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


def failure_body(status: int, path: str) -> dict[str, Any]:
    kinds = {
        403: "forbidden",
        404: "not-found",
        410: "cursor-reset",
        422: "validation",
        500: "internal",
    }
    body: dict[str, Any] = {
        "type": f"/problems/{kinds.get(status, 'bad-request')}",
        "title": "stub",
        "status": status,
        "detail": f"stub says {status}",
        "instance": path,
        "request_id": None,
    }
    if status == 422:
        body["errors"] = [{"field": "query.year", "message": "stub: bad year"}]
    return body


@asynccontextmanager
async def serve(programme: Programme, port: int = 0) -> AsyncIterator[Programme]:
    runner = web.AppRunner(_app(programme), access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", port))
    site = web.SockSite(runner, sock)
    await site.start()
    programme.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        yield programme
    finally:
        await runner.cleanup()


@asynccontextmanager
async def programmes() -> AsyncIterator[dict[str, Programme]]:
    """The three stubs, listening."""
    async with AsyncExitStack() as stack:
        found = {}
        for name in SERVICES:
            found[name] = await stack.enter_async_context(serve(Programme(name)))
        yield found


def housing_report(cases: int) -> dict[str, Any]:
    row = {"code": "15", "name": "Tỉnh Lào Cai", "cases": cases, "completed": cases}
    return {"as_of": "2024-12-31", "area": {"code": "15", "name": "x"}, "totals": row, "rows": []}


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
