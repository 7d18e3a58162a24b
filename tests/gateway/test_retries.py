"""Retries at the edge: once, only when the connection broke before any answer, and only for
requests that may be sent twice (idempotent methods, POST with an Idempotency-Key)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.gateway.helpers import GatewayClient, assert_problem, auth, gateway_of
from tests.gateway.upstreams import free_port

OFFICER = auth(subject="retry-officer", roles=("officer",))


@dataclass
class Dropper:
    """A service that closes the connection without answering the first `drops` requests,
    then answers 200."""

    drops: int = 1
    seen: list[str] = field(default_factory=list)
    url: str = ""


@asynccontextmanager
async def dropper(drops: int) -> AsyncIterator[Dropper]:
    state = Dropper(drops)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                method, path = head.split(b" ", 2)[:2]
                state.seen.append(f"{method.decode()} {path.decode()}")
                if len(state.seen) <= state.drops:
                    break  # close the connection under the request
                body = b"" if method == b"HEAD" else b"ok"
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" + body)
                await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    state.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    try:
        yield state
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture
def through(gateway_client: GatewayClient) -> Any:
    @asynccontextmanager
    async def make(drops: int) -> AsyncIterator[tuple[httpx.AsyncClient, Dropper]]:
        async with dropper(drops) as service:
            settings = {
                "housing_url": service.url,
                "labour_url": f"http://127.0.0.1:{free_port()}",
                "production_url": f"http://127.0.0.1:{free_port()}",
            }
            async with gateway_client(**settings) as client:
                yield client, service

    return make


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE"])
async def test_an_idempotent_request_is_sent_once_more(through: Any, method: str) -> None:
    async with through(drops=1) as (client, service):
        answer = await client.request(method, "/api/v1/housing/cases/1", headers=OFFICER)
    assert answer.status_code == 200
    assert service.seen == [f"{method} /api/v1/housing/cases/1"] * 2


async def test_a_post_with_an_idempotency_key_is_sent_once_more(through: Any) -> None:
    headers = {**OFFICER, "Idempotency-Key": "case-42"}
    async with through(drops=1) as (client, service):
        answer = await client.post("/api/v1/housing/cases", json={"x": 1}, headers=headers)
    assert answer.status_code == 200, (answer.text, service.seen)
    assert len(service.seen) == 2


@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_a_request_that_may_not_be_repeated_is_never_sent_twice(
    through: Any, method: str
) -> None:
    async with through(drops=1) as (client, service):
        answer = await client.request(
            method, "/api/v1/housing/cases", json={"x": 1}, headers=OFFICER
        )
    # The service closed the connection without answering: it is down, not broken.
    body = assert_problem(answer, 503, "service-unavailable")
    assert body["service"] == "housing"
    assert service.seen == [f"{method} /api/v1/housing/cases"]


async def test_retries_are_bounded_to_one(through: Any) -> None:
    async with through(drops=100) as (client, service):
        answer = await client.get("/api/v1/housing/cases", headers=OFFICER)
        assert_problem(answer, 503, "service-unavailable")
        assert len(service.seen) == 2
        metrics = (await client.get("/metrics")).text
    assert 'mtqg_gateway_upstream_retries_total{service="housing"}' in metrics


async def test_a_streamed_body_is_never_sent_twice(through: Any) -> None:
    async def upload() -> AsyncIterator[bytes]:
        yield b"a" * 70_000
        yield b"b" * 70_000

    async with through(drops=1) as (client, service):
        answer = await client.put("/api/v1/housing/import", content=upload(), headers=OFFICER)
    assert answer.status_code == 503
    assert len(service.seen) == 1


async def test_a_refused_connection_is_503_at_once_without_retry(through: Any) -> None:
    async with through(drops=0) as (client, _service):
        answer = await client.get("/api/v1/labour/workers", headers=OFFICER)
        body = assert_problem(answer, 503, "service-unavailable")
        retries = (await client.get("/metrics")).text
    assert body["service"] == "labour"
    assert 'mtqg_gateway_upstream_retries_total{service="labour"}' not in retries


async def test_the_pool_gauge_shows_connections_in_use_and_idle(through: Any) -> None:
    async with through(drops=0) as (client, _service):
        assert (await client.get("/api/v1/housing/cases", headers=OFFICER)).status_code == 200
        metrics = (await client.get("/metrics")).text
        upstream = gateway_of(client).forwarder.upstreams["housing"]
        assert upstream.pool_counts() == (0, 1)  # back in the pool, not in use
    assert 'mtqg_gateway_upstream_connections{service="housing",state="in_use"}' in metrics
