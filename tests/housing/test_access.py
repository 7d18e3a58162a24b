"""Every housing endpoint needs a token, a role or scope of this service, and the right kind
of caller for writes: checked route by route."""

from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest

from tests import support
from tests.housing.helpers import API, assert_problem, client_token, viewer

SOME = str(uuid.uuid4())
READS = [
    f"{API}/cases",
    f"{API}/cases/{SOME}",
    f"{API}/cases/{SOME}/transitions",
    f"{API}/cases/{SOME}/funding",
    f"{API}/cases/{SOME}/funding/{SOME}",
    f"{API}/norms",
    f"{API}/plans",
    f"{API}/plans/{SOME}",
    f"{API}/plans/{SOME}/progress",
    f"{API}/obstacles",
    f"{API}/obstacles/{SOME}",
    f"{API}/reports/progress",
]
WRITES = [
    ("POST", f"{API}/cases"),
    ("PATCH", f"{API}/cases/{SOME}"),
    ("POST", f"{API}/cases/{SOME}/transitions"),
    ("POST", f"{API}/cases/{SOME}/funding"),
    ("PUT", f"{API}/norms/poor/repair"),
    ("POST", f"{API}/plans"),
    ("PATCH", f"{API}/plans/{SOME}"),
    ("POST", f"{API}/obstacles"),
    ("PATCH", f"{API}/obstacles/{SOME}"),
]


@pytest.mark.parametrize("url", READS)
async def test_reads_need_a_token_and_a_reading_role_or_scope(
    client: httpx.AsyncClient, url: str
) -> None:
    assert_problem(await client.get(url), 401, "unauthorized")
    expired = support.auth(ttl=dt.timedelta(seconds=-5))
    assert_problem(await client.get(url, headers=expired), 401, "unauthorized")
    assert_problem(await client.get(url, headers=support.auth(roles=[])), 403, "forbidden")
    assert_problem(
        await client.get(url, headers=client_token("labour:read", "production:read")),
        403,
        "forbidden",
    )
    for allowed in (viewer(), client_token("housing:read")):
        assert (await client.get(url, headers=allowed)).status_code in (200, 404)


@pytest.mark.parametrize(("method", "url"), WRITES)
async def test_writes_need_a_writing_role_or_scope(
    client: httpx.AsyncClient, method: str, url: str
) -> None:
    assert_problem(await client.request(method, url, json={}), 401, "unauthorized")
    for refused in (viewer(), client_token("housing:read"), client_token("labour:write")):
        answer = await client.request(method, url, json={}, headers=refused | {"If-Match": "*"})
        assert_problem(answer, 403, "forbidden")
