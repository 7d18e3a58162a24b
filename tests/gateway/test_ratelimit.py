"""Rate-limit counts over any 60-second window, shared between gateway replicas through the
database, and the state every limited answer reports."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from gateway.edge.ratelimit import RateLimiter
from gateway.models import rate_limits
from mtqg_shared.db import Database
from tests import support
from tests.gateway.helpers import assert_problem, auth, gateway_of

MINUTE_START = 1_800_000_000.0  # a whole minute (divisible by 60)


def at(seconds: float) -> float:
    return MINUTE_START + seconds


class Clock:
    """A clock the test moves."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def stored(db: Database) -> dict[tuple[str, int], int]:
    async with db.session() as session:
        rows = (await session.execute(select(rate_limits))).all()
    return {(caller, second): count for caller, second, count in rows}


def waits(limiter: RateLimiter, caller: str, n: int) -> list[int]:
    return [limiter.hit(caller).wait for _ in range(n)]


async def test_replicas_see_each_others_counts(gateway_db: Database) -> None:
    async with support.rolled_back(gateway_db):
        a = RateLimiter(5, gateway_db, clock=lambda: at(10))
        b = RateLimiter(5, gateway_db, clock=lambda: at(10))
        assert waits(a, "person:lan", 3) == [0, 0, 0]
        await a.flush()
        assert b.hit("person:other").wait == 0
        await b.flush()  # b reads the shared totals: lan has used 3 of 5
        assert waits(b, "person:lan", 3) == [0, 0, 61]  # back when second 10 leaves the window
        await b.flush()
        await a.flush()
        assert a.hit("person:lan").wait == 61  # a now knows of b's two as well
        assert a.hit("person:other").wait == 0
        second = int(at(10))
        assert await stored(gateway_db) == {
            ("person:lan", second): 5,
            ("person:other", second): 1,  # a's own is not sent yet
        }


async def test_the_limit_holds_across_a_minute_boundary(gateway_db: Database) -> None:
    """The limit's worth of requests spread over the end of one minute and the start of the
    next: a calendar-minute counter let all of them through, twice over."""
    async with support.rolled_back(gateway_db):
        clock = Clock(at(30))
        limiter = RateLimiter(600, gateway_db, clock=clock)
        allowed = refused = 0
        # 1,200 requests from second 30 to second 90 of the first minute, 20 a second...
        for i in range(1200):
            clock.now = at(30 + i / 20)
            if limiter.hit("person:busy").wait:
                refused += 1
            else:
                allowed += 1
            if i % 20 == 19:
                await limiter.flush()
        assert allowed == 600
        assert refused == 600
        # ... and no 60-second window of what was let through holds more than the limit.
        times = [t for (c, t), n in (await stored(gateway_db)).items() for _ in range(n)]
        times.sort()
        assert len(times) == 600
        assert (
            max(
                sum(1 for t in times if start <= t < start + 60)
                for start in range(times[0], times[-1])
            )
            <= 600
        )


async def test_the_window_slides_second_by_second(gateway_db: Database) -> None:
    async with support.rolled_back(gateway_db):
        clock = Clock(at(0.5))
        limiter = RateLimiter(3, gateway_db, clock=clock)
        assert limiter.hit("person:lan").wait == 0  # second 0
        clock.now = at(20.5)
        assert waits(limiter, "person:lan", 2) == [0, 0]  # second 20
        refused = limiter.hit("person:lan")
        assert refused.remaining == 0
        assert refused.wait == 41  # second 0 leaves the window at second 61
        clock.now = at(60.9)
        assert limiter.hit("person:lan").wait == 1  # second 0 still counts until second 61
        clock.now = at(61.0)
        assert limiter.hit("person:lan").wait == 0  # second 0 has left; 20's two still count
        assert limiter.hit("person:lan").wait == 20


async def test_unsent_counts_are_part_of_the_decision(gateway_db: Database) -> None:
    async with support.rolled_back(gateway_db):
        limiter = RateLimiter(2, gateway_db, clock=lambda: at(59.2))
        assert waits(limiter, "addr:10.0.0.1", 3) == [0, 0, 61]  # 59 leaves at 120: 60.8 s
        await limiter.flush()
        assert limiter.hit("addr:10.0.0.1").wait > 0  # flushed counts still count


async def test_old_buckets_are_deleted_and_idle_callers_forgotten(gateway_db: Database) -> None:
    async with support.rolled_back(gateway_db):
        clock = Clock(at(5))
        limiter = RateLimiter(1, gateway_db, clock=clock)
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
        assert limiter.hit("person:lan").wait == 0
        assert limiter.hit("person:lan").wait > 0
        await limiter.flush()
        assert limiter.hit("person:recent").wait > 0  # another replica's count, learnt
        assert await stored(gateway_db) == {
            ("person:recent", second - 1): 9,
            ("person:lan", second): 1,
        }
        clock.now = at(70)
        assert limiter.hit("person:lan").wait == 0
        await limiter.flush()
        assert await stored(gateway_db) == {("person:lan", second + 65): 1}
        clock.now = at(200)
        await limiter.flush()
        assert limiter._windows == {}  # nothing counted in the window: nothing kept


async def test_the_background_task_sends_counts_every_interval_and_at_stop(
    gateway_db: Database,
) -> None:
    async with support.rolled_back(gateway_db):
        limiter = RateLimiter(100, gateway_db, flush_seconds=0.02, clock=lambda: at(1))
        rounds = 0
        flush = limiter.flush

        async def counted_flush() -> None:
            nonlocal rounds
            rounds += 1
            await flush()

        limiter.flush = counted_flush  # type: ignore[method-assign]
        limiter.start()
        try:
            for _ in range(4):
                limiter.hit("client:mtqg-x")
            # Several rounds pass on their own (the table is read only after stop()).
            for _ in range(500):
                if rounds >= 3:
                    break
                await asyncio.sleep(0.02)
            assert rounds >= 3
            limiter.hit("client:mtqg-x")
        finally:
            await limiter.stop()
        assert await stored(gateway_db) == {("client:mtqg-x", int(at(1))): 5}


async def test_without_the_database_each_replica_limits_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/no-tables.db", "gateway")
    try:
        limiter = RateLimiter(2, db, clock=lambda: at(30))
        assert limiter.hit("person:lan").wait == 0
        with caplog.at_level(logging.WARNING, logger="mtqg.gateway.ratelimit"):
            await limiter.flush()
            await limiter.flush()
        assert caplog.text.count("could not be shared") == 1  # said once, not every second
        assert limiter.hit("person:lan").wait == 0
        assert limiter.hit("person:lan").wait == 61  # the unsent count was kept
    finally:
        await db.dispose()


_POLICY = re.compile(r'^"default";q=(\d+);w=60$')
_STATE = re.compile(r'^"default";r=(\d+);t=(\d+)$')


async def test_every_limited_answer_says_where_the_caller_stands(through: Any) -> None:
    officer = auth(subject="counted-officer", roles=("officer",))
    async with through(rate_limit_per_minute=3) as client:
        limiter = gateway_of(client).limiter
        assert limiter is not None
        clock = Clock(at(30.25))
        limiter.clock = clock
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
