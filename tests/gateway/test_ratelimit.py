"""Rate-limit counts shared between gateway replicas through the database."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from gateway.edge.ratelimit import RateLimiter
from gateway.models import rate_limits
from mtqg_shared.db import Database
from tests import support

MINUTE_START = 1_800_000_000.0  # a whole minute (divisible by 60)


def at(seconds: float) -> float:
    return MINUTE_START + seconds


async def stored(db: Database) -> dict[tuple[str, int], int]:
    async with db.session() as session:
        rows = (await session.execute(select(rate_limits))).all()
    return {(caller, minute): count for caller, minute, count in rows}


async def test_replicas_see_each_others_counts(gateway_db: Database) -> None:
    async with support.rolled_back(gateway_db):
        a = RateLimiter(5, gateway_db, clock=lambda: at(10))
        b = RateLimiter(5, gateway_db, clock=lambda: at(10))
        assert [a.hit("person:lan") for _ in range(3)] == [0, 0, 0]
        await a.flush()
        assert b.hit("person:other") == 0
        await b.flush()  # b reads the shared totals: lan has used 3 of 5
        assert [b.hit("person:lan") for _ in range(3)] == [0, 0, 50]
        await b.flush()
        await a.flush()
        assert a.hit("person:lan") == 50  # a now knows of b's two as well
        assert a.hit("person:other") == 0
        minute = int(at(10) // 60)
        assert await stored(gateway_db) == {
            ("person:lan", minute): 5,
            ("person:other", minute): 1,
        }


async def test_unsent_counts_are_part_of_the_decision(gateway_db: Database) -> None:
    async with support.rolled_back(gateway_db):
        limiter = RateLimiter(2, gateway_db, clock=lambda: at(59.2))
        assert limiter.hit("addr:10.0.0.1") == 0
        assert limiter.hit("addr:10.0.0.1") == 0
        assert limiter.hit("addr:10.0.0.1") == 1  # Retry-After: the window ends in 0.8 s
        await limiter.flush()
        assert limiter.hit("addr:10.0.0.1") == 1  # flushed counts still count


async def test_a_new_minute_starts_afresh_and_old_windows_are_deleted(
    gateway_db: Database,
) -> None:
    async with support.rolled_back(gateway_db):
        now = at(5)
        limiter = RateLimiter(1, gateway_db, clock=lambda: now)
        minute = int(now // 60)
        async with gateway_db.session() as session:
            await session.execute(
                insert(rate_limits),
                [
                    {"caller": "person:old", "minute": minute - 5, "count": 9},
                    {"caller": "person:recent", "minute": minute - 1, "count": 9},
                ],
            )
            await session.commit()
        assert limiter.hit("person:lan") == 0
        assert limiter.hit("person:lan") > 0
        await limiter.flush()
        now = at(65)
        assert limiter.hit("person:lan") == 0
        await limiter.flush()
        assert await stored(gateway_db) == {
            ("person:lan", minute): 1,
            ("person:lan", minute + 1): 1,
        }


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
        assert await stored(gateway_db) == {("client:mtqg-x", int(at(1) // 60)): 5}


async def test_without_the_database_each_replica_limits_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/no-tables.db", "gateway")
    try:
        limiter = RateLimiter(2, db, clock=lambda: at(30))
        assert limiter.hit("person:lan") == 0
        with caplog.at_level(logging.WARNING, logger="mtqg.gateway.ratelimit"):
            await limiter.flush()
            await limiter.flush()
        assert caplog.text.count("could not be shared") == 1  # said once, not every second
        assert limiter.hit("person:lan") == 0
        assert limiter.hit("person:lan") == 30  # the unsent count was kept
    finally:
        await db.dispose()
