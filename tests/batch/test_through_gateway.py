"""Batches through the gateway, on every service of the registry: each service's demo data set
loaded with every write sent as a batch (the record each create made changed in the same batch
from its version 1, every operation with its Idempotency-Key, the first batch of each kind sent
twice and answered from the replays), 401 without a token; and the gateway counting a batch's
operations against the caller's rate limit, so that batching is no way around it."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import uuid
from typing import Any

import httpx
import pytest

from gateway.edge.dispatch import batch_cost
from mtqg_shared.registry import SERVICE_NAMES, process
from tests import support
from tests.batch.conftest import Through
from tests.housing.helpers import case_body

ADMIN = support.auth(subject="admin", roles=["admin"])
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_WRITES = ("POST", "PATCH", "PUT")
# Answer headers the demo's client must not see twice: the body it gets is decoded already.
_REMADE = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class ThroughBatches(httpx.AsyncBaseTransport):
    """What a client sends, through the gateway; each write of `prefix` as a batch of its own,
    answered with that operation's result. A create with a client-made id whose record has a
    PATCH is followed in its batch by a PATCH of that record from version 1 (`If-Match: "1"`,
    nothing to change). The first batch of each kind of path is sent again, and every result
    that succeeded must come back as its replay."""

    def __init__(self, gateway: httpx.AsyncClient, prefix: str, changes: list[str]) -> None:
        self.gateway = gateway
        self.prefix = prefix
        self.changes = [
            re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(p))) for p in changes
        ]
        self.replayed: set[str] = set()
        self.batches = 0
        self.changed = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode()
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() in ("authorization", "accept-language")
        }
        content = await request.aread()
        if request.method not in _WRITES or not path.startswith(self.prefix + "/"):
            answer = await self.gateway.request(
                request.method, path, headers=headers, content=content
            )
            return self._response(answer.status_code, answer.headers, answer.content, request)
        results = await self._batch(request, path, content, headers)
        first = results[0]
        body = json.dumps(first["body"]).encode() if first["body"] is not None else b""
        return self._response(first["status"], first["headers"], body, request)

    async def _batch(
        self, request: httpx.Request, path: str, content: bytes, headers: dict[str, str]
    ) -> list[dict[str, Any]]:
        own = {"Idempotency-Key": request.headers.get("idempotency-key") or f"t-{uuid.uuid4()}"}
        if "if-match" in request.headers:
            own["If-Match"] = request.headers["if-match"]
        operation: dict[str, Any] = {"method": request.method, "path": path, "headers": own}
        if content:
            operation["body"] = json.loads(content)
        operations = [operation]
        sent = operation.get("body")
        if request.method == "POST" and isinstance(sent, dict) and "id" in sent:
            record = f"{path.partition('?')[0]}/{sent['id']}"
            if any(p.fullmatch(record) for p in self.changes):
                change = {"If-Match": '"1"', "Idempotency-Key": f"t-{uuid.uuid4()}"}
                operations.append(
                    {"method": "PATCH", "path": record, "headers": change, "body": {}}
                )
        batch = {"operations": operations}
        answer = await self.gateway.post(f"{self.prefix}/batch", json=batch, headers=headers)
        assert answer.status_code == 200, answer.text
        assert "ratelimit" in answer.headers
        results: list[dict[str, Any]] = answer.json()["results"]
        assert len(results) == len(operations)
        self.batches += 1
        if len(results) == 2 and results[0]["status"] == 201:
            made, changed = results
            assert (changed["status"], changed["headers"]["ETag"]) == (200, '"1"'), changed
            assert changed["body"]["id"] == made["body"]["id"] == sent["id"]  # type: ignore[index]
            self.changed += 1
        kind = _UUID.sub("{id}", path)
        if kind not in self.replayed:
            self.replayed.add(kind)
            again = await self.gateway.post(f"{self.prefix}/batch", json=batch, headers=headers)
            assert again.status_code == 200, again.text
            for first, second in zip(results, again.json()["results"], strict=True):
                if first["status"] < 300:
                    assert second["headers"].get("Idempotent-Replayed") == "true", second
                    assert (second["status"], second["body"]) == (first["status"], first["body"])
        return results

    @staticmethod
    def _response(
        status: int, headers: Any, content: bytes, request: httpx.Request
    ) -> httpx.Response:
        kept = [(k, v) for k, v in dict(headers).items() if k.lower() not in _REMADE]
        return httpx.Response(status, headers=kept, content=content, request=request)


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_every_services_demo_loads_through_batches(
    service: str, through_gateway: Through, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = importlib.import_module(f"demo.{service}")
    if hasattr(demo, "CONCURRENCY"):
        monkeypatch.setattr(demo, "CONCURRENCY", 1)
    wanted = inspect.signature(demo.load).parameters
    options: dict[str, Any] = {"concurrency": 1} if "concurrency" in wanted else {}
    if "houses" in wanted:
        options["houses"] = 3
    prefix = process(service).prefix
    # A limit the demo never reaches: batches are counted by the edge (their bodies read).
    async with through_gateway(service, rate_limit_per_minute=1_000_000) as (gateway, app):
        unauthenticated = await gateway.post(
            f"{prefix}/batch", json={"operations": [{"method": "POST", "path": f"{prefix}/x"}]}
        )
        assert unauthenticated.status_code == 401, unauthenticated.text
        assert unauthenticated.headers["www-authenticate"] == "Bearer"

        paths = app.openapi()["paths"]
        changes = [p for p, item in paths.items() if "patch" in item]
        transport = ThroughBatches(gateway, prefix, changes)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://gw", headers=ADMIN | support.ENGLISH
        ) as client:
            await demo.load(client, lambda _line: None, **options)
        assert transport.batches > 0
        # Every service has a collection whose records are made offline and changed after.
        assert transport.changed > 0


async def test_a_batch_counts_as_its_operations_against_the_rate_limit(
    through_gateway: Through,
) -> None:
    cases = "/api/v1/housing/cases"

    def creates(n: int) -> dict[str, Any]:
        return {
            "operations": [{"method": "POST", "path": cases, "body": case_body()} for _ in range(n)]
        }

    async with through_gateway("housing", rate_limit_per_minute=10) as (gateway, _app):
        batch = "/api/v1/housing/batch"
        eight = await gateway.post(batch, json=creates(8), headers=ADMIN)
        assert eight.status_code == 200, eight.text
        assert [r["status"] for r in eight.json()["results"]] == [201] * 8
        assert eight.headers["ratelimit"].startswith('"default";r=2;')

        three = creates(3)
        refused = await gateway.post(batch, json=three, headers=ADMIN)
        assert refused.status_code == 429, refused.text
        assert refused.json()["type"] == "/problems/rate-limited"
        assert int(refused.headers["retry-after"]) >= 1
        listed = await gateway.get(cases, params={"limit": 50}, headers=ADMIN)
        assert listed.status_code == 200
        made = {c["household_code"] for c in listed.json()["items"]}
        assert len(made) == 8
        assert not made & {op["body"]["household_code"] for op in three["operations"]}

        # A batch the service refuses whole runs nothing and costs one request.
        empty = await gateway.post(batch, json={"operations": []}, headers=ADMIN)
        assert empty.status_code == 422
        assert empty.headers["ratelimit"].startswith('"default";r=0;')
        assert (await gateway.get(cases, headers=ADMIN)).status_code == 429


def test_what_a_batch_costs() -> None:
    operation = {"method": "POST", "path": "/api/v1/housing/cases", "body": {}}
    assert batch_cost(json.dumps({"operations": [operation] * 7}).encode()) == 7
    assert batch_cost(json.dumps({"operations": [operation] * 100}).encode()) == 100
    # Refused whole by the service (nothing runs): one request.
    refused: Any
    for refused in (
        {"operations": [operation] * 101},
        {"operations": []},
        {"operations": "all"},
        [operation],
    ):
        assert batch_cost(json.dumps(refused).encode()) == 1
    assert batch_cost(b'{"operations": [') == 1
