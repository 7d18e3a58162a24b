"""The counters in the gateway's own database (the embedded default).

Two ways to share, because the two questions come at very different rates:
- `exact=False` (the rate limit, asked on every request): each replica decides from windows in
  its memory (`Windows`), counting its own events at once. About once a second a background
  task adds the counts not yet sent to the table `rate_limits` (UPSERT count = count + n per
  key and second) and reads back the totals of the buckets that may have changed since its last
  read (the last few seconds; the whole window on the first read), which hold every replica's
  counts. What *other* replicas counted since they last sent is not seen yet, so a caller
  spreading requests over N replicas can exceed the limit by about (N - 1) x two seconds of its
  rate. Refused events are not counted. If the database does not answer, counts stay in memory
  (each replica then limits on its own) and are sent later; buckets older than the window are
  deleted. One window length is shared this way (the rate limit's 60 seconds).
- `exact=True` (the sign-in throttle, asked once per sign-in): every event is a row of
  `signin_failures`, read and written at once, so every replica sees every failure before its
  next decision. A row counts for exactly `window` seconds from when it was written.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from gateway.counters import Decision, Windows, least_remaining
from gateway.models import rate_limits, signin_failures
from mtqg_shared.db import Database

log = logging.getLogger("mtqg.gateway.counters")


def _until(at: dt.datetime, window: int, now: dt.datetime) -> int:
    """Whole seconds (at least 1) until an event counted at `at` leaves the window."""
    return max(1, math.ceil((at + dt.timedelta(seconds=window) - now).total_seconds()))


class DatabaseCounters:
    def __init__(
        self,
        db: Database,
        *,
        flush_seconds: float = 1.0,
        keep_seconds: int = 0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db = db
        self.flush_seconds = flush_seconds
        self.clock = clock
        self.windows = Windows()
        self._window: int | None = None  # the one length shared through `rate_limits`
        self._pending: dict[tuple[str, int], int] = {}  # counts not yet sent
        # Buckets already read once are read again for this many seconds: what other
        # replicas counted in them arrives within about one of their flush intervals.
        self._reread = 2 * math.ceil(flush_seconds) + 2
        self._read_upto: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._failing = False
        # Longest window of the exact counts: rows older than it are purged.
        self._exact_window = keep_seconds

    async def take(
        self,
        limits: Mapping[str, int],
        *,
        window: int,
        cost: int = 1,
        count: bool = True,
        exact: bool = True,
    ) -> Decision:
        if exact:
            return await self._take_exact(limits, window=window, cost=cost, count=count)
        if self._window is None:
            self._window = window
        elif window != self._window:
            raise ValueError(f"one window length is shared in memory ({self._window} s)")
        now = self.clock()
        decision = self.windows.take(limits, window=window, cost=cost, count=count, now=now)
        if count and not decision.wait:
            second = int(now)
            for key in limits:
                self._pending[(key, second)] = self._pending.get((key, second), 0) + cost
        return decision

    async def _take_exact(
        self, limits: Mapping[str, int], *, window: int, cost: int, count: bool
    ) -> Decision:
        self._exact_window = max(self._exact_window, window)
        now = dt.datetime.fromtimestamp(self.clock(), dt.UTC)
        since = now - dt.timedelta(seconds=window)
        t = signin_failures
        counted = (t.c.bucket.in_(list(limits)), t.c.at > since)
        async with self.db.session(write=count) as session:
            rows = (
                await session.execute(
                    select(t.c.bucket, func.count(), func.min(t.c.at))
                    .where(*counted)
                    .group_by(t.c.bucket)
                )
            ).all()
            found = {key: (int(n), oldest) for key, n, oldest in rows}
            waits: list[Decision] = []
            for key, limit in limits.items():
                total, oldest = found.get(key, (0, None))
                if total and total + cost > limit:
                    needed = total + cost - limit
                    if needed > 1:  # the needed-th oldest event is the one to wait for
                        oldest = await session.scalar(
                            select(t.c.at)
                            .where(t.c.bucket == key, t.c.at > since)
                            .order_by(t.c.at)
                            .offset(needed - 1)
                            .limit(1)
                        )
                    wait = _until(oldest, window, now)
                    waits.append(Decision(wait, max(0, limit - total), wait))
            if waits:
                return max(waits, key=lambda d: d.wait)
            if count:
                await session.execute(
                    insert(t), [{"bucket": key, "at": now} for key in limits for _ in range(cost)]
                )
                # Forget what fell out of the window, so the table stays small.
                await session.execute(delete(t).where(counted[0], t.c.at <= since))
                await session.commit()
        totals = []
        for key, limit in limits.items():
            total, oldest = found.get(key, (0, None))
            totals.append((total + cost, _until(oldest if total else now, window, now), limit))
        return least_remaining(totals)

    async def clear(self, key: str) -> None:
        t = signin_failures
        async with self.db.session() as session:
            await session.execute(delete(t).where(t.c.bucket == key))
            await session.commit()
        self.windows.by_key.pop(key, None)

    async def purge(self) -> None:
        if self._exact_window:
            t = signin_failures
            since = dt.datetime.fromtimestamp(self.clock(), dt.UTC)
            since -= dt.timedelta(seconds=self._exact_window)
            async with self.db.session() as session:
                await session.execute(delete(t).where(t.c.at <= since))
                await session.commit()

    def _upsert(self) -> Any:
        t = rate_limits
        stmt = (postgresql.insert if self.db.is_postgres else sqlite.insert)(t)
        return stmt.on_conflict_do_update(
            index_elements=[t.c.caller, t.c.second],
            set_={"count": t.c["count"] + stmt.excluded["count"]},
        )

    async def flush(self) -> None:
        """Send the counts not yet sent; read back every replica's counts of the buckets that
        may have changed since the last read."""
        window = self._window
        if window is None or (not self._pending and not self.windows.by_key):
            return  # an idle replica has nothing to send or to learn
        now = int(self.clock())
        oldest = now - window
        since = oldest if self._read_upto is None else max(oldest, self._read_upto - self._reread)
        batch, self._pending = self._pending, {}
        t = rate_limits
        try:
            async with self.db.session() as session:
                if batch:
                    await session.execute(
                        self._upsert(),
                        [{"caller": c, "second": s, "count": n} for (c, s), n in batch.items()],
                    )
                rows = (
                    await session.execute(
                        select(t.c.caller, t.c.second, t.c["count"]).where(t.c.second >= since)
                    )
                ).all()
                await session.execute(delete(t).where(t.c.second < oldest))
                await session.commit()
        except Exception:  # a database hiccup must never break the requests being limited
            if not self._failing:
                log.warning(
                    "rate-limit counts could not be shared; limiting locally", exc_info=True
                )
                self._failing = True
            for key, n in batch.items():
                self._pending[key] = self._pending.get(key, 0) + n
        else:
            self._failing = False
            self._read_upto = now
            self._learn(rows, window)
        self.windows.forget_idle(int(self.clock()))

    def _learn(self, rows: Any, window: int) -> None:
        """Take the table's totals as the buckets' counts, plus what was counted here while
        they were being read."""
        second = int(self.clock())
        pending = self._pending
        for key, bucket, count in rows:
            if not second - window <= bucket <= second:
                continue
            found = self.windows.get(key, second, window)
            found.set(bucket, int(count) + pending.get((key, bucket), 0))

    async def _run(self, stopping: asyncio.Event) -> None:
        # Stopped by an event, never cancelled in the middle of a flush.
        while not stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), self.flush_seconds)
            await self.flush()

    def start(self) -> None:
        if self._task is None:
            self._stopping = asyncio.Event()
            self._task = asyncio.create_task(self._run(self._stopping), name="counters-flush")

    async def stop(self) -> None:
        if self._task is not None:
            self._stopping.set()
            await self._task
            self._task = None
            await self.flush()  # what was counted during the last round
