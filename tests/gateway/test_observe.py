"""The gateway's outer layer: the same access lines, request ids, metrics and body limit as
the shared middleware gives the services, at a fraction of the cost."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from mtqg_shared.middleware import Observability
from tests.gateway.helpers import GatewayClient, assert_problem


async def test_access_lines_are_the_json_the_services_write(
    gateway_client: GatewayClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mtqg.access"):
        async with gateway_client(access_log=True) as client:
            await client.get("/api/v1/admin-units/02647", headers={"X-Request-ID": "line-1"})
            await client.get('/api/v1/admin-units/"Lào Cai"?national_id=079123456789')
    lines = [
        json.loads(line)
        for record in caplog.records
        if record.name == "mtqg.access"
        for line in record.getMessage().split("\n")
    ]
    assert lines[0] == {
        "service": "gateway",
        "request_id": "line-1",
        "method": "GET",
        "path": "/api/v1/admin-units/02647",
        "route": "/api/v1/admin-units/{code}",
        "status": 200,
        "ms": lines[0]["ms"],
    }
    assert isinstance(lines[0]["ms"], float)
    assert lines[1]["path"] == '/api/v1/admin-units/"Lào Cai"'  # escaped as JSON, no query
    assert "079123456789" not in caplog.text  # query strings may carry personal data
    for record in caplog.records:
        if record.name == "mtqg.access":  # the very text json.dumps writes
            for line in record.getMessage().split("\n"):
                assert line == json.dumps(json.loads(line), ensure_ascii=False)


async def test_no_access_lines_when_switched_off(
    gateway_client: GatewayClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mtqg.access"):
        async with gateway_client(access_log=False) as client:
            await client.get("/healthz")
    assert not [r for r in caplog.records if r.name == "mtqg.access"]


async def test_a_declared_body_over_the_limit_is_413_with_the_request_id(
    gateway_client: GatewayClient,
) -> None:
    async with gateway_client(max_body_bytes=2048) as client:
        answer = await client.post(
            "/api/v1/auth/users", content=b"x" * 3000, headers={"X-Request-ID": "big-1"}
        )
        metrics = (await client.get("/metrics")).text
    body = assert_problem(answer, 413, "payload-too-large")
    assert answer.headers["x-request-id"] == body["request_id"] == "big-1"
    assert 'route="unmatched",service="gateway",status="413"' in metrics


async def test_metrics_count_each_answer(gateway_client: GatewayClient) -> None:
    async with gateway_client() as client:
        for _ in range(3):
            await client.get("/api/v1/admin-units/02647")
        metrics = (await client.get("/metrics")).text
    counted = [
        line
        for line in metrics.splitlines()
        if line.startswith("mtqg_http_requests_total{")
        and 'route="/api/v1/admin-units/{code}"' in line
        and 'status="200"' in line
    ]
    assert counted and float(counted[0].rsplit(" ", 1)[1]) >= 3


async def test_a_request_without_a_body_is_not_wrapped() -> None:
    received: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        received.append(receive)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    layer = Observability(app, service="gateway", max_body_bytes=10, log_requests=False)
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": "/x",
        "headers": [(b"host", b"gw")],
    }
    await layer(scope, receive, send)
    assert received == [receive]
    assert (b"x-request-id", scope["state"]["request_id"].encode()) in sent[0]["headers"]


@pytest.mark.parametrize("chunks", [[b"x" * 8, b"x" * 8], [b"x" * 11]])
async def test_a_streamed_body_over_the_limit_is_413(chunks: list[bytes]) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    queue = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive() -> dict[str, Any]:
        return queue.pop(0)

    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    layer = Observability(app, service="gateway", max_body_bytes=10, log_requests=False)
    headers = [(b"transfer-encoding", b"chunked")]
    await layer({"type": "http", "method": "PUT", "path": "/x", "headers": headers}, receive, send)
    assert sent[0]["status"] == 413


async def test_the_gateway_keeps_its_answers_to_itself(client: httpx.AsyncClient) -> None:
    answer = await client.get("/healthz")
    assert answer.headers.get_list("x-request-id") == [answer.headers["x-request-id"]]
