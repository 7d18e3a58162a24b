"""The counters in Redis (`MTQG_REDIS_URL`): every replica asks the same server, so a limit is
counted once however many gateways there are.

Each key is a Redis hash of one-second buckets (field: epoch second, value: count). One Lua
script (sent once, then called by its SHA) reads the buckets of every key asked about, drops
those that left the window, decides, and counts: one atomic step, so two replicas can never
both take the last request of a window. A request costs at most one round trip: the questions
that arrive while a call is under way go together in the next one (under load, one round trip
answers tens of requests; measured in bench/ratelimit.py, about 1.7x the requests per second
of one call each). A key expires `window + 2` seconds after its last count, so nothing
outlives the window. The time is the gateway's clock, as with the database store (replicas
are kept in time by NTP). The keys of one call are not all in one hash slot: one Redis server
(with replicas, or Sentinel), not Redis Cluster.

When Redis does not answer (refused, timed out), nobody is locked out and nothing turns into a
500: each replica decides from windows in its own memory (`Windows`) until Redis answers
again, logging a warning once per outage and counting `mtqg_gateway_counters_unavailable_total`.
For the rate limit that means each replica limits on its own (N replicas let up to N times the
limit through); for the sign-in throttle, that a guesser gets at most N times the failures per
window, not unlimited ones, while officers can still sign in: failing closed would lock every
officer out of the province's system for as long as a cache is down, failing open would leave
passwords unguarded. After a failure, Redis is asked again one second later, not on every
request (a server that is down but not refusing would otherwise cost every request a timeout).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import redis.asyncio as aioredis
from prometheus_client import Counter
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from gateway.counters import Decision, Windows

log = logging.getLogger("mtqg.gateway.counters")

UNAVAILABLE = Counter(
    "mtqg_gateway_counters_unavailable_total",
    "Counter questions decided in one replica's memory because Redis did not answer.",
)

RETRY_AFTER_SECONDS = 1.0
MAX_CONNECTIONS = 64

# The questions asked while the previous call was under way, in one call. KEYS: every
# question's keys in turn; ARGV: for each question, now (epoch seconds), window, cost,
# count (1/0), its number of keys, then each key's limit. Returns {wait, remaining, reset} of
# each question in turn (gateway.counters.Decision). The questions are answered one after
# the other, so two of them on the same key see each other's counts.
TAKE = """
local function take(k, n, now, window, cost, count, l)
  local second = math.floor(now)
  local size = window + 1
  local first = second - window

  local function freed_after(buckets, needed)
    local freed = 0
    for _, b in ipairs(buckets) do
      freed = freed + b[2]
      if freed >= needed then return math.max(1, math.ceil(b[1] + size - now)) end
    end
    return math.max(1, math.ceil(second + size - now))
  end

  local seen = {}
  local refused = nil
  for i = 0, n - 1 do
    local key, limit = KEYS[k + i], tonumber(ARGV[l + i])
    local flat = redis.call('HGETALL', key)
    local buckets, stale, total = {}, {}, 0
    for j = 1, #flat, 2 do
      local s, c = tonumber(flat[j]), tonumber(flat[j + 1])
      if s < first then
        stale[#stale + 1] = flat[j]
      else
        buckets[#buckets + 1] = {s, c}
        total = total + c
      end
    end
    if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
    table.sort(buckets, function(a, b) return a[1] < b[1] end)
    seen[i] = {buckets, total, limit}
    if total > 0 and total + cost > limit then
      local wait = freed_after(buckets, total + cost - limit)
      if refused == nil or wait > refused[1] then
        refused = {wait, math.max(0, limit - total), wait}
      end
    end
  end
  if refused then return refused end

  local best = nil
  for i = 0, n - 1 do
    local key = KEYS[k + i]
    local buckets, total, limit = seen[i][1], seen[i][2], seen[i][3]
    if count then
      redis.call('HINCRBY', key, string.format('%d', second), cost)
      redis.call('EXPIRE', key, size + 1)
      local last = buckets[#buckets]
      if last and last[1] == second then
        last[2] = last[2] + cost
      else
        buckets[#buckets + 1] = {second, cost}
      end
    end
    local remaining = math.max(0, limit - total - cost)
    if best == nil or remaining < best[2] then
      best = {0, remaining, freed_after(buckets, 1)}
    end
  end
  return best
end

local out = {}
local k, a = 1, 1
while a <= #ARGV do
  local n = tonumber(ARGV[a + 4])
  local r = take(k, n, tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]),
                 ARGV[a + 3] == '1', a + 5)
  out[#out + 1] = r[1]
  out[#out + 1] = r[2]
  out[#out + 1] = r[3]
  k = k + n
  a = a + 5 + n
end
return out
"""

_Question = tuple[list[str], list[Any], "asyncio.Future[Decision]"]


class RedisCounters:
    def __init__(
        self,
        url: str,
        *,
        prefix: str,
        timeout_seconds: float = 0.5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.prefix = prefix
        self.clock = clock
        # At most MAX_CONNECTIONS per replica, however many requests are in flight (the rest
        # wait their turn, up to the timeout); no retries inside the client: a question that
        # fails is decided locally at once.
        pool = aioredis.BlockingConnectionPool.from_url(
            url,
            max_connections=MAX_CONNECTIONS,
            timeout=timeout_seconds,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
        )
        self.redis = aioredis.Redis(connection_pool=pool, retry=Retry(NoBackoff(), 0))
        self._take = self.redis.register_script(TAKE)
        self.local = Windows()  # while Redis does not answer
        self._down_until: float | None = None
        self._questions: list[_Question] = []
        self._sender: asyncio.Task[None] | None = None

    async def take(
        self,
        limits: Mapping[str, int],
        *,
        window: int,
        cost: int = 1,
        count: bool = True,
        exact: bool = True,
    ) -> Decision:
        # Every answer from Redis is exact: `exact` changes nothing here.
        now = self.clock()
        if self._down_until is None or time.monotonic() >= self._down_until:
            keys = [self.prefix + key for key in limits]
            args: list[Any] = [repr(now), window, cost, int(count), len(keys), *limits.values()]
            answer: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()
            self._questions.append((keys, args, answer))
            if self._sender is None:
                self._sender = asyncio.create_task(self._send(), name="redis-counters")
            try:
                decision = await answer
            except (RedisError, OSError) as exc:
                self._unavailable(exc)
            else:
                if self._down_until is not None:
                    log.info("Redis answers again; counters are shared again")
                    self._down_until = None
                    self.local = Windows()
                return decision
        UNAVAILABLE.inc()
        return self.local.take(limits, window=window, cost=cost, count=count, now=now)

    async def _send(self) -> None:
        """Ask Redis every question waiting, in one call; then those that came meanwhile.
        One call is under way at a time, so under load each round trip answers many
        requests, and a lone request still costs one."""
        try:
            while self._questions:
                batch, self._questions = self._questions, []
                try:
                    flat = await self._take(
                        keys=[key for keys, _, _ in batch for key in keys],
                        args=[arg for _, args, _ in batch for arg in args],
                    )
                except (RedisError, OSError) as exc:
                    for _, _, answer in batch:
                        if not answer.done():
                            answer.set_exception(exc)
                    continue
                for n, (_, _, answer) in enumerate(batch):
                    if not answer.done():  # its request may have been cancelled
                        answer.set_result(Decision(*(int(v) for v in flat[3 * n : 3 * n + 3])))
        finally:
            self._sender = None

    def _unavailable(self, exc: Exception) -> None:
        if self._down_until is None:
            log.warning(
                "Redis does not answer (%s: %s); counting in this replica only",
                type(exc).__name__,
                exc,
            )
        self._down_until = time.monotonic() + RETRY_AFTER_SECONDS

    async def clear(self, key: str) -> None:
        self.local.by_key.pop(key, None)
        if self._down_until is None or time.monotonic() >= self._down_until:
            try:
                await self.redis.delete(self.prefix + key)
            except (RedisError, OSError) as exc:
                self._unavailable(exc)

    def start(self) -> None:
        pass  # connections are opened on first use

    async def stop(self) -> None:
        if self._sender is not None:
            await self._sender
        await self.redis.aclose(close_connection_pool=True)

    async def purge(self) -> None:
        """Every key expires on its own; only the local fallback's idle windows go."""
        self.local.forget_idle(int(self.clock()))
