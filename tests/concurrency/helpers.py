"""Firing N requests at once and reading what the users would see afterwards."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

# How many requests race in each test.
N = 20


async def race(
    send: Callable[[int], Awaitable[httpx.Response]], n: int = N
) -> list[httpx.Response]:
    """Start `send(0)` .. `send(n - 1)` at once; their answers, in that order."""
    return list(await asyncio.gather(*(send(i) for i in range(n))))


def statuses(answers: list[httpx.Response]) -> dict[int, int]:
    """How many answers had each status, e.g. {200: 1, 412: 19}."""
    return dict(sorted(Counter(a.status_code for a in answers).items()))


def problem_types(answers: list[httpx.Response], status: int) -> set[str]:
    """The problem `type` of every answer with `status`; each must be problem+json."""
    found = set()
    for answer in answers:
        if answer.status_code == status:
            assert answer.headers["content-type"].startswith("application/problem+json")
            found.add(str(answer.json()["type"]))
    return found


def won(answers: list[httpx.Response], status: int) -> list[int]:
    """The indexes of the requests answered `status`."""
    return [i for i, answer in enumerate(answers) if answer.status_code == status]


async def read(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> dict[str, Any]:
    answer = await client.get(url, headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def items(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    """Every item of a list, following `next_cursor`."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {"limit": 200, **params} | ({"cursor": cursor} if cursor else {})
        answer = await client.get(url, params=query, headers=headers)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        found.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return found


async def one_patch_wins(
    client: httpx.AsyncClient,
    url: str,
    *,
    audit: str,
    entity_type: str,
    field: str,
    values: list[Any],
    headers: dict[str, str],
) -> None:
    """N PATCHes of `field` (to `values[i]`), all with the If-Match of the version just read:
    exactly one is applied (200), every other is refused as stale (412); the record rose one
    version and holds the winner's value; its audit trail shows that one update only."""
    assert len(values) == N and len(set(map(repr, values))) == N
    before = await client.get(url, headers=headers)
    assert before.status_code == 200, before.text
    version = int(before.headers["etag"].strip('"'))
    assert before.json()["version"] == version
    old = before.json()[field]
    trail_before = await items(
        client, audit, headers, entity_type=entity_type, entity_id=before.json()["id"]
    )

    answers = await race(
        lambda i: client.patch(
            url, json={field: values[i]}, headers=headers | {"If-Match": f'"{version}"'}
        )
    )

    assert statuses(answers) == {200: 1, 412: N - 1}
    assert problem_types(answers, 412) == {"/problems/precondition-failed"}
    [winner] = won(answers, 200)
    assert answers[winner].json()[field] == values[winner]
    assert answers[winner].json()["version"] == version + 1
    after = await client.get(url, headers=headers)
    assert after.headers["etag"] == f'"{version + 1}"'
    assert (after.json()["version"], after.json()[field]) == (version + 1, values[winner])
    trail = await items(
        client, audit, headers, entity_type=entity_type, entity_id=before.json()["id"]
    )
    new = trail[: len(trail) - len(trail_before)]  # newest first
    assert [(e["action"], e["changes"]) for e in new] == [
        ("update", {field: [old, values[winner]]})
    ]


async def one_step_wins(
    client: httpx.AsyncClient,
    record_url: str,
    body: dict[str, Any],
    headers: dict[str, str],
) -> dict[str, Any]:
    """N identical steps from the same status: exactly one is taken (201), every other is
    refused because the record has moved on (409 invalid-state); one step is listed.
    Returns the record as read afterwards."""
    before = await read(client, record_url, headers)
    steps_before = await items(client, f"{record_url}/transitions", headers)

    answers = await race(
        lambda _: client.post(f"{record_url}/transitions", json=body, headers=headers)
    )

    assert statuses(answers) == {201: 1, 409: N - 1}
    assert problem_types(answers, 409) == {"/problems/invalid-state"}
    after = await read(client, record_url, headers)
    assert before["status"] != body["to"]
    assert after["status"] == body["to"]
    steps = await items(client, f"{record_url}/transitions", headers)
    known = {s["id"] for s in steps_before}
    new = [s for s in steps if s["id"] not in known]
    assert [s["to"] for s in new] == [body["to"]]
    [winner] = won(answers, 201)
    assert new[0]["id"] == answers[winner].json()["id"]
    return after
