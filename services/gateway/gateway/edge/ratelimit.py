"""Requests per caller over any 60-second window, shared between gateway replicas through the
database.

How it works: requests are counted per caller in one-second buckets (epoch seconds, by the
wall clock, which replicas share). A request at second `b` is allowed while the caller's
counts of the 61 buckets `b - 60 .. b` add up to less than the limit. Why that bounds every
60-second window: the requests of a window `[s, s + 60)` all lie in buckets `floor(s) ..
floor(s) + 60`, and for the last request allowed in it, at time `t` in bucket `b`, those
buckets are among `b - 60 .. b` (since `t - 60 < s`), all of which were counted when it was
let through. So no window of 60 seconds holds more than the limit, wherever it starts (a
calendar-minute window let up to twice the limit through around a minute boundary). The
price is the other way: a request is still counted up to one second after it left the
60-second window.

Sharing: each replica keeps every known caller's 61 buckets in memory (a ring), counting its
own requests at once. About once a second a background task adds the counts not yet sent to
the table `rate_limits` (UPSERT count = count + n per caller and second) and reads back the
totals of the buckets that may have changed since its last read (the last few seconds; all 61
on the first read), which hold every replica's counts. What *other* replicas counted since they
last sent is not seen yet, so a caller spreading requests over N replicas can exceed the limit
by about (N - 1) x two seconds of its rate. Refused requests are not counted. If the database
does not answer, counts stay in memory (each replica then limits on its own) and are sent
later; buckets older than the window are deleted.

Every limited answer says where the caller stands (draft-ietf-httpapi-ratelimit-headers):
`RateLimit-Policy: "default";q=<limit>;w=60` and `RateLimit: "default";r=<remaining>;t=<s>`,
`t` being the seconds until the oldest request counted leaves the window (so some quota comes
back); a 429 also has `Retry-After`, the seconds until one more request fits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from gateway.models import rate_limits
from mtqg_shared.db import Database

log = logging.getLogger("mtqg.gateway.ratelimit")

WINDOW_SECONDS = 60
_BUCKETS = WINDOW_SECONDS + 1


class Decision(NamedTuple):
    """One request's verdict: `wait` 0 when allowed, else the seconds until one more fits;
    `remaining` requests left in the window; `reset` seconds until some quota comes back."""

    wait: int
    remaining: int
    reset: int


class _Window:
    """One caller's counts of the last 61 seconds, by bucket (`second % 61`)."""

    __slots__ = ("counts", "last", "total")

    def __init__(self, second: int) -> None:
        self.counts = [0] * _BUCKETS
        self.last = second
        self.total = 0

    def advance(self, second: int) -> None:
        """Move the window's end to `second`, forgetting the buckets that fall out of it."""
        gone = second - self.last
        if gone <= 0:
            return
        if gone >= _BUCKETS:
            self.counts = [0] * _BUCKETS
            self.total = 0
        else:
            counts = self.counts
            for s in range(self.last + 1, second + 1):
                i = s % _BUCKETS
                self.total -= counts[i]
                counts[i] = 0
        self.last = second

    def set(self, second: int, count: int) -> None:
        """The known total of one bucket inside the window."""
        i = second % _BUCKETS
        self.total += count - self.counts[i]
        self.counts[i] = count

    def freed_after(self, now: float, needed: int) -> int:
        """Seconds until `needed` of the counted requests have left the window (at least 1)."""
        freed = 0
        for s in range(self.last - WINDOW_SECONDS, self.last + 1):
            freed += self.counts[s % _BUCKETS]
            if freed >= needed:
                return max(1, math.ceil(s + _BUCKETS - now))
        return max(1, math.ceil(self.last + _BUCKETS - now))


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
        self._windows: dict[str, _Window] = {}
        self._pending: dict[tuple[str, int], int] = {}  # counts not yet sent
        # Buckets already read once are read again for this many seconds: what other
        # replicas counted in them arrives within about one of their flush intervals.
        self._reread = 2 * math.ceil(flush_seconds) + 2
        self._read_upto: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._failing = False
        self.policy = f'"default";q={limit};w={WINDOW_SECONDS}'

    def hit(self, caller: str, cost: int = 1) -> Decision:
        """Count one request, or the `cost` requests a batch stands for, unless they do not
        all fit in the window. A batch costing more than the whole limit fits only an empty
        window (and then fills it for as long as its count stays in it)."""
        now = self.clock()
        second = int(now)
        window = self._windows.get(caller)
        if window is None:
            window = self._windows[caller] = _Window(second)
        else:
            window.advance(second)
        if window.total + cost > self.limit and window.total:
            wait = window.freed_after(now, window.total + cost - self.limit)
            return Decision(wait, max(0, self.limit - window.total), wait)
        window.counts[second % _BUCKETS] += cost
        window.total += cost
        key = (caller, second)
        self._pending[key] = self._pending.get(key, 0) + cost
        return Decision(0, max(0, self.limit - window.total), window.freed_after(now, 1))

    def header(self, decision: Decision) -> str:
        """The `RateLimit` field of an answer."""
        return f'"default";r={decision.remaining};t={decision.reset}'

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
        if not self._pending and not self._windows:
            return  # an idle replica has nothing to send or to learn
        now = int(self.clock())
        oldest = now - WINDOW_SECONDS
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
            self._learn(rows)
        self._forget_idle()

    def _learn(self, rows: Any) -> None:
        """Take the table's totals as the buckets' counts, plus what was counted here while
        they were being read."""
        second = int(self.clock())
        pending = self._pending
        windows = self._windows
        for caller, bucket, count in rows:
            if not second - WINDOW_SECONDS <= bucket <= second:
                continue
            window = windows.get(caller)
            if window is None:
                window = windows[caller] = _Window(second)
            else:
                window.advance(second)
            window.set(bucket, int(count) + pending.get((caller, bucket), 0))

    def _forget_idle(self) -> None:
        """Callers with nothing left in their window take no memory."""
        second = int(self.clock())
        idle = []
        for caller, window in self._windows.items():
            window.advance(second)
            if not window.total:
                idle.append(caller)
        for caller in idle:
            del self._windows[caller]

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
