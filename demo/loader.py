"""What every programme's demo loader does through the API: create records with client-made
ids (201 now, 409 duplicate from an earlier run), a few requests at a time, and say how many
each step made."""

from __future__ import annotations

import asyncio
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
