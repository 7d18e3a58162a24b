"""Stand-ins for the webhook tests: a change feed that answers as API.md section 8 says (and
remembers whose token asked), and a receiver that records what it is sent and answers what the
test tells it to."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web

from tests.gateway.upstreams import free_port


def change(seq: int, resource: str = "cases", action: str = "upsert") -> dict[str, Any]:
    """A feed item, its record as a read would answer it."""
    record_id = f"00000000-0000-4000-8000-{seq:012d}"
    at = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC) + dt.timedelta(seconds=seq)
    return {
        "seq": seq,
        "resource": resource,
        "id": record_id,
        "action": action,
        "at": at.isoformat().replace("+00:00", "Z"),
        "record": None if action == "remove" else {"id": record_id, "household_code": f"HH-{seq}"},
    }


@dataclass
class Feed:
    """`/api/v1/<service>/changes` of every service: `items[service]` in seq order; a cursor
    is the number of items already given. `gone` cursors answer 410."""

    url: str = ""
    items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tokens: list[dict[str, Any]] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    down: bool = False

    def add(self, service: str, *changes: dict[str, Any]) -> None:
        self.items.setdefault(service, []).extend(changes)


@asynccontextmanager
async def feed_service() -> AsyncIterator[Feed]:
    feed = Feed()

    async def changes(request: web.Request) -> web.Response:
        service = request.match_info["service"]
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        feed.tokens.append(jwt.decode(token, options={"verify_signature": False}))
        if feed.down:
            return web.json_response({"type": "/problems/service-unavailable"}, status=503)
        cursor = request.query.get("cursor")
        if cursor is not None and cursor in feed.gone:
            return web.json_response({"type": "/problems/cursor-reset", "status": 410}, status=410)
        start = int(cursor or 0)
        limit = int(request.query.get("limit", "200"))
        page = feed.items.get(service, [])[start : start + limit]
        return web.json_response({"items": page, "next_cursor": str(start + len(page))})

    app = web.Application()
    app.router.add_get("/api/v1/{service}/changes", changes)
    async with _serving(app) as url:
        feed.url = url
        yield feed


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes
    path: str = ""

    @property
    def seq(self) -> int:
        return int(self.headers["webhook-id"].split(":")[1])


@dataclass
class Receiver:
    """Records every POST; `answers` are the statuses of the next requests (then 204)."""

    url: str = ""
    seen: list[Delivery] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    delay: float = 0.0
    in_flight: int = 0
    most_in_flight: int = 0
    on_request: Callable[[Delivery], None] | None = None


@asynccontextmanager
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()

    async def hook(request: web.Request) -> web.Response:
        found.in_flight += 1
        found.most_in_flight = max(found.most_in_flight, found.in_flight)
        try:
            delivery = Delivery(
                {k.lower(): v for k, v in request.headers.items()},
                await request.read(),
                request.path_qs,
            )
            found.seen.append(delivery)
            if found.delay:
                await asyncio.sleep(found.delay)
            status = found.answers.pop(0) if found.answers else 204
            if 300 <= status < 400:
                return web.Response(status=status, headers={"Location": "/elsewhere"})
            return web.Response(status=status)
        finally:
            found.in_flight -= 1

    async def elsewhere(request: web.Request) -> web.Response:
        found.seen.append(Delivery({"redirected": "yes"}, await request.read()))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", hook)
    app.router.add_post("/elsewhere", elsewhere)
    async with _serving(app) as url:
        found.url = f"{url}/hook"
        yield found


@asynccontextmanager
async def _serving(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
