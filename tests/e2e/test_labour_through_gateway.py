"""Section 4 over sockets: the demo loader runs through the real gateway (every labour
record, step and remittance forwarded to the real labour process), and the La Pan Tẩn
overview comes back with the seed's figures; a viewer sees identity numbers masked."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from demo import labour as demo
from tests.stack import Stack

pytestmark = pytest.mark.e2e

P = "/api/v1/labour"


async def check(base_url: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as client:
        lines: list[str] = []
        await demo.load(client, lines.append)
        params: dict[str, Any] = {"area_code": "02791", "geography": "2025-01", "year": 2024}
        report = (await client.get(f"{P}/reports/overview", params=params)).json()
        assert report["departures"] == {"total": 12, "by_country": {"KR": 2, "TW": 10}}
        assert report["in_preparation"] == 4
        assert report["profile"]["poor_rate"] == 0.404
        assert report["profile"]["near_poor_rate"] == 0.443
        first_run = len(lines)
        await demo.load(client, lines.append)
        # The second run creates nothing (its tally line says so).
        [tally] = [line for line in lines[first_run:] if "records created" in line]
        assert tally.startswith("labour: 0 records created"), tally
        # Through the gateway too: an unknown parameter is 422, a PATCH needs If-Match.
        bad = await client.get(f"{P}/workers", params={"colour": "red"})
        assert bad.status_code == 422
        workers = (await client.get(f"{P}/workers", params={"q": "vàng seo dìn"})).json()
        (din,) = workers["items"]
        patch = await client.patch(f"{P}/workers/{din['id']}", json={"village": "Thôn Mới"})
        assert patch.status_code == 428
        viewer = await client.post(
            "/api/v1/auth/users",
            json={
                "username": "labour-viewer",
                "password": "viewer-password-long",
                "roles": ["viewer"],
                "areas": ["02782"],
            },
        )
        assert viewer.status_code in (201, 409), viewer.text
        signed = await client.post(
            "/api/v1/auth/token",
            data={
                "grant_type": "password",
                "username": "labour-viewer",
                "password": "viewer-password-long",
            },
        )
        seen = await client.get(
            f"{P}/workers/{din['id']}",
            headers={"Authorization": f"Bearer {signed.json()['access_token']}"},
        )
        assert seen.status_code == 200
        assert seen.json()["national_id"].startswith("********")
        assert seen.json()["national_id"][-4:] == din["national_id"][-4:]


def test_labour_through_the_gateway(stack: Stack) -> None:
    asyncio.run(check(stack.url("gateway"), stack.token()))
