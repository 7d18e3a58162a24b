"""Failed sign-ins counted once across gateway replicas, on each counter store, and what a
sign-in meets while Redis does not answer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from gateway.counters import counters_for
from gateway.identity.throttle import SigninThrottle
from gateway.models import signin_failures
from mtqg_shared.db import Database
from mtqg_shared.errors import Problem
from tests import support
from tests.gateway.helpers import assert_problem, create_user, make_settings, password_grant
from tests.gateway.stores import gateways
from tests.gateway.upstreams import free_port

START = 1_800_000_000.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_failures_through_two_gateways_are_counted_once(
    gateway_db: Database, tmp_path: Path, store: dict[str, Any]
) -> None:
    """A guesser spreading tries over two gateways meets the limit of one."""
    settings = make_settings(tmp_path, signin_failures_per_username=3, **store)
    async with gateways(settings, gateway_db) as (a, b):
        await create_user(a, "hoa")
        assert (await password_grant(a, "hoa", "guess one guess")).status_code == 400
        assert (await password_grant(b, "hoa", "guess two guess")).status_code == 400
        assert (await password_grant(a, "hoa", "guess three guess")).status_code == 400
        for gateway in (b, a):
            assert_problem(await password_grant(gateway, "hoa"), 429, "rate-limited")


async def test_a_right_password_through_one_gateway_clears_the_other(
    gateway_db: Database, tmp_path: Path, store: dict[str, Any]
) -> None:
    settings = make_settings(tmp_path, signin_failures_per_username=2, **store)
    async with gateways(settings, gateway_db) as (a, b):
        await create_user(a, "lien")
        assert (await password_grant(a, "lien", "typo typo typo")).status_code == 400
        assert (await password_grant(b, "lien")).status_code == 200
        assert (await password_grant(b, "lien", "typo typo typo")).status_code == 400
        assert (await password_grant(a, "lien")).status_code == 200  # one failure, not two


async def test_retry_after_counts_down_from_the_oldest_failure(
    gateway_db: Database, tmp_path: Path, store: dict[str, Any]
) -> None:
    settings = make_settings(tmp_path, **store)
    counters = counters_for(settings, gateway_db)
    clock = counters.clock = Clock(START)
    throttle = SigninThrottle(counters, per_name=2, per_address=100, window_seconds=900)
    async with support.rolled_back(gateway_db):
        try:
            await throttle.failed("son", "10.0.0.7")
            clock.now = START + 100
            await throttle.failed("son", "10.0.0.7")
            clock.now = START + 200
            with pytest.raises(Problem) as refused:
                await throttle.check("son", "10.0.0.7")
            assert refused.value.status == 429
            # 900 s after the first failure (the Redis buckets are whole seconds: up to 1 more)
            assert refused.value.headers["Retry-After"] in {"700", "701"}
            await throttle.check("other", "10.0.0.7")  # the address has room left
            clock.now = START + 902
            await throttle.check("son", "10.0.0.7")  # the first failure has left the window
        finally:
            await counters.stop()


async def test_without_redis_sign_in_works_and_failures_are_still_limited(
    gateway_db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Nobody is locked out while Redis is down, and guessing is still limited (per
    replica), never a 500."""
    closed = f"redis://127.0.0.1:{free_port()}/0"
    settings = make_settings(tmp_path, signin_failures_per_username=2, redis_url=closed)
    with caplog.at_level(logging.WARNING, logger="mtqg.gateway.counters"):
        async with gateways(settings, gateway_db, n=1) as (client,):
            await create_user(client, "khanh")
            assert (await password_grant(client, "khanh")).status_code == 200
            for _ in range(2):
                assert (
                    await password_grant(client, "khanh", "guess guess guess")
                ).status_code == 400
            assert_problem(await password_grant(client, "khanh"), 429, "rate-limited")
    assert "Redis does not answer" in caplog.text


async def test_housekeeping_drops_database_failures_out_of_the_window(
    gateway_db: Database, tmp_path: Path
) -> None:
    """The table of failures does not grow: what no window counts any more is deleted (Redis
    keys expire on their own)."""
    counters = counters_for(make_settings(tmp_path, signin_failure_window_seconds=900), gateway_db)
    clock = counters.clock = Clock(START)
    throttle = SigninThrottle(counters, per_name=5, per_address=100, window_seconds=900)
    async with support.rolled_back(gateway_db):
        await throttle.failed("an", "10.0.0.8")
        clock.now = START + 600
        await throttle.failed("binh", "10.0.0.9")
        clock.now = START + 950
        await counters.purge()
        async with gateway_db.session() as session:
            left = (await session.execute(select(signin_failures.c.at))).scalars().all()
    assert [at.timestamp() for at in left] == [START + 600] * 2  # binh's name and address
