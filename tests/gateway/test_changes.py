"""GET /api/v1/changes against stub services: every service's feed followed with one cursor,
each item naming its service, a service that fails listed in `unavailable` with its position
kept, a service's refusal of its cursor passed on."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from tests.gateway.helpers import GatewayClient, assert_problem, auth
from tests.gateway.programmes import SERVICES, Programme, programmes

VIEWER = auth(subject="viewer-1", roles=("viewer",))


def feed(service: str) -> str:
    return f"/api/v1/{service}/changes"


def change(seq: int, id_: str) -> dict[str, Any]:
    return {
        "seq": seq,
        "resource": "things",
        "id": id_,
        "action": "upsert",
        "at": "2026-12-01T03:00:00Z",
        "record": {"id": id_},
    }


@pytest.fixture
async def stubs() -> AsyncIterator[dict[str, Programme]]:
    async with programmes() as found:
        for n, (name, stub) in enumerate(found.items(), start=1):
            stub.answers[feed(name)] = {
                "items": [change(n, f"{name}-1")],
                "next_cursor": f"{name}-after-{n}",
            }
        yield found


@pytest.fixture
def front(gateway_client: GatewayClient, stubs: dict[str, Programme]) -> Any:
    @asynccontextmanager
    async def make(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
        urls = {f"{name}_url": stub.url for name, stub in stubs.items()}
        async with gateway_client(**{**urls, **settings}) as client:
            yield client

    return make


def positions(cursor: str) -> dict[str, str]:
    return dict(json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))))


async def test_one_cursor_follows_every_service(front: Any, stubs: dict[str, Programme]) -> None:
    async with front() as client:
        answer = await client.get("/api/v1/changes", headers=VIEWER)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert [(i["service"], i["id"]) for i in body["items"]] == [
            (name, f"{name}-1") for name in SERVICES
        ]
        assert body["unavailable"] == []
        # Every service was asked from its start, with the caller's token.
        for name, stub in stubs.items():
            (asked,) = stub.asked(feed(name))
            assert "cursor" not in asked["query"]
            assert asked["authorization"] == VIEWER["Authorization"]
        assert positions(body["next_cursor"]) == {
            name: f"{name}-after-{n}" for n, name in enumerate(SERVICES, start=1)
        }
        again = await client.get(
            "/api/v1/changes", params={"cursor": body["next_cursor"], "limit": 5}, headers=VIEWER
        )
        assert again.status_code == 200, again.text
        for n, (name, stub) in enumerate(stubs.items(), start=1):
            assert stub.asked(feed(name))[-1]["query"] == {
                "cursor": f"{name}-after-{n}",
                "limit": "5",
            }


async def test_a_service_that_fails_is_unavailable_and_keeps_its_place(
    front: Any, stubs: dict[str, Programme]
) -> None:
    async with front() as client:
        first = (await client.get("/api/v1/changes", headers=VIEWER)).json()
        stubs["labour"].failures[feed("labour")] = 500
        stubs["housing"].answers[feed("housing")] = {"items": [], "next_cursor": "housing-later"}
        answer = await client.get(
            "/api/v1/changes", params={"cursor": first["next_cursor"]}, headers=VIEWER
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["unavailable"] == ["labour"]
        assert "labour" not in {i["service"] for i in body["items"]}
        kept = positions(body["next_cursor"])
        assert kept["labour"] == positions(first["next_cursor"])["labour"]
        assert kept["housing"] == "housing-later"
        # Once it answers again, it is asked from where it was.
        del stubs["labour"].failures[feed("labour")]
        await client.get("/api/v1/changes", params={"cursor": body["next_cursor"]}, headers=VIEWER)
        assert stubs["labour"].asked(feed("labour"))[-1]["query"]["cursor"] == kept["labour"]


async def test_a_cursor_a_service_refuses_is_the_answer(
    front: Any, stubs: dict[str, Programme]
) -> None:
    stubs["gender"].failures[feed("gender")] = 410
    async with front() as client:
        answer = await client.get("/api/v1/changes", headers=VIEWER)
    body = assert_problem(answer, 410, "cursor-reset")
    assert body["service"] == "gender"


async def test_a_client_follows_only_the_services_it_may_read(
    front: Any, stubs: dict[str, Programme]
) -> None:
    reader = auth(subject="system", kind="client", scopes=("housing:read",))
    async with front() as client:
        answer = await client.get("/api/v1/changes", headers=reader)
    assert answer.status_code == 200, answer.text
    assert {i["service"] for i in answer.json()["items"]} == {"housing"}
    assert not stubs["labour"].asked(feed("labour"))


async def test_refusals(front: Any) -> None:
    async with front() as client:
        answer = await client.get("/api/v1/changes")
        assert_problem(answer, 401, "unauthorized")
        nobody = auth(subject="system", kind="client", scopes=())
        assert_problem(await client.get("/api/v1/changes", headers=nobody), 403, "forbidden")
        for bad in ("not-base64!", base64.urlsafe_b64encode(b"[1, 2]").decode()):
            answer = await client.get("/api/v1/changes", params={"cursor": bad}, headers=VIEWER)
            assert_problem(answer, 422, "validation")
        answer = await client.get("/api/v1/changes", params={"limit": 1001}, headers=VIEWER)
        assert_problem(answer, 422, "validation")
