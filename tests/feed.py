"""Following a service's change feed as a phone does (API.md section 8)."""

from __future__ import annotations

from typing import Any

import httpx


async def follow(
    client: httpx.AsyncClient,
    service: str,
    headers: dict[str, str],
    cursor: str | None = None,
    *,
    limit: int = 3,
) -> tuple[list[dict[str, Any]], str]:
    """Every change from `cursor` (the feed's start when None) to its end, page by page, and
    the cursor to ask again from."""
    items: list[dict[str, Any]] = []
    while True:
        params: dict[str, Any] = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        answer = await client.get(f"/api/v1/{service}/changes", params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert isinstance(page["next_cursor"], str) and page["next_cursor"]
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not page["items"]:
            return items, cursor


async def head(client: httpx.AsyncClient, service: str, headers: dict[str, str]) -> str:
    answer = await client.get(f"/api/v1/{service}/changes/head", headers=headers)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["cursor"])


def latest(items: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Each record's last change among `items`, by (resource, id)."""
    return {(item["resource"], item["id"]): item for item in items}
