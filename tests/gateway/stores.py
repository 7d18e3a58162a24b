"""The two counter stores the rate limit and the sign-in throttle are tested on: the gateway's
database and Redis (127.0.0.1:6379 on these machines; `MTQG_TEST_REDIS_URL` to change it).

The SQLite and PostgreSQL passes run at the same time against the same Redis, so every test
counts under a key prefix of its own, and nothing is ever flushed. Redis tests are skipped only
on a machine without Redis and outside CI; in CI (`CI` set) a missing Redis fails them
(.ci/run starts it)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import redis

from gateway.app import create_app
from gateway.config import Settings
from gateway.counters import Counters
from gateway.counters.database import DatabaseCounters
from mtqg_shared.db import Database
from tests import support
from tests.gateway.helpers import SIGNING_KEY

REDIS_URL = os.environ.get("MTQG_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
STORES = ("database", "redis")


def require_redis(url: str = REDIS_URL) -> None:
    """Skip the test when Redis does not answer, unless in CI, where that fails it."""
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        message = f"Redis does not answer at {url} ({exc}); apt-get install redis-server"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    finally:
        client.close()


def store_settings(store: str) -> dict[str, Any]:
    """The gateway settings of one store; for Redis, a key prefix no other test uses."""
    if store == "database":
        return {}
    require_redis()
    return {"redis_url": REDIS_URL, "redis_prefix": f"mtqg-test:{uuid.uuid4().hex}:"}


async def share(*stores: Counters) -> None:
    """Let every replica learn the others' counts: the database store sends and reads them
    about once a second in the background; Redis has nothing to wait for."""
    for _ in range(2):  # each sends, then each reads what all have sent
        for store in stores:
            if isinstance(store, DatabaseCounters):
                await store.flush()


@asynccontextmanager
async def gateways(
    settings: Settings, db: Database, n: int = 2
) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Clients of `n` gateway replicas with the same settings on the rolled-back database."""
    apps = [create_app(settings, db=db, signing_key=SIGNING_KEY) for _ in range(n)]
    async with support.rolled_back(db):
        clients = [
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://gw",
                headers=support.ENGLISH,
            )
            for app in apps
        ]
        try:
            yield clients
        finally:
            for client, app in zip(clients, apps, strict=True):
                await client.aclose()
                await app.forwarder.close()
                await app.counters.stop()
