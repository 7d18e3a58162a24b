"""The vocabularies over sockets through the real gateway: no token, the service's own answer
and ETag, and 304 for a phone that already holds them."""

from __future__ import annotations

import httpx

from mtqg_shared.registry import SERVICE_NAMES
from tests.stack import Stack


def test_every_vocabulary_through_the_gateway_without_a_token(stack: Stack) -> None:
    with httpx.Client(base_url=stack.url("gateway"), timeout=10) as gateway:
        for service in SERVICE_NAMES:
            path = f"/api/v1/{service}/vocabulary"
            direct = httpx.get(f"{stack.url(service)}{path}", timeout=10)
            assert direct.status_code == 200, (service, direct.text)
            answer = gateway.get(path)
            assert answer.status_code == 200, (service, answer.text)
            assert answer.content == direct.content
            tag = answer.headers["etag"]
            assert tag == direct.headers["etag"]
            assert answer.headers["cache-control"] == direct.headers["cache-control"]
            cached = gateway.get(path, headers={"If-None-Match": tag})
            assert cached.status_code == 304, (service, cached.text)
            assert cached.content == b""
            assert cached.headers["etag"] == tag
        own = gateway.get("/api/v1/auth/vocabulary")
        assert own.status_code == 200
        assert own.json()["roles"]["approver"]["vi"] == "Người phê duyệt"
