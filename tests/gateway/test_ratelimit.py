"""Rate-limit counts over any 60-second window, shared between gateway replicas through each
counter store (the database; Redis), and the state every limited answer reports."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
from sqlalchemy import insert, select

from gateway.counters import Counters, counters_for
from gateway.counters.database import DatabaseCounters
from gateway.counters.redis_store import RedisCounters
from gateway.edge.ratelimit import RateLimiter
from gateway.models import rate_limits
from mtqg_shared.db import Database
from tests import support
from tests.gateway.helpers import assert_problem, auth, gateway_of, make_settings
from tests.gateway.stores import (
    REDIS_URL,
    STORES,
    gateways,
    require_redis,
    share,
    store_settings,
)
from tests.gateway.upstreams import Stub, free_port

MINUTE_START = 1_800_000_000.0  # a whole minute (divisible by 60)


def at(seconds: float) -> float:
    return MINUTE_START + seconds


class Clock:
    """A clock the test moves."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


Replicas = Callable[..., list[RateLimiter]]


@pytest.fixture(params=STORES)
async def replicas(
    request: pytest.FixtureRequest, gateway_db: Database, tmp_path: Path
) -> AsyncIterator[Replicas]:
    """`replicas(limit, clock, n=1)`: the rate limiters of `n` gateway replicas sharing one
    store (the rolled-back database, or one Redis key prefix)."""
    settings = make_settings(tmp_path, **store_settings(request.param))
    made: list[Counters] = []

    def make(limit: int, clock: Callable[[], float], n: int = 1) -> list[RateLimiter]:
        limiters = []
        for _ in range(n):
            counters = counters_for(settings, gateway_db)
            counters.clock = clock
            made.append(counters)
            limiters.append(RateLimiter(limit, counters))
        return limiters

    async with support.rolled_back(gateway_db):
        try:
            yield make
        finally:
            for counters in made:
                await counters.stop()


async def stored(db: Database) -> dict[tuple[str, int], int]:
    async with db.session() as session:
        rows = (await session.execute(select(rate_limits))).all()
    return {(caller, second): count for caller, second, count in rows}


async def waits(limiter: RateLimiter, caller: str, n: int) -> list[int]:
    return [(await limiter.hit(caller)).wait for _ in range(n)]


async def test_replicas_see_each_others_counts(replicas: Replicas) -> None:
    a, b = replicas(5, lambda: at(10), n=2)
    assert await waits(a, "person:lan", 3) == [0, 0, 0]
    assert (await b.hit("person:other")).wait == 0
    await share(a.counters, b.counters)  # b learns that lan has used 3 of 5
    assert await waits(b, "person:lan", 3) == [0, 0, 61]  # back when second 10 leaves
    await share(b.counters, a.counters)
    assert (await a.hit("person:lan")).wait == 61  # a now knows of b's two as well
    assert (await a.hit("person:other")).wait == 0


async def test_the_database_replicas_share_through_the_table(
    gateway_db: Database,
) -> None:
    async with support.rolled_back(gateway_db):
        a, b = (DatabaseCounters(gateway_db, clock=lambda: at(10)) for _ in range(2))
        la, lb = RateLimiter(5, a), RateLimiter(5, b)
        await waits(la, "person:lan", 3)
        await a.flush()
        await lb.hit("person:other")
        await b.flush()
        await waits(lb, "person:lan", 2)
        await b.flush()
        second = int(at(10))
        assert await stored(gateway_db) == {("person:lan", second): 5, ("person:other", second): 1}


async def test_the_limit_holds_across_a_minute_boundary(replicas: Replicas) -> None:
    """The limit's worth of requests spread over the end of one minute and the start of the
    next: a calendar-minute counter let all of them through, twice over."""
    clock = Clock(at(30))
    (limiter,) = replicas(600, clock)
    allowed: list[float] = []
    refused = 0
    # 1,200 requests from second 30 to second 90 of the first minute, 20 a second...
    for i in range(1200):
        clock.now = at(30 + i / 20)
        if (await limiter.hit("person:busy")).wait:
            refused += 1
        else:
            allowed.append(clock.now)
        if i % 20 == 19:
            await share(limiter.counters)
    assert len(allowed) == 600
    assert refused == 600
    # ... and no 60-second window of what was let through holds more than the limit.
    assert max(sum(1 for t in allowed if s <= t < s + 60) for s in allowed) <= 600


async def test_the_window_slides_second_by_second(replicas: Replicas) -> None:
    clock = Clock(at(0.5))
    (limiter,) = replicas(3, clock)
    assert (await limiter.hit("person:lan")).wait == 0  # second 0
    clock.now = at(20.5)
    assert await waits(limiter, "person:lan", 2) == [0, 0]  # second 20
    refused = await limiter.hit("person:lan")
    assert refused.remaining == 0
    assert refused.wait == 41  # second 0 leaves the window at second 61
    clock.now = at(60.9)
    assert (await limiter.hit("person:lan")).wait == 1  # second 0 still counts until 61
    clock.now = at(61.0)
    assert (await limiter.hit("person:lan")).wait == 0  # second 0 has left; 20's two count
    assert (await limiter.hit("person:lan")).wait == 20


async def test_a_batch_costs_what_it_holds_and_a_refused_one_costs_nothing(
    replicas: Replicas,
) -> None:
    (limiter,) = replicas(10, lambda: at(5))
    assert (await limiter.hit("person:lan", 8)).wait == 0
    refused = await limiter.hit("person:lan", 3)
    assert refused.wait == 61
    assert refused.remaining == 2  # the refused three were not counted
    assert await waits(limiter, "person:lan", 3) == [0, 0, 61]


async def test_requests_at_the_same_moment_are_each_counted(replicas: Replicas) -> None:
    """Twelve requests of one caller in flight at once (with Redis, asked in one call): five
    pass, as five one after the other would, and each is told what is left after it."""
    (limiter,) = replicas(5, lambda: at(7))
    decisions = await asyncio.gather(*(limiter.hit("person:rush") for _ in range(12)))
    assert sorted(d.wait for d in decisions) == [0] * 5 + [61] * 7
    assert sorted(d.remaining for d in decisions if not d.wait) == [0, 1, 2, 3, 4]


async def test_unsent_counts_are_part_of_the_decision(gateway_db: Database) -> None:
    async with support.rolled_back(gateway_db):
        limiter = RateLimiter(2, DatabaseCounters(gateway_db, clock=lambda: at(59.2)))
        assert await waits(limiter, "addr:10.0.0.1", 3) == [0, 0, 61]  # 59 leaves at 120
        await share(limiter.counters)
        assert (await limiter.hit("addr:10.0.0.1")).wait > 0  # flushed counts still count


async def test_old_buckets_are_deleted_and_idle_callers_forgotten(gateway_db: Database) -> None:
    async with support.rolled_back(gateway_db):
        clock = Clock(at(5))
        counters = DatabaseCounters(gateway_db, clock=clock)
        limiter = RateLimiter(1, counters)
        second = int(clock.now)
        async with gateway_db.session() as session:
            await session.execute(
                insert(rate_limits),
                [
                    {"caller": "person:old", "second": second - 61, "count": 9},
                    {"caller": "person:recent", "second": second - 1, "count": 9},
                ],
            )
            await session.commit()
        assert (await limiter.hit("person:lan")).wait == 0
        assert (await limiter.hit("person:lan")).wait > 0
        await counters.flush()
        assert (await limiter.hit("person:recent")).wait > 0  # another replica's count
        assert await stored(gateway_db) == {
            ("person:recent", second - 1): 9,
            ("person:lan", second): 1,
        }
        clock.now = at(70)
        assert (await limiter.hit("person:lan")).wait == 0
        await counters.flush()
        assert await stored(gateway_db) == {("person:lan", second + 65): 1}
        clock.now = at(200)
        await counters.flush()
        assert counters.windows.by_key == {}  # nothing counted in the window: nothing kept


async def test_redis_keys_expire_with_their_window_and_keep_no_old_bucket() -> None:
    require_redis()
    prefix = store_settings("redis")["redis_prefix"]
    clock = Clock(at(5))
    counters = RedisCounters(REDIS_URL, prefix=prefix, clock=clock)
    limiter = RateLimiter(100, counters)
    inspect = aioredis.Redis.from_url(REDIS_URL)
    try:
        await limiter.hit("person:lan")
        clock.now = at(64)
        await limiter.hit("person:lan")
        key = f"{prefix}person:lan"
        assert 0 < await inspect.ttl(key) <= 62
        assert await inspect.hgetall(key) == {b"1800000005": b"1", b"1800000064": b"1"}
        clock.now = at(66)  # second 5 has left the window
        assert (await limiter.hit("person:lan")).remaining == 98
        assert await inspect.hkeys(key) == [b"1800000064", b"1800000066"]
        assert await inspect.ttl(f"{prefix}person:nobody") == -2  # refused or unknown: no key
    finally:
        await counters.stop()
        await inspect.aclose()


async def test_the_background_task_sends_counts_every_interval_and_at_stop(
    gateway_db: Database,
) -> None:
    async with support.rolled_back(gateway_db):
        counters = DatabaseCounters(gateway_db, flush_seconds=0.02, clock=lambda: at(1))
        limiter = RateLimiter(100, counters)
        rounds = 0
        flush = counters.flush

        async def counted_flush() -> None:
            nonlocal rounds
            rounds += 1
            await flush()

        counters.flush = counted_flush  # type: ignore[method-assign]
        counters.start()
        try:
            for _ in range(4):
                await limiter.hit("client:mtqg-x")
            # Several rounds pass on their own (the table is read only after stop()).
            for _ in range(500):
                if rounds >= 3:
                    break
                await asyncio.sleep(0.02)
            assert rounds >= 3
            await limiter.hit("client:mtqg-x")
        finally:
            await counters.stop()
        assert await stored(gateway_db) == {("client:mtqg-x", int(at(1))): 5}


async def test_without_the_database_each_replica_limits_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/no-tables.db", "gateway")
    try:
        counters = DatabaseCounters(db, clock=lambda: at(30))
        limiter = RateLimiter(2, counters)
        assert (await limiter.hit("person:lan")).wait == 0
        with caplog.at_level(logging.WARNING, logger="mtqg.gateway.counters"):
            await counters.flush()
            await counters.flush()
        assert caplog.text.count("could not be shared") == 1  # said once, not every second
        assert (await limiter.hit("person:lan")).wait == 0
        assert (await limiter.hit("person:lan")).wait == 61  # the unsent count was kept
    finally:
        await db.dispose()


async def test_without_redis_requests_pass_and_each_replica_limits_alone(
    through: Any, housing: Stub, caplog: pytest.LogCaptureFixture
) -> None:
    """Redis down (nothing listens on its port): no 500, no refusal for it; the limit is
    counted in the replica's memory, said once in the log and counted in /metrics."""
    officer = auth(subject="redis-down-officer", roles=("officer",))
    closed = f"redis://127.0.0.1:{free_port()}/0"
    with caplog.at_level(logging.WARNING, logger="mtqg.gateway.counters"):
        async with through(rate_limit_per_minute=3, redis_url=closed) as client:
            gateway_of(client).counters.clock = lambda: at(30)
            answers = [await client.get("/api/v1/housing/cases", headers=officer) for _ in range(4)]
            metrics = await client.get("/metrics")
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[2].headers["ratelimit"] == '"default";r=0;t=61'
    assert caplog.text.count("Redis does not answer") == 1
    found = re.search(r"^mtqg_gateway_counters_unavailable_total (\S+)$", metrics.text, re.M)
    assert found is not None and float(found.group(1)) >= 4


async def test_two_gateways_on_one_redis_count_one_limit_once(
    gateway_db: Database, tmp_path: Path, housing: Stub
) -> None:
    """The request budget is shared: what a caller spends through one gateway is gone from
    the other at once."""
    settings = make_settings(
        tmp_path, rate_limit_per_minute=5, housing_url=housing.url, **store_settings("redis")
    )
    officer = auth(subject="two-gateways-officer", roles=("officer",))
    async with gateways(settings, gateway_db) as clients:
        statuses = []
        for i in range(7):
            answer = await clients[i % 2].get("/api/v1/housing/cases", headers=officer)
            statuses.append((i % 2, answer.status_code, answer.headers.get("ratelimit")))
    assert [s for _, s, _ in statuses] == [200] * 5 + [429] * 2
    assert [h.split(";")[1] for _, _, h in statuses[:5]] == [f"r={n}" for n in (4, 3, 2, 1, 0)]


_POLICY = re.compile(r'^"default";q=(\d+);w=60$')
_STATE = re.compile(r'^"default";r=(\d+);t=(\d+)$')


async def test_every_limited_answer_says_where_the_caller_stands(
    through: Any, store: dict[str, Any]
) -> None:
    officer = auth(subject="counted-officer", roles=("officer",))
    async with through(rate_limit_per_minute=3, **store) as client:
        clock = Clock(at(30.25))
        gateway_of(client).counters.clock = clock
        answers = [await client.get("/api/v1/housing/cases", headers=officer) for _ in range(2)]
        answers.append(await client.get("/api/v1/auth/users/x", headers=officer))
        clock.now = at(45.5)
        refused = await client.get("/api/v1/housing/cases", headers=officer)
        health = await client.get("/healthz")
    remaining = []
    for answer in answers:
        policy = _POLICY.match(answer.headers["ratelimit-policy"])
        state = _STATE.match(answer.headers["ratelimit"])
        assert policy is not None and state is not None, answer.headers
        assert policy.group(1) == "3"
        remaining.append(int(state.group(1)))
        assert int(state.group(2)) == 61  # second 30 leaves the window at second 91
    assert remaining == [2, 1, 0]
    assert_problem(refused, 429, "rate-limited")
    assert refused.headers["retry-after"] == "46"  # 91 - 45.5, rounded up
    assert refused.headers["ratelimit"] == '"default";r=0;t=46'
    assert refused.headers["ratelimit-policy"] == '"default";q=3;w=60'
    assert "ratelimit" not in health.headers  # probes are not limited
