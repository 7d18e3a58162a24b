"""Sliding-window counters that every gateway replica shares: the store behind the per-caller
rate limit (gateway.edge.ratelimit) and the sign-in throttle (gateway.identity.throttle).

Both features ask the same question of a store: "counting `cost` more events now, does every
one of these keys stay within its limit over the last `window` seconds? If so, count them."
(`take`; with `count=False` the question is asked without counting.) They differ only in their
keys, limits, windows and in what they answer a caller.

How a window is counted: events are kept per key in one-second buckets (epoch seconds, by the
wall clock, which replicas share). At second `b`, a key's count is the sum of its buckets
`b - window .. b`. Why that bounds every window: the events of a window `[s, s + window)` all
lie in buckets `floor(s) .. floor(s) + window`, and for the last event allowed in it, at time
`t` in bucket `b`, those buckets are among `b - window .. b` (since `t - window < s`), all of
which were counted when it was let through. So no window of that length holds more than the
limit, wherever it starts. The price is the other way: an event still counts up to one second
after it left the window.

Two stores, chosen at start-up (`counters_for`):
- `DatabaseCounters` (the embedded default): the gateway's own database.
- `RedisCounters` when `MTQG_REDIS_URL` is set: a Lua script, so that the check and the
  count are one atomic step, at most one round trip per request; every key expires when its
  window has passed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import NamedTuple, Protocol

from gateway.config import Settings
from mtqg_shared.db import Database


class Decision(NamedTuple):
    """One question's answer: `wait` 0 when it fits, else the seconds until it would;
    `remaining` events left in the window; `reset` seconds until some quota comes back."""

    wait: int
    remaining: int
    reset: int


class Counters(Protocol):
    clock: Callable[[], float]  # the wall clock (epoch seconds) the windows are counted by

    async def take(
        self,
        limits: Mapping[str, int],
        *,
        window: int,
        cost: int = 1,
        count: bool = True,
        exact: bool = True,
    ) -> Decision:
        """Whether `cost` more events fit every key's limit (`limits`: key -> limit) over the
        last `window` seconds; when they fit and `count` is set, they are counted in every key.
        A cost above a limit fits only an empty window. `exact=False` lets a store decide from
        what it has already learnt of the other replicas' counts (they reach it within about a
        second) rather than asking at once: the rate limit's hot path."""
        ...

    async def clear(self, key: str) -> None:
        """Forget every event counted against `key`."""
        ...

    def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def purge(self) -> None:
        """Housekeeping: drop what no window counts any more."""
        ...


class Window:
    """One key's counts of the last `window + 1` seconds, by bucket (`second % size`)."""

    __slots__ = ("counts", "last", "size", "total")

    def __init__(self, second: int, window: int) -> None:
        self.size = window + 1
        self.counts = [0] * self.size
        self.last = second
        self.total = 0

    def advance(self, second: int) -> None:
        """Move the window's end to `second`, forgetting the buckets that fall out of it."""
        gone = second - self.last
        if gone <= 0:
            return
        if gone >= self.size:
            self.counts = [0] * self.size
            self.total = 0
        else:
            counts = self.counts
            for s in range(self.last + 1, second + 1):
                i = s % self.size
                self.total -= counts[i]
                counts[i] = 0
        self.last = second

    def set(self, second: int, count: int) -> None:
        """The known total of one bucket inside the window."""
        i = second % self.size
        self.total += count - self.counts[i]
        self.counts[i] = count

    def add(self, second: int, cost: int) -> None:
        self.counts[second % self.size] += cost
        self.total += cost

    def freed_after(self, now: float, needed: int) -> int:
        """Seconds until `needed` of the counted events have left the window (at least 1)."""
        freed = 0
        for s in range(self.last - self.size + 1, self.last + 1):
            freed += self.counts[s % self.size]
            if freed >= needed:
                return max(1, math.ceil(s + self.size - now))
        return max(1, math.ceil(self.last + self.size - now))


class Windows:
    """Windows kept in this process's memory, and the decision over them. The database store
    decides from them; the Redis store falls back on them while Redis does not answer."""

    def __init__(self) -> None:
        self.by_key: dict[str, Window] = {}

    def get(self, key: str, second: int, window: int) -> Window:
        found = self.by_key.get(key)
        if found is None or found.size != window + 1:
            found = self.by_key[key] = Window(second, window)
        else:
            found.advance(second)
        return found

    def take(
        self, limits: Mapping[str, int], *, window: int, cost: int, count: bool, now: float
    ) -> Decision:
        second = int(now)
        windows = [(self.get(key, second, window), limit) for key, limit in limits.items()]
        refused: Decision | None = None
        for w, limit in windows:
            if w.total + cost > limit and w.total:
                wait = w.freed_after(now, w.total + cost - limit)
                if refused is None or wait > refused.wait:
                    refused = Decision(wait, max(0, limit - w.total), wait)
        if refused is not None:
            return refused
        if count:
            for w, _limit in windows:
                w.add(second, cost)
        added = 0 if count else cost
        return least_remaining([(w.total + added, w.freed_after(now, 1), n) for w, n in windows])

    def forget_idle(self, second: int) -> None:
        """Keys with nothing left in their window take no memory."""
        idle = []
        for key, window in self.by_key.items():
            window.advance(second)
            if not window.total:
                idle.append(key)
        for key in idle:
            del self.by_key[key]


def least_remaining(totals: list[tuple[int, int, int]]) -> Decision:
    """The allowed answer of the key nearest its limit: (total with the cost, reset, limit)."""
    total, reset, limit = min(totals, key=lambda t: t[2] - t[0])
    return Decision(0, max(0, limit - total), reset)


def counters_for(settings: Settings, db: Database) -> Counters:
    """The store the settings choose: Redis when `MTQG_REDIS_URL` is set, else the database."""
    if settings.redis_url:
        from gateway.counters.redis_store import RedisCounters

        return RedisCounters(
            settings.redis_url,
            prefix=settings.redis_prefix,
            timeout_seconds=settings.redis_timeout_seconds,
        )
    from gateway.counters.database import DatabaseCounters

    return DatabaseCounters(
        db,
        flush_seconds=settings.rate_limit_flush_seconds,
        keep_seconds=settings.signin_failure_window_seconds,
    )
