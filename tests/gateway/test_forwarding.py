"""Forwarding /api/v1/{housing,labour,production}/* to the services, against stub services."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, MutableMapping
from typing import Any

import httpx
import pytest

from tests import support
from tests.gateway.helpers import assert_problem, auth, gateway_of
from tests.gateway.upstreams import Stub


def headers_of(record: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in record["headers"]:
        found.setdefault(name, []).append(value)
    return found


async def test_request_reaches_the_service_unchanged(through: Any, housing: Stub) -> None:
    body = '{"head_of_household": "Sùng A Páo", "notes": "nhà tạm"}'
    token = auth(roles=("officer",))
    async with through() as client:
        answer = await client.post(
            "/api/v1/housing/cases/a%2Fb?area_code=15&q=S%C3%B9ng+A",
            content=body.encode(),
            headers={**token, "Content-Type": "application/json", "X-Custom": "kept"},
        )
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-upstream"] == "echo"
    seen = answer.json()
    assert seen["method"] == "POST"
    assert seen["raw_path"] == "/api/v1/housing/cases/a%2Fb?area_code=15&q=S%C3%B9ng+A"
    assert seen["body"] == body
    sent = headers_of(seen)
    assert sent["authorization"] == [token["Authorization"]]  # services verify it themselves
    assert sent["content-type"] == ["application/json"]
    assert sent["x-custom"] == ["kept"]
    assert sent["content-length"] == [str(len(body.encode()))]
    assert sent["x-forwarded-for"] == ["127.0.0.1"]
    assert sent["x-forwarded-proto"] == ["http"]
    assert sent["x-forwarded-host"] == ["gw"]
    assert sent["host"] == [housing.url.removeprefix("http://")]
    assert "user-agent" not in sent or sent["user-agent"] == [f"python-httpx/{httpx.__version__}"]


async def test_request_id_is_passed_on_and_returned_once(through: Any, housing: Stub) -> None:
    async with through() as client:
        given = await client.get("/api/v1/housing/cases", headers={"X-Request-ID": "req-42.a"})
        made = await client.get("/api/v1/housing/cases")
    assert headers_of(given.json())["x-request-id"] == ["req-42.a"]
    assert given.headers.get_list("x-request-id") == ["req-42.a"]
    generated = made.headers.get_list("x-request-id")
    assert len(generated) == 1 and len(generated[0]) >= 16
    assert headers_of(made.json())["x-request-id"] == generated


async def test_hop_by_hop_request_headers_are_not_passed_on(through: Any) -> None:
    async with through() as client:
        answer = await client.get(
            "/api/v1/housing/cases",
            headers={
                "Connection": "X-Private",
                "X-Private": "for the gateway only",
                "Keep-Alive": "timeout=300",
                "TE": "trailers",
                "Trailer": "X-Checksum",
                "Upgrade": "h2c",
                "Proxy-Authorization": "Basic c2VjcmV0",
                "X-Forwarded-For": "10.0.0.7",
            },
        )
    sent = headers_of(answer.json())
    for name in ("x-private", "keep-alive", "te", "trailer", "upgrade", "proxy-authorization"):
        assert name not in sent, name
    assert sent.get("connection", ["keep-alive"]) == ["keep-alive"]
    assert sent["x-forwarded-for"] == ["10.0.0.7, 127.0.0.1"]


async def test_hop_by_hop_response_headers_are_not_passed_back(through: Any) -> None:
    async with through() as client:
        answer = await client.get("/api/v1/labour/hop")
    assert answer.status_code == 200
    assert answer.text == "ok"
    assert answer.headers["x-end"] == "yes"
    for name in ("x-hop", "keep-alive", "proxy-authenticate", "upgrade", "connection"):
        assert name not in answer.headers, name


async def test_status_and_error_answers_of_the_service_pass_through(through: Any) -> None:
    async with through() as client:
        answer = await client.delete("/api/v1/housing/status/418")
    assert answer.status_code == 418
    assert answer.text == "teapot says no"
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.headers["x-why"] == "t"


async def test_large_answers_stream_through_intact(through: Any) -> None:
    async with through() as client:
        answer = await client.get("/api/v1/housing/big")
    assert answer.status_code == 200
    assert answer.content == b"".join(bytes([i]) * 65536 for i in range(10))


async def test_streamed_upload_arrives_whole(through: Any) -> None:
    parts = [b"a" * 70_000, b"b" * 70_000, b"c" * 10]

    async def upload() -> AsyncIterator[bytes]:
        for part in parts:
            yield part

    async with through() as client:
        answer = await client.put("/api/v1/housing/import", content=upload())
    assert answer.status_code == 200, answer.text
    assert answer.json()["body"] == b"".join(parts).decode()


async def test_cookies_of_one_caller_never_reach_another(through: Any, housing: Stub) -> None:
    async with through() as client:
        first = await client.get("/api/v1/housing/cookie")
        assert "session=someone-elses" in first.headers["set-cookie"]
        client.cookies.clear()  # the next caller has no cookie of its own
        await client.get("/api/v1/housing/cookie")
    assert [r["cookie"] for r in housing.seen] == [None, None]


async def test_service_down_is_503_naming_it(through: Any) -> None:
    async with through() as client:
        started = time.monotonic()
        answer = await client.get("/api/v1/production/projects")
    body = assert_problem(answer, 503, "service-unavailable")
    assert body["service"] == "production"
    assert body["request_id"] == answer.headers["x-request-id"]
    assert body["instance"] == "/api/v1/production/projects"
    assert time.monotonic() - started < 3


async def test_slow_service_is_504_within_the_deadline(through: Any) -> None:
    async with through(forward_timeout_seconds=0.4, forward_connect_timeout_seconds=0.2) as client:
        started = time.monotonic()
        answer = await client.get("/api/v1/housing/slow")
        elapsed = time.monotonic() - started
        # The gateway is still fine afterwards.
        assert (await client.get("/api/v1/housing/cases")).status_code == 200
    body = assert_problem(answer, 504, "service-timeout")
    assert body["service"] == "housing"
    assert 0.3 < elapsed < 2


@pytest.mark.parametrize("path", ["/api/v1/labour/broken", "/api/v1/labour/cut"])
async def test_broken_answer_is_502_naming_the_service(through: Any, path: str) -> None:
    async with through() as client:
        answer = await client.get(path)
    body = assert_problem(answer, 502, "bad-gateway")
    assert body["service"] == "labour"


async def test_body_over_the_limit_is_413_and_never_forwarded(through: Any, housing: Stub) -> None:
    async def upload() -> AsyncIterator[bytes]:
        for _ in range(4):
            yield b"x" * 1000

    async with through(max_body_bytes=2048) as client:
        declared = await client.post("/api/v1/housing/cases", content=b"x" * 3000)
        streamed = await client.post("/api/v1/housing/cases", content=upload())
        fits = await client.post("/api/v1/housing/cases", content=b"x" * 2000)
    assert_problem(declared, 413, "payload-too-large")
    assert_problem(streamed, 413, "payload-too-large")
    assert fits.status_code == 200
    assert [r["body"] for r in housing.seen] == ["x" * 2000]


async def test_rate_limit_per_caller_with_retry_after(through: Any, store: dict[str, Any]) -> None:
    officer = auth(subject="busy-officer", roles=("officer",))
    other = auth(subject="calm-officer", roles=("officer",))
    async with through(rate_limit_per_minute=3, **store) as client:
        # Half-way through a minute, held still.
        gateway_of(client).counters.clock = lambda: 1_800_000_030.0
        for _ in range(3):
            assert (await client.get("/api/v1/housing/cases", headers=officer)).status_code == 200
        refused = await client.get("/api/v1/housing/cases", headers=officer)
        own = await client.get("/api/v1/auth/users/x", headers=officer)
        calm = await client.get("/api/v1/housing/cases", headers=other)
        health = await client.get("/healthz")
        for _ in range(3):
            await client.get("/api/v1/admin-units")
        anonymous = await client.get("/api/v1/admin-units")
    body = assert_problem(refused, 429, "rate-limited")
    assert refused.headers["retry-after"] == "61"  # when second 30 leaves the window
    assert body["request_id"] == refused.headers["x-request-id"]
    assert own.status_code == 429  # the gateway's own endpoints count too
    assert calm.status_code == 200
    assert health.status_code == 200
    assert_problem(anonymous, 429, "rate-limited")  # callers without a token: by address


async def test_invalid_token_is_limited_by_address_and_refused_by_the_service(
    through: Any, store: dict[str, Any]
) -> None:
    forged = auth(subject="x", key=support.OTHER_KEY)  # right key id, wrong signature
    async with through(rate_limit_per_minute=2, **store) as client:
        gateway_of(client).counters.clock = lambda: 1_800_000_000.0
        first = await client.get("/api/v1/housing/cases", headers=forged)
        await client.get("/api/v1/admin-units")  # same address, no token
        third = await client.get("/api/v1/housing/cases", headers=forged)
    assert first.status_code == 200  # the stub does not check tokens; real services do
    assert third.status_code == 429


def _scope(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"gw")],
        "client": ("127.0.0.1", 50000),
        "server": ("gw", 80),
    }


async def test_callers_leaving_mid_answer_do_not_use_up_the_pool(through: Any) -> None:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.body":
            raise ConnectionResetError("the caller went away")

    # One pooled connection only: a single leaked one would block every later request.
    async with through(forward_pool_size=1, forward_timeout_seconds=1) as client:
        app = gateway_of(client)
        for path in ("/api/v1/housing/cases", "/api/v1/housing/big") * 3:
            with pytest.raises(ConnectionResetError):
                await app(_scope(path), receive, send)
        answer = await client.get("/api/v1/housing/cases")
    assert answer.status_code == 200
