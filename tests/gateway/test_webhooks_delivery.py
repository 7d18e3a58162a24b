"""The webhook dispatcher against a stand-in change feed and a local receiver: signatures the
reference implementation (`standardwebhooks`) verifies, the feed read as the subscribing
client, order and one delivery in flight, retries that hold back later events, redirects as
failures, disabling after the configured time and resuming, replay, resource filters."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from standardwebhooks import Webhook as Verifier
from standardwebhooks import WebhookVerificationError

from gateway.models import Webhook
from gateway.webhooks.dispatcher import Dispatcher, backoff
from mtqg_shared.db import Database
from tests.gateway.helpers import (
    GatewayClient,
    admin_auth,
    create_client,
    create_webhook,
    gateway_of,
)
from tests.gateway.hooks import Feed, Receiver, change, feed_service, receiver


@dataclass
class Hooked:
    client: httpx.AsyncClient
    feed: Feed
    receiver: Receiver
    dispatcher: Dispatcher
    system: dict[str, Any]

    async def subscribe(self, **extra: Any) -> dict[str, Any]:
        return await create_webhook(
            self.client, self.system["client_id"], url=self.receiver.url, **extra
        )

    async def read(self, webhook: dict[str, Any]) -> dict[str, Any]:
        answer = await self.client.get(f"/api/v1/webhooks/{webhook['id']}", headers=admin_auth())
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    async def attempts(self, webhook: dict[str, Any]) -> list[dict[str, Any]]:
        answer = await self.client.get(
            f"/api/v1/webhooks/{webhook['id']}/deliveries",
            params={"limit": 200},
            headers=admin_auth(),
        )
        assert answer.status_code == 200, answer.text
        items: list[dict[str, Any]] = answer.json()["items"]
        return items


@pytest.fixture
def hooked(gateway_client: GatewayClient) -> Callable[..., Any]:
    @asynccontextmanager
    async def make(**settings: Any) -> AsyncIterator[Hooked]:
        async with feed_service() as feed, receiver() as found:
            values: dict[str, Any] = {
                "housing_url": feed.url,
                "labour_url": feed.url,
                "webhook_allow_private": True,
                # Retries wait a minute: a test makes one due itself (`due`), never by sleeping.
                "webhook_retry_seconds": 60.0,
                **settings,
            }
            async with gateway_client(**values) as client:
                dispatcher: Dispatcher = gateway_of(client).api.state.webhooks
                system = await create_client(
                    client, scopes=("housing:read", "labour:read"), areas=("15",)
                )
                try:
                    yield Hooked(client, feed, found, dispatcher, system)
                finally:
                    await dispatcher.close()

    return make


async def due(db: Database, webhook: dict[str, Any]) -> None:
    """The retry of a failed event is due now."""
    async with db.session() as session:
        await session.execute(
            update(Webhook)
            .where(Webhook.id == uuid.UUID(webhook["id"]))
            .values(next_attempt_at=None)
        )
        await session.commit()


async def drain(dispatcher: Dispatcher, rounds: int = 50) -> None:
    """Run passes until one delivers nothing and nothing is waiting for a retry."""
    for _ in range(rounds):
        if not await dispatcher.run_once():
            return


def verified(secret: str, delivery: Any) -> dict[str, Any]:
    payload: dict[str, Any] = Verifier(secret).verify(delivery.body, delivery.headers)
    return payload


async def test_the_reference_implementation_verifies_every_delivery(hooked: Any) -> None:
    async with hooked() as h:
        made = await h.subscribe()
        h.feed.add("housing", change(1), change(2, action="remove"))
        assert await h.dispatcher.run_once() == 2

        first, second = h.receiver.seen
        assert verified(made["secret"], first) == {
            "type": "housing.cases.upsert",
            "timestamp": change(1)["at"],
            "data": change(1),
        }
        assert verified(made["secret"], second)["type"] == "housing.cases.remove"
        assert first.headers["webhook-id"] == "housing:1"
        assert first.headers["content-type"] == "application/json"
        with pytest.raises(WebhookVerificationError):
            Verifier("whsec_" + "A" * 43 + "=").verify(first.body, first.headers)
        tampered = first.body.replace(b"HH-1", b"HH-9")
        with pytest.raises(WebhookVerificationError):
            Verifier(made["secret"]).verify(tampered, first.headers)

        # After a rotation both secrets sign, so a receiver may switch when it likes.
        rotated = await h.client.patch(
            f"/api/v1/webhooks/{made['id']}",
            json={"rotate_secret": True},
            headers={**admin_auth(), "If-Match": '"1"'},
        )
        new_secret = rotated.json()["secret"]
        h.feed.add("housing", change(3))
        assert await h.dispatcher.run_once() == 1
        third = h.receiver.seen[-1]
        assert len(third.headers["webhook-signature"].split(" ")) == 2
        assert verified(new_secret, third)["data"]["seq"] == 3
        assert verified(made["secret"], third)["data"]["seq"] == 3


async def test_the_feed_is_read_as_the_subscribing_client(gateway_client: GatewayClient) -> None:
    async with (
        feed_service() as feed,
        receiver() as found,
        gateway_client(housing_url=feed.url, webhook_allow_private=True) as client,
    ):
        system = await create_client(client, scopes=("housing:read",), areas=("02647",))
        await create_webhook(client, system["client_id"], url=found.url)
        feed.add("housing", change(1))
        dispatcher: Dispatcher = gateway_of(client).api.state.webhooks
        try:
            await dispatcher.run_once()
        finally:
            await dispatcher.close()
    assert len(found.seen) == 1
    claims = feed.tokens[0]
    assert claims["sub"] == system["client_id"]
    assert claims["kind"] == "client"
    assert claims["scope"] == "housing:read"
    assert claims["areas"] == ["02647"]
    assert "roles" not in claims


async def test_events_arrive_in_order_one_at_a_time(hooked: Any) -> None:
    async with hooked() as h:
        await h.subscribe(services=["housing", "labour"])
        h.feed.add("housing", *(change(seq) for seq in range(1, 131)))  # over a page
        h.feed.add("labour", *(change(seq, "workers") for seq in (5, 9, 40)))
        await drain(h.dispatcher)
        got = [(d.headers["webhook-id"]) for d in h.receiver.seen]
        assert got == [f"housing:{s}" for s in range(1, 131)] + [
            "labour:5",
            "labour:9",
            "labour:40",
        ]
        assert h.receiver.most_in_flight == 1
        # Nothing new: nothing is sent again.
        assert await h.dispatcher.run_once() == 0
        assert len(h.receiver.seen) == 133
        h.feed.add("labour", change(41, "workers"))
        await drain(h.dispatcher)
        assert h.receiver.seen[-1].headers["webhook-id"] == "labour:41"


async def test_a_failing_event_is_retried_and_holds_back_the_later_ones(
    hooked: Any, gateway_db: Database
) -> None:
    async with hooked() as h:
        made = await h.subscribe()
        h.feed.add("housing", change(1), change(2))
        h.receiver.answers = [500, 302]
        assert await h.dispatcher.run_once() == 0
        assert [d.seq for d in h.receiver.seen] == [1]
        state = await h.read(made)
        assert state["failing_since"] is not None and state["next_attempt_at"] is not None
        # Before its retry is due nothing goes, event 2 included.
        assert await h.dispatcher.run_once() == 0
        assert [d.seq for d in h.receiver.seen] == [1]

        next_attempt = dt.datetime.fromisoformat(state["next_attempt_at"])
        waits = next_attempt - dt.datetime.fromisoformat(state["failing_since"])
        assert dt.timedelta(seconds=30) <= waits <= dt.timedelta(seconds=61)  # 60 s, jittered

        await due(gateway_db, made)
        assert await h.dispatcher.run_once() == 0  # the redirect is a failure, not followed
        assert [d.headers.get("webhook-id") for d in h.receiver.seen] == ["housing:1"] * 2
        await due(gateway_db, made)
        await drain(h.dispatcher)
        assert [d.seq for d in h.receiver.seen] == [1, 1, 1, 2]
        assert (await h.read(made))["failing_since"] is None

        attempts = await h.attempts(made)
        assert [(a["webhook_id"], a["attempt"], a["succeeded"], a["status"]) for a in attempts] == [
            ("housing:2", 1, True, 204),
            ("housing:1", 3, True, 204),
            ("housing:1", 2, False, 302),
            ("housing:1", 1, False, 500),
        ]
        assert attempts[2]["error"] == "redirect"
        assert all(a["type"] == "housing.cases.upsert" for a in attempts)
        assert all(a["duration_ms"] >= 0 for a in attempts)


async def test_a_receiver_that_does_not_answer_in_time_has_failed(
    hooked: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gateway.webhooks.dispatcher.DELIVERY_SECONDS", 0.2)
    async with hooked() as h:
        made = await h.subscribe()
        h.feed.add("housing", change(1))
        h.receiver.delay = 1.0
        assert await h.dispatcher.run_once() == 0
        (attempt,) = await h.attempts(made)
        assert attempt["succeeded"] is False and attempt["error"] == "timeout"
        assert attempt["status"] is None


async def test_a_subscription_failing_too_long_is_disabled_and_resumes_in_place(
    hooked: Any, gateway_db: Database
) -> None:
    async with hooked() as h:
        made = await h.subscribe()
        h.feed.add("housing", change(1), change(2))
        h.receiver.answers = [503] * 3
        await h.dispatcher.run_once()
        # It has been failing for 73 hours: the next failure disables it.
        async with gateway_db.session() as session:
            await session.execute(
                update(Webhook)
                .where(Webhook.id == uuid.UUID(made["id"]))
                .values(
                    failing_since=dt.datetime.now(dt.UTC) - dt.timedelta(hours=73),
                    next_attempt_at=None,
                )
            )
            await session.commit()
        await h.dispatcher.run_once()
        state = await h.read(made)
        assert state["disabled"] is True and state["disabled_at"] is not None
        h.receiver.answers = []
        await due(gateway_db, made)
        assert await h.dispatcher.run_once() == 0
        assert [d.seq for d in h.receiver.seen] == [1, 1]

        enabled = await h.client.patch(
            f"/api/v1/webhooks/{made['id']}",
            json={"disabled": False},
            headers={**admin_auth(), "If-Match": f'"{state["version"]}"'},
        )
        assert enabled.status_code == 200, enabled.text
        assert enabled.json()["failing_since"] is None
        await drain(h.dispatcher)
        assert [d.seq for d in h.receiver.seen] == [1, 1, 1, 2]


async def test_a_shorter_setting_disables_sooner(hooked: Any) -> None:
    async with hooked(webhook_disable_after_hours=0.0001, webhook_retry_seconds=0.05) as h:
        made = await h.subscribe()
        h.feed.add("housing", change(1))
        h.receiver.answers = [500] * 50
        for _ in range(20):
            await h.dispatcher.run_once()
            if (await h.read(made))["disabled"]:
                break
            await asyncio.sleep(0.1)
        assert (await h.read(made))["disabled"] is True


async def test_replay_delivers_again_from_after_the_seq_given(hooked: Any) -> None:
    async with hooked() as h:
        made = await h.subscribe(services=["housing", "labour"])
        h.feed.add("housing", change(1), change(2), change(3))
        h.feed.add("labour", change(7, "workers"))
        await drain(h.dispatcher)
        assert len(h.receiver.seen) == 4
        answer = await h.client.post(
            f"/api/v1/webhooks/{made['id']}/replay",
            json={"service": "housing", "after": 1},
            headers=admin_auth(),
        )
        assert answer.status_code == 202, answer.text
        assert answer.json() == {"service": "housing", "after": 1}
        await drain(h.dispatcher)
        assert [d.headers["webhook-id"] for d in h.receiver.seen[4:]] == [
            "housing:2",
            "housing:3",
        ]


async def test_only_the_resources_asked_for_are_sent(hooked: Any) -> None:
    async with hooked() as h:
        await h.subscribe(resources=["funding"])
        h.feed.add("housing", change(1), change(2, "funding"), change(3), change(4, "funding"))
        await drain(h.dispatcher)
        assert [d.seq for d in h.receiver.seen] == [2, 4]
        h.feed.add("housing", change(5))
        await drain(h.dispatcher)
        assert [d.seq for d in h.receiver.seen] == [2, 4]


async def test_a_feed_that_is_down_or_reset(hooked: Any) -> None:
    async with hooked() as h:
        made = await h.subscribe()
        h.feed.down = True
        h.feed.add("housing", change(1))
        assert await h.dispatcher.run_once() == 0
        assert h.receiver.seen == [] and await h.attempts(made) == []
        h.feed.down = False
        await drain(h.dispatcher)
        assert [d.seq for d in h.receiver.seen] == [1]
        # The client's areas changed: its cursor is 410 and the feed is followed from its
        # start again, every current record once more.
        h.feed.gone.add("1")
        h.feed.add("housing", change(2))
        await drain(h.dispatcher)
        assert [d.seq for d in h.receiver.seen] == [1, 1, 2]


async def test_a_disabled_client_gets_nothing(hooked: Any) -> None:
    async with hooked() as h:
        await h.subscribe()
        disabled = await h.client.patch(
            f"/api/v1/auth/clients/{h.system['client_id']}",
            json={"disabled": True},
            headers={**admin_auth(), "If-Match": '"1"'},
        )
        assert disabled.status_code == 200
        h.feed.add("housing", change(1))
        assert await h.dispatcher.run_once() == 0
        assert h.receiver.seen == []


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    for attempts, ceiling in ((1, 10.0), (2, 20.0), (3, 40.0), (10, 300.0)):
        waits = [backoff(attempts, 10.0, 300.0) for _ in range(200)]
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(set(waits)) > 100  # jittered, not one value
    assert json.dumps(backoff(50, 10.0, 300.0)) != "inf"
