"""Every one-record read of every programme service answers 304 to an If-None-Match that
names its ETag (API.md section 7). The reads are found in each app's routes and their records
made by the service's demo loader, so a new resource is covered without editing this test
(a read whose collection the demo leaves empty fails here: add it to the demo)."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest

from mtqg_shared.registry import SERVICE_NAMES
from tests import support

ADMIN = support.auth(subject="admin", roles=["admin"])


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_every_single_record_read_answers_304(
    service: str, service_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = importlib.import_module(f"demo.{service}")
    if hasattr(demo, "CONCURRENCY"):
        monkeypatch.setattr(demo, "CONCURRENCY", 1)
    wanted = inspect.signature(demo.load).parameters
    options: dict[str, Any] = {"concurrency": 1} if "concurrency" in wanted else {}
    if "houses" in wanted:
        options["houses"] = 3
    async with service_client(service) as client:
        client.headers.update(ADMIN)
        # One request at a time: the test's rolled-back connection is shared by all of them.
        await demo.load(client, lambda _line: None, **options)
        reads = support.single_record_reads(client.app.openapi())
        assert reads
        for path in reads:
            try:
                url = await support.path_values(client, path, ADMIN)
            except LookupError as exc:
                pytest.fail(f"no record to read at {path} ({exc}): add one to demo.{service}")
            await support.assert_conditional_reads(client, url, ADMIN)
