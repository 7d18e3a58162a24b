"""The gateway's own one-record reads answer 304 to an If-None-Match naming their ETag, found
in its routes (the household view is a view over every service, not one versioned record);
forwarded reads pass If-None-Match on and the service's 304 back."""

from __future__ import annotations

from typing import Any

import httpx

from tests import support
from tests.gateway.helpers import (
    admin_auth,
    create_client,
    create_user,
    create_webhook,
    gateway_of,
)
from tests.gateway.upstreams import Stub

VIEWS = {"/api/v1/households/{household_code}"}


async def test_every_own_single_record_read_answers_304(client: httpx.AsyncClient) -> None:
    await create_user(client, "lan.nguyen")
    system = await create_client(client)
    await create_webhook(client, system["client_id"])
    admin = admin_auth()
    reads = [
        path
        for path in support.single_record_reads(gateway_of(client).api.openapi())
        if path not in VIEWS
    ]
    assert {
        "/api/v1/auth/users/{username}",
        "/api/v1/admin-units/{code}",
        "/api/v1/webhooks/{webhook_id}",
    } <= set(reads)
    for path in reads:
        url = await support.path_values(client, path, admin)
        await support.assert_conditional_reads(client, url, admin)


async def test_a_forwarded_read_passes_the_condition_and_the_304(
    through: Any, housing: Stub
) -> None:
    async with through() as client:
        fresh = await client.get("/api/v1/housing/tagged")
        same = await client.get("/api/v1/housing/tagged", headers={"If-None-Match": '"7"'})
    assert fresh.status_code == 200 and fresh.headers["etag"] == '"7"'
    assert same.status_code == 304
    assert same.headers["etag"] == '"7"'
    assert same.content == b""
    assert [r["if_none_match"] for r in housing.seen] == [None, '"7"']


async def test_the_gateway_answers_304_when_a_service_did_not(through: Any, housing: Stub) -> None:
    async with through() as client:
        # The stub answers 304 only to exactly '"7"'; a list naming it is the gateway's 304.
        listed = await client.get(
            "/api/v1/housing/tagged", headers={"If-None-Match": 'W/"6", W/"7"'}
        )
    assert listed.status_code == 304
    assert listed.headers["etag"] == '"7"'
    assert listed.content == b""
