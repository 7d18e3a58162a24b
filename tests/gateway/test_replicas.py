"""Several replicas of a service behind one gateway: requests go to them in turn; a replica
that cannot be reached is passed over (any method: nothing was sent) and taken out; one whose
`/readyz` does not answer 200 is out until it does; a request that was sent is sent again at
most once, to the next replica, and only when that is safe."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from tests.gateway.helpers import GatewayClient, assert_problem, auth, gateway_of
from tests.gateway.test_retries import dropper
from tests.gateway.upstreams import free_port, serving

OFFICER = auth(subject="replica-officer", roles=("officer",))


class Replica:
    """A stub process of the housing service: it answers 200 naming itself, and its
    `/readyz` answers `ready`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: list[str] = []
        self.ready = 200

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        status = self.ready if scope["path"] == "/readyz" else 200
        if scope["path"] != "/readyz":
            self.seen.append(f"{scope['method']} {scope['path']}")
        headers = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(self.name))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": self.name.encode()})


def _others() -> dict[str, str]:
    return {
        f"{name}_url": f"http://127.0.0.1:{free_port()}"
        for name in ("labour", "production", "gender", "digital")
    }


@asynccontextmanager
async def _behind(
    gateway_client: GatewayClient, *urls: str, **settings: Any
) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_client(housing_url=",".join(urls), **_others(), **settings) as client:
        yield client


@pytest.fixture
async def two() -> AsyncIterator[tuple[Replica, Replica, str, str]]:
    a, b = Replica("a"), Replica("b")
    async with serving(a) as url_a, serving(b) as url_b:
        yield a, b, url_a, url_b


async def test_requests_go_to_the_replicas_in_turn(
    gateway_client: GatewayClient, two: tuple[Replica, Replica, str, str]
) -> None:
    a, b, url_a, url_b = two
    async with _behind(gateway_client, url_a, url_b) as client:
        answers = [
            (await client.get("/api/v1/housing/cases", headers=OFFICER)).text for _ in range(10)
        ]
    assert sorted(answers) == ["a"] * 5 + ["b"] * 5
    assert len(a.seen) == len(b.seen) == 5


async def test_a_replica_that_cannot_be_reached_is_passed_over_even_for_a_post(
    gateway_client: GatewayClient, two: tuple[Replica, Replica, str, str]
) -> None:
    a, _, url_a, _ = two
    gone = f"http://127.0.0.1:{free_port()}"
    async with _behind(gateway_client, gone, url_a) as client:
        for _ in range(4):
            answer = await client.post("/api/v1/housing/cases", json={"x": 1}, headers=OFFICER)
            assert answer.status_code == 200, answer.text
            assert answer.text == "a"
        upstream = gateway_of(client).forwarder.upstreams["housing"]
        assert [r.out for r in upstream.replicas] == [True, False]
        metrics = (await client.get("/metrics")).text
    # Each POST went once, to the replica that is there: nothing was sent twice.
    assert a.seen == ["POST /api/v1/housing/cases"] * 4
    assert 'mtqg_gateway_replicas{service="housing",state="out"} 1.0' in metrics


async def test_with_every_replica_gone_the_answer_is_503(gateway_client: GatewayClient) -> None:
    gone = [f"http://127.0.0.1:{free_port()}" for _ in range(2)]
    async with _behind(gateway_client, *gone) as client:
        answer = await client.get("/api/v1/housing/cases", headers=OFFICER)
    body = assert_problem(answer, 503, "service-unavailable")
    assert body["service"] == "housing"


async def test_a_replica_not_ready_is_out_until_it_answers_200(
    gateway_client: GatewayClient, two: tuple[Replica, Replica, str, str]
) -> None:
    _, b, url_a, url_b = two
    async with _behind(gateway_client, url_a, url_b) as client:
        forwarder = gateway_of(client).forwarder
        upstream = forwarder.upstreams["housing"]
        first, second = upstream.replicas
        b.ready = 503  # e.g. its database is down
        assert await forwarder.check(upstream, first) is True
        assert await forwarder.check(upstream, second) is False
        answers = {
            (await client.get("/api/v1/housing/cases", headers=OFFICER)).text for _ in range(6)
        }
        assert answers == {"a"}
        b.ready = 200
        assert await forwarder.check(upstream, second) is True
        answers = {
            (await client.get("/api/v1/housing/cases", headers=OFFICER)).text for _ in range(6)
        }
        assert answers == {"a", "b"}


async def test_the_checks_run_by_themselves_while_the_gateway_runs(
    gateway_client: GatewayClient, two: tuple[Replica, Replica, str, str]
) -> None:
    _, b, url_a, url_b = two
    b.ready = 503
    async with _behind(gateway_client, url_a, url_b, replica_check_seconds=0.05) as client:
        forwarder = gateway_of(client).forwarder
        await forwarder.start()  # what the lifespan does
        upstream = forwarder.upstreams["housing"]
        for _ in range(100):
            if upstream.replicas[1].out:
                break
            await asyncio.sleep(0.02)
        assert upstream.replicas[1].out
        b.ready = 200
        for _ in range(100):
            if not upstream.replicas[1].out:
                break
            await asyncio.sleep(0.02)
        assert not upstream.replicas[1].out


async def test_a_get_broken_off_by_a_replica_is_sent_once_to_the_next(
    gateway_client: GatewayClient, two: tuple[Replica, Replica, str, str]
) -> None:
    a, _, url_a, _ = two
    async with (
        dropper(drops=100) as breaking,
        _behind(gateway_client, breaking.url, url_a) as client,
    ):
        answer = await client.get("/api/v1/housing/cases/1", headers=OFFICER)
        assert answer.status_code == 200, answer.text
        assert answer.text == "a"
        # A POST without an Idempotency-Key that a replica broke off is not sent again.
        answers = [
            await client.post("/api/v1/housing/cases", json={"x": 1}, headers=OFFICER)
            for _ in range(2)
        ]
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 503], [answer.text for answer in answers]  # that replica is down
    assert breaking.seen.count("POST /api/v1/housing/cases") == 1
    assert a.seen.count("POST /api/v1/housing/cases") == 1
