"""Failed sign-ins, limited per username (or client id) and per client address.

Failures are rows in the database, so every replica counts the same ones; the window slides:
a failure stops counting `window` seconds after it happened. Bucket keys are hashed, because
people type passwords into the username field and those must not be stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

from sqlalchemy import delete, func, insert, select

from gateway.models import signin_failures
from mtqg_shared.db import Database
from mtqg_shared.errors import Problem
from mtqg_shared.messages import msg
from mtqg_shared.types import utcnow


def _bucket(kind: str, key: str) -> str:
    return hashlib.sha256(f"{kind}:{key}".encode()).hexdigest()


class SigninThrottle:
    def __init__(
        self, db: Database, *, per_name: int, per_address: int, window_seconds: int
    ) -> None:
        self.db = db
        self.limits = {"name": per_name, "addr": per_address}
        self.window = dt.timedelta(seconds=window_seconds)

    def _buckets(self, name: str, address: str) -> dict[str, str]:
        return {_bucket("name", name): "name", _bucket("addr", address): "addr"}

    async def check(self, name: str, address: str) -> int:
        """429 with Retry-After when either bucket has used up its failures; else the number
        of failures counted against `name`."""
        buckets = self._buckets(name, address)
        now = utcnow()
        t = signin_failures
        stmt = (
            select(t.c.bucket, func.count(), func.min(t.c.at))
            .where(t.c.bucket.in_(list(buckets)), t.c.at > now - self.window)
            .group_by(t.c.bucket)
        )
        async with self.db.session(write=False) as session:
            rows = (await session.execute(stmt)).all()
        retry_after = 0.0
        name_failures = 0
        for bucket, count, oldest in rows:
            if buckets[bucket] == "name":
                name_failures = count
            if count >= self.limits[buckets[bucket]]:
                # The oldest counted failure leaves the window first; then one try is free.
                wait = (oldest + self.window - now).total_seconds()
                retry_after = max(retry_after, wait)
        if retry_after > 0:
            seconds = max(1, math.ceil(retry_after))
            raise Problem(
                429,
                msg("signin_throttled"),
                headers={"Retry-After": str(seconds), "Cache-Control": "no-store"},
            )
        return int(name_failures)

    async def failed(self, name: str, address: str) -> None:
        buckets = list(self._buckets(name, address))
        now = utcnow()
        t = signin_failures
        async with self.db.session() as session:
            await session.execute(insert(t), [{"bucket": b, "at": now} for b in buckets])
            # Forget what fell out of the window, so the table stays small.
            await session.execute(
                delete(t).where(t.c.bucket.in_(buckets), t.c.at <= now - self.window)
            )
            await session.commit()

    async def succeeded(self, name: str) -> None:
        """A right password clears the username's failures (not the address's)."""
        t = signin_failures
        async with self.db.session() as session:
            await session.execute(delete(t).where(t.c.bucket == _bucket("name", name)))
            await session.commit()

    async def purge(self) -> None:
        """Housekeeping: drop failures that no longer count."""
        t = signin_failures
        async with self.db.session() as session:
            await session.execute(delete(t).where(t.c.at <= utcnow() - self.window))
            await session.commit()
