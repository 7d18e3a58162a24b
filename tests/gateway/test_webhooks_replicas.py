"""Two gateway replicas on one database (PostgreSQL under MTQG_TEST_POSTGRES_URL, else one
SQLite file) deliver every event of every subscription once, in order: the lease in the
database lets one replica at a time serve a subscription.

The replicas need connections of their own, so this test commits for real (not inside the
rolled-back transaction of the other tests) and removes what it made afterwards."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from pathlib import Path

import httpx
from sqlalchemy import delete, select

from gateway.app import create_app
from gateway.models import Client, Webhook, audit_log
from gateway.webhooks.dispatcher import Dispatcher
from mtqg_shared.db import Database
from tests.gateway.helpers import SIGNING_KEY, admin_auth, make_settings
from tests.gateway.hooks import change, feed_service, receiver

EVENTS = 40
SUBSCRIPTIONS = 3


async def test_two_replicas_deliver_each_event_once(
    database_urls: dict[str, str], tmp_path: Path
) -> None:
    url = database_urls["gateway"]
    dbs = [Database(url, "gateway"), Database(url, "gateway")]
    async with feed_service() as feed, receiver() as found:
        settings = make_settings(
            tmp_path, housing_url=feed.url, webhook_allow_private=True, webhook_retry_seconds=0.05
        )
        apps = [create_app(settings, db=db, signing_key=SIGNING_KEY) for db in dbs]
        dispatchers: list[Dispatcher] = [app.api.state.webhooks for app in apps]
        assert dispatchers[0].replica != dispatchers[1].replica
        client_ids: list[str] = []
        webhook_ids: list[str] = []
        transport = httpx.ASGITransport(app=apps[0])
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://gw") as api:
                for n in range(SUBSCRIPTIONS):
                    made = await api.post(
                        "/api/v1/auth/clients",
                        json={
                            "name": f"Replica test {n}",
                            "scopes": ["housing:read"],
                            "areas": ["15"],
                        },
                        headers=admin_auth(),
                    )
                    assert made.status_code == 201, made.text
                    client_ids.append(made.json()["client_id"])
                    hook = await api.post(
                        "/api/v1/webhooks",
                        json={
                            "url": f"{found.url}?n={n}",
                            "services": ["housing"],
                            "client_id": client_ids[-1],
                        },
                        headers=admin_auth(),
                    )
                    assert hook.status_code == 201, hook.text
                    webhook_ids.append(hook.json()["id"])
            feed.add("housing", *(change(seq) for seq in range(1, EVENTS + 1)))
            found.delay = 0.002  # so that the replicas' passes overlap

            async def replica(dispatcher: Dispatcher) -> int:
                made = 0
                for _ in range(400):
                    made += await dispatcher.run_once()
                    if len(found.seen) >= EVENTS * SUBSCRIPTIONS:
                        break
                    await asyncio.sleep(0)
                return made

            async with asyncio.timeout(120):
                counts = await asyncio.gather(*(replica(d) for d in dispatchers))
            # A few more passes on both: nothing is sent again.
            for dispatcher in dispatchers:
                assert await dispatcher.run_once() == 0
        finally:
            for app, dispatcher in zip(apps, dispatchers, strict=True):
                await dispatcher.close()
                await app.forwarder.close()
            await _remove(dbs[0], client_ids)
            for db in dbs:
                await db.dispose()

    assert sum(counts) == EVENTS * SUBSCRIPTIONS
    assert len(found.seen) == EVENTS * SUBSCRIPTIONS
    per_subscription: dict[str, list[int]] = defaultdict(list)
    for delivery in found.seen:
        per_subscription[delivery.path].append(delivery.seq)
    assert len(per_subscription) == SUBSCRIPTIONS
    for seqs in per_subscription.values():
        assert seqs == list(range(1, EVENTS + 1))  # each once, in order


async def _remove(db: Database, client_ids: list[str]) -> None:
    """The clients made here, their webhooks (cascading) and their audit rows."""
    async with db.session() as session:
        ids = [
            str(i)
            for i in (
                await session.scalars(select(Client.id).where(Client.client_id.in_(client_ids)))
            ).all()
        ]
        hooks = (
            await session.scalars(
                select(Webhook.id).join(Client).where(Client.client_id.in_(client_ids))
            )
        ).all()
        entities = [*ids, *(str(h) for h in hooks)]
        await session.execute(delete(audit_log).where(audit_log.c.entity_id.in_(entities)))
        await session.execute(delete(Client).where(Client.client_id.in_(client_ids)))
        await session.commit()
