"""The counters in Redis (`MTQG_REDIS_URL`): every replica asks the same server, so a limit is
counted once however many gateways there are.

Each key is a Redis hash of one-second buckets (field: epoch second, value: count). One Lua
script (sent once, then called by its SHA) reads the buckets of every key asked about, drops
those that left the window, decides, and counts: one atomic step and one round trip per
question, so two replicas can never both take the last request of a window. A key expires
`window + 2` seconds after its last count, so nothing outlives the window. The time is the
gateway's clock, as with the database store (replicas are kept in time by NTP).

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

import logging
import time
from collections.abc import Callable, Mapping

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

# KEYS: the keys; ARGV: now (epoch seconds), window, cost, count (1/0), then each key's limit.
# Returns {wait, remaining, reset} as gateway.counters.Decision.
TAKE = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local count = ARGV[4] == '1'
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
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[4 + i])
  local flat = redis.call('HGETALL', key)
  local buckets, stale, total = {}, {}, 0
  for j = 1, #flat, 2 do
    local s, n = tonumber(flat[j]), tonumber(flat[j + 1])
    if s < first then
      stale[#stale + 1] = flat[j]
    else
      buckets[#buckets + 1] = {s, n}
      total = total + n
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
for i, key in ipairs(KEYS) do
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
"""


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
            try:
                wait, remaining, reset = await self._take(
                    keys=[self.prefix + key for key in limits],
                    args=[repr(now), window, cost, int(count), *limits.values()],
                )
            except (RedisError, OSError) as exc:
                self._unavailable(exc)
            else:
                if self._down_until is not None:
                    log.info("Redis answers again; counters are shared again")
                    self._down_until = None
                    self.local = Windows()
                return Decision(int(wait), int(remaining), int(reset))
        UNAVAILABLE.inc()
        return self.local.take(limits, window=window, cost=cost, count=count, now=now)

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
        await self.redis.aclose(close_connection_pool=True)

    async def purge(self) -> None:
        """Every key expires on its own; only the local fallback's idle windows go."""
        self.local.forget_idle(int(self.clock()))
