"""Requests per caller per minute, shared between gateway replicas through the database.

How it works: each replica counts requests in memory, per caller, in fixed one-minute windows
(epoch minute, by the wall clock, which replicas share). About once a second a background task
adds the counts not yet sent to the table `rate_limits` (UPSERT count = count + n) and reads
back every caller's total for the current minute. A request is allowed while

    last shared total + counts being sent + counts not yet sent  <  limit.

The approximation, on purpose: what *other* replicas counted since this one last read the
table (at most ~one flush interval of their traffic) is not seen yet, so a caller spreading
requests over N replicas can exceed the limit by about (N - 1) x one second of its rate; and as
with any fixed window, up to twice the limit can pass around a minute boundary. That is enough
to stop floods and keeps the hot path to a few dict operations. Refused requests are not
counted. If the database does not answer, counts stay in memory (each replica then limits on
its own) and are sent later. Windows older than the previous minute are deleted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from gateway.models import rate_limits
from mtqg_shared.db import Database

log = logging.getLogger("mtqg.gateway.ratelimit")


class RateLimiter:
    def __init__(
        self,
        limit: int,
        db: Database,
        *,
        flush_seconds: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limit = limit
        self.db = db
        self.flush_seconds = flush_seconds
        self.clock = clock
        self._minute = -1
        self._shared: dict[str, int] = {}  # totals of every replica, as last read
        self._sending: dict[str, int] = {}  # counts of a flush under way
        self._pending: dict[str, int] = {}  # counts not yet sent
        self._cleaned_minute = -1
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._failing = False

    def hit(self, caller: str) -> int:
        """Count one request; 0 when allowed, else the seconds until the window ends."""
        now = self.clock()
        minute = int(now // 60)
        if minute != self._minute:
            # A new window: nothing counted before it matters for decisions any more.
            self._minute = minute
            self._shared = {}
            self._sending = {}
            self._pending = {}
        pending = self._pending
        used = self._shared.get(caller, 0) + self._sending.get(caller, 0) + pending.get(caller, 0)
        if used >= self.limit:
            return max(1, math.ceil(60 - now % 60))
        pending[caller] = pending.get(caller, 0) + 1
        return 0

    def _upsert(self) -> Any:
        t = rate_limits
        stmt = (postgresql.insert if self.db.is_postgres else sqlite.insert)(t)
        return stmt.on_conflict_do_update(
            index_elements=[t.c.caller, t.c.minute],
            set_={"count": t.c["count"] + stmt.excluded["count"]},
        )

    async def flush(self) -> None:
        """Send the counts not yet sent; read back every caller's total for this minute."""
        minute = self._minute
        if minute < 0:
            return
        if not self._pending and int(self.clock() // 60) != minute:
            return  # an idle replica whose window has passed has nothing to learn
        batch, self._pending = self._pending, {}
        self._sending = batch
        t = rate_limits
        try:
            async with self.db.session() as session:
                if batch:
                    await session.execute(
                        self._upsert(),
                        [{"caller": c, "minute": minute, "count": n} for c, n in batch.items()],
                    )
                rows = (
                    await session.execute(
                        select(t.c.caller, t.c["count"]).where(t.c.minute == minute)
                    )
                ).all()
                if self._cleaned_minute != minute:
                    await session.execute(delete(t).where(t.c.minute < minute - 1))
                await session.commit()
        except Exception:  # a database hiccup must never break the requests being limited
            if not self._failing:
                log.warning(
                    "rate-limit counts could not be shared; limiting locally", exc_info=True
                )
                self._failing = True
            if self._minute == minute:
                for caller, n in batch.items():
                    self._pending[caller] = self._pending.get(caller, 0) + n
                self._sending = {}
            return
        self._failing = False
        self._cleaned_minute = minute
        if self._minute == minute:
            self._shared = {caller: int(count) for caller, count in rows}
            self._sending = {}

    async def _run(self, stopping: asyncio.Event) -> None:
        # Stopped by an event, never cancelled in the middle of a flush.
        while not stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), self.flush_seconds)
            await self.flush()

    def start(self) -> None:
        if self._task is None:
            self._stopping = asyncio.Event()
            self._task = asyncio.create_task(self._run(self._stopping), name="rate-limit-flush")

    async def stop(self) -> None:
        if self._task is not None:
            self._stopping.set()
            await self._task
            self._task = None
            await self.flush()  # what was counted during the last round
