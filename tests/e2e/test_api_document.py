"""The gateway's /openapi.json over the real processes: every service's document, fetched over
HTTP and merged into one valid OpenAPI 3.1 document; /docs shows it."""

from __future__ import annotations

import httpx
from openapi_spec_validator import validate

from tests.stack import Stack


def test_one_document_of_every_service(stack: Stack) -> None:
    answer = httpx.get(f"{stack.url('gateway')}/openapi.json", timeout=30)
    assert answer.status_code == 200
    document = answer.json()
    validate(document)
    assert document["x-missing-services"] == []
    for service in ("housing", "labour", "production"):
        own = httpx.get(f"{stack.url(service)}/openapi.json", timeout=30).json()
        prefix = f"/api/v1/{service}/"
        assert {p for p in own["paths"] if p.startswith(prefix)} == {
            p for p in document["paths"] if p.startswith(prefix)
        }
    assert "/api/v1/overview" in document["paths"]
    docs = httpx.get(f"{stack.url('gateway')}/docs", timeout=30)
    assert docs.status_code == 200 and "/openapi.json" in docs.text
