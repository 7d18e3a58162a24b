"""Exports through the gateway: a real service's file arrives whole, a stream longer than
the forward deadline is not cut, and the gateway's own lists export too."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from starlette.types import Receive, Scope, Send

from tests.export.helpers import read_csv, read_xlsx
from tests.gateway.helpers import GatewayClient, admin_auth
from tests.gateway.upstreams import serving
from tests.housing.helpers import admin, create_case

LINES = 12
PAUSE = 0.1  # seconds between two parts of the slow answer; the deadline is 0.4


async def slow_export(scope: Scope, receive: Receive, send: Send) -> None:
    """A service whose export takes longer than the gateway's deadline, a part at a time."""
    assert scope["type"] == "http"
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/csv; charset=utf-8")],
        }
    )
    for n in range(LINES):
        await send({"type": "http.response.body", "body": f"{n}\r\n".encode(), "more_body": True})
        await asyncio.sleep(PAUSE)
    await send({"type": "http.response.body", "body": b""})


async def test_a_stream_longer_than_the_deadline_arrives_whole(
    gateway_client: GatewayClient,
) -> None:
    async with (
        serving(slow_export) as url,
        gateway_client(housing_url=url, forward_timeout_seconds=0.4) as client,
    ):
        started = time.monotonic()
        answer = await client.get("/api/v1/housing/cases?format=csv")
        elapsed = time.monotonic() - started
    assert answer.status_code == 200, answer.text
    assert answer.text == "".join(f"{n}\r\n" for n in range(LINES))
    assert elapsed > 0.4 * 2  # it did outlast the deadline


async def test_a_service_export_through_the_gateway(
    gateway_client: GatewayClient, service_client: Any
) -> None:
    async with service_client("housing") as housing:
        case = await create_case(housing)
        async with (
            serving(housing.app) as url,
            gateway_client(housing_url=url) as client,
        ):
            for fmt, read in (("csv", read_csv), ("xlsx", read_xlsx)):
                answer = await client.get(
                    "/api/v1/housing/cases", params={"format": fmt}, headers=admin()
                )
                assert answer.status_code == 200, answer.text
                rows = read(answer)
                assert len(rows) == 2
                assert case["id"] in [str(c) for c in rows[1]]


async def test_the_gateways_own_lists_export(gateway_client: GatewayClient) -> None:
    async with gateway_client() as client:
        for path in ("/api/v1/auth/users", "/api/v1/auth/clients", "/api/v1/admin-units"):
            answer = await client.get(path, params={"format": "csv"}, headers=admin_auth())
            assert answer.status_code == 200, f"{path}: {answer.text}"
            assert answer.headers["content-type"] == "text/csv; charset=utf-8"
            read_csv(answer)
        answer = await client.get("/api/v1/changes", params={"format": "csv"}, headers=admin_auth())
        assert answer.status_code == 422, answer.text
