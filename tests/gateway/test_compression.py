"""Answers of 1 kB or more are compressed when the caller accepts it (API.md section 7): brotli
when `br` is accepted, else gzip; on every service and on the gateway (its own answers and
forwarded ones), never twice, never on a 304, and streamed answers still whole."""

from __future__ import annotations

import gzip
from typing import Any

import brotli
import httpx
import pytest

from mtqg_shared.registry import SERVICE_NAMES
from tests import support
from tests.gateway.upstreams import Stub


async def raw_get(
    client: httpx.AsyncClient, url: str, headers: dict[str, str]
) -> tuple[httpx.Response, bytes]:
    """The answer and its bytes as they crossed the network (not decoded)."""
    async with client.stream("GET", url, headers=headers) as answer:
        raw = b"".join([chunk async for chunk in answer.aiter_raw()])
    return answer, raw


def decoded(answer: httpx.Response, raw: bytes) -> bytes:
    encoding = answer.headers.get("content-encoding")
    if encoding == "br":
        return bytes(brotli.decompress(raw))
    if encoding == "gzip":
        return gzip.decompress(raw)
    assert encoding is None, encoding
    return raw


def vary(answer: httpx.Response) -> set[str]:
    return {v.strip().lower() for v in answer.headers.get("vary", "").split(",")}


async def assert_compresses(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> None:
    plain, plain_raw = await raw_get(client, url, {**headers, "Accept-Encoding": "identity"})
    assert plain.status_code == 200, plain_raw[:300]
    assert len(plain_raw) >= 1024
    assert "content-encoding" not in plain.headers
    for accepted, expected in (
        ("gzip", "gzip"),
        ("br", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("br;q=0, gzip", "gzip"),
    ):
        answer, raw = await raw_get(client, url, {**headers, "Accept-Encoding": accepted})
        assert answer.headers["content-encoding"] == expected, (url, accepted)
        assert "accept-encoding" in vary(answer)
        assert len(raw) < len(plain_raw) / 2
        if "content-length" in answer.headers:
            assert int(answer.headers["content-length"]) == len(raw)
        assert decoded(answer, raw) == plain_raw


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_every_service_compresses_large_answers(service: str, service_client: Any) -> None:
    async with service_client(service) as client:
        await assert_compresses(client, "/openapi.json", {})
        small, small_raw = await raw_get(client, "/healthz", {"Accept-Encoding": "gzip, br"})
    assert small.status_code == 200
    assert "content-encoding" not in small.headers  # under 1 kB: not worth it
    assert decoded(small, small_raw) == b'{"status":"ok"}'


async def test_pages_and_problems_are_compressed_and_a_304_is_not(
    service_client: Any,
) -> None:
    admin = support.auth(subject="admin", roles=["admin"])
    body = {
        "household_code": "HH-COMPRESS",
        "head_of_household": "Nguyễn Văn A",
        "commune_code": "02680",
        "beneficiary_group": "poor",
        "support_type": "new_build",
    }
    async with service_client("housing") as client:
        made = await client.post("/api/v1/housing/cases", json=body, headers=admin)
        assert made.status_code == 201, made.text
        url = made.headers["location"]
        for i in range(10):
            more = {**body, "household_code": f"HH-COMPRESS-{i}"}
            assert (await client.post("/api/v1/housing/cases", json=more, headers=admin)).is_success
        page, page_raw = await raw_get(
            client, "/api/v1/housing/cases?limit=200", {**admin, "Accept-Encoding": "br"}
        )
        # A problem of 1 kB or more is compressed too (a body with many unknown fields).
        refused = await client.post(
            "/api/v1/housing/cases",
            json={**body, **{f"unknown_{i:03d}": i for i in range(80)}},
            headers={**admin, "Accept-Encoding": "gzip"},
        )
        same = await client.get(
            url,
            headers={**admin, "If-None-Match": made.headers["etag"], "Accept-Encoding": "gzip"},
        )
    assert page.headers["content-encoding"] == "br"
    assert page.headers["vary"].lower().count("accept-encoding") == 1
    assert decoded(page, page_raw).startswith(b'{"items":[')
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.headers["content-encoding"] == "gzip"
    assert same.status_code == 304
    assert "content-encoding" not in same.headers
    assert same.content == b""


async def test_the_gateway_compresses_its_own_and_forwarded_answers(
    through: Any, housing: Stub
) -> None:
    async with through() as client:
        await assert_compresses(client, "/api/v1/admin-units?limit=200", {})
        # The stub does not compress: the gateway does, once.
        await assert_compresses(client, "/api/v1/housing/page", {})
        # A streamed answer (no Content-Length) is compressed as it streams, and whole.
        await assert_compresses(client, "/api/v1/housing/listing", {})
        streamed, raw = await raw_get(client, "/api/v1/housing/listing", {"Accept-Encoding": "br"})
        # A service's compressed answer passes on as it is: never compressed again.
        encoded, encoded_raw = await raw_get(
            client, "/api/v1/housing/encoded", {"Accept-Encoding": "gzip, br"}
        )
        small, _ = await raw_get(client, "/api/v1/housing/tagged", {"Accept-Encoding": "gzip"})
    assert decoded(streamed, raw).count(b'"name"') == 2000
    assert encoded.headers["content-encoding"] == "gzip"
    assert gzip.decompress(encoded_raw).startswith(b'{"items": ["xxx')
    assert "content-encoding" not in small.headers
    # The caller's Accept-Encoding reached the service: it may compress, the gateway need not.
    asked = [dict(r["headers"]).get("Accept-Encoding") for r in housing.seen if "headers" in r]
    assert asked == ["identity", "gzip", "br", "gzip, deflate, br, zstd", "br;q=0, gzip"]
