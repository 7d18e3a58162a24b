"""What every programme's demo loader does through the API: create records with client-made
ids (201 now, 409 duplicate from an earlier run), a few requests at a time, and say how many
each step made."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx


class Loader:
    def __init__(
        self, client: httpx.AsyncClient, log: Callable[[str], None], api: str, concurrency: int
    ) -> None:
        self.client = client
        self.log = log
        self.api = api
        self.made = 0
        self.kept = 0
        self._gate = asyncio.Semaphore(concurrency)

    async def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async with self._gate:
            return await self.client.request(method, f"{self.api}/{path}", **kwargs)

    async def create(self, path: str, body: dict[str, Any]) -> None:
        """POST with a client-made id: 201 made now, 409 duplicate made by an earlier run."""
        answer = await self.call("POST", path, json=body)
        if answer.status_code == 201:
            self.made += 1
        elif answer.status_code == 409 and answer.json().get("type") == "/problems/duplicate":
            self.kept += 1
        else:
            raise RuntimeError(f"POST {path} answered {answer.status_code}: {answer.text}")

    async def all(self, jobs: Sequence[Awaitable[None]]) -> None:
        await asyncio.gather(*jobs)

    def report(self, what: str) -> None:
        self.log(f"{what}: {self.made} created, {self.kept} already there")
        self.made = self.kept = 0


# The demo's period report: the first half of 2025, the last before the new units.
DEMO_PERIOD = "2025-H1"
_REPORTS = uuid.UUID("6f1d3c52-52a4-4d7e-9d3b-7c1a1fe0a2b5")


async def submit_period_report(
    client: httpx.AsyncClient, log: Callable[[str], None], service: str, area_code: str
) -> None:
    """The report of `DEMO_PERIOD` for `area_code`, submitted (not approved: the demo's records
    stay writable). 201 now, 409 duplicate from an earlier run."""
    body = {
        "id": str(uuid.uuid5(_REPORTS, f"{service}/{area_code}/{DEMO_PERIOD}")),
        "period": DEMO_PERIOD,
        "area_code": area_code,
    }
    answer = await client.post(f"/api/v1/{service}/period-reports", json=body)
    if answer.status_code not in (201, 409):
        raise RuntimeError(f"period report answered {answer.status_code}: {answer.text}")
    log(f"{service}: period report {DEMO_PERIOD} of {area_code} submitted")
