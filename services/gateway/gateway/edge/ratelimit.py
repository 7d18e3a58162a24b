"""Requests per caller over any 60-second window, counted once across gateway replicas by the
shared counters (gateway.counters: the database, or Redis when `MTQG_REDIS_URL` is set).

A refused request is not counted. A batch counts as the requests it holds (gateway.edge.
dispatch). With the database store each replica decides from what it has learnt of the others'
counts (within about a second; `exact=False`); with Redis every request is decided there.

Every limited answer says where the caller stands (draft-ietf-httpapi-ratelimit-headers):
`RateLimit-Policy: "default";q=<limit>;w=60` and `RateLimit: "default";r=<remaining>;t=<s>`,
`t` being the seconds until the oldest request counted leaves the window (so some quota comes
back); a 429 also has `Retry-After`, the seconds until one more request fits.
"""

from __future__ import annotations

from gateway.counters import Counters, Decision

WINDOW_SECONDS = 60


class RateLimiter:
    def __init__(self, limit: int, counters: Counters) -> None:
        self.limit = limit
        self.counters = counters
        self.policy = f'"default";q={limit};w={WINDOW_SECONDS}'

    async def hit(self, caller: str, cost: int = 1) -> Decision:
        """Count one request, or the `cost` requests a batch stands for, unless they do not
        all fit in the window. A batch costing more than the whole limit fits only an empty
        window (and then fills it for as long as its count stays in it)."""
        return await self.counters.take(
            {caller: self.limit}, window=WINDOW_SECONDS, cost=cost, exact=False
        )

    def header(self, decision: Decision) -> str:
        """The `RateLimit` field of an answer."""
        return f'"default";r={decision.remaining};t={decision.reset}'
