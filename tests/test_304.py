"""Every one-record read of every programme service answers 304 to an If-None-Match that
names its ETag (API.md section 7). The reads are found in each app's routes and their records
made by the service's demo loader, so a new resource is covered without editing this test
(a read whose collection the demo leaves empty fails here: add it to the demo).

Sensitive records are the exception: the demos record no protection case (not even an
illustrative one), so the test records one of its own, with a step, as a reader who holds
`protection`, and reads every record as that reader; an admin without the role finds none of
those records (404)."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest

from mtqg_shared.auth import PROTECTION
from mtqg_shared.registry import SERVICE_NAMES
from tests import support

ADMIN = support.auth(subject="admin", roles=["admin"])
# The same admin holding the sensitive records' role too.
HOLDER = support.auth(subject="admin", roles=["admin", PROTECTION])


async def _gender_case(client: Any) -> list[str]:
    """One illustrative protection case, about no one, and its first step."""
    from tests.gender.test_cases import case_body

    case = await client.post("/api/v1/gender/cases", json=case_body(), headers=HOLDER)
    assert case.status_code == 201, case.text
    step = await client.post(
        f"/api/v1/gender/cases/{case.json()['id']}/transitions",
        json={"to": "verified"},
        headers=HOLDER,
    )
    assert step.status_code == 201, step.text
    return [case.headers["location"], step.headers["location"]]


# The sensitive records a service's demo leaves out, made by the test: their URLs.
SENSITIVE = {"gender": _gender_case}


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
        make = SENSITIVE.get(service)
        if make is not None:
            for url in await make(client):
                assert (await client.get(url, headers=ADMIN)).status_code == 404, url
        # An import's job and template are no demo records: tests/imports reads them (304).
        reads = [
            p
            for p in support.single_record_reads(client.app.openapi())
            if not p.startswith(f"/api/v1/{service}/imports/")
        ]
        assert reads
        for path in reads:
            try:
                url = await support.path_values(client, path, HOLDER)
            except LookupError as exc:
                pytest.fail(f"no record to read at {path} ({exc}): add one to demo.{service}")
            await support.assert_conditional_reads(client, url, HOLDER)
