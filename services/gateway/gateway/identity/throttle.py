"""Failed sign-ins, limited per username (or client id) and per client address, counted once
across gateway replicas by the shared counters (gateway.counters; exact: every replica sees a
failure before its next decision). The window slides: a failure stops counting `window`
seconds after it happened. Keys are hashed, because people type passwords into the username
field and those must not be stored.
"""

from __future__ import annotations

import hashlib

from gateway.counters import Counters
from mtqg_shared.errors import Problem
from mtqg_shared.messages import msg


def _bucket(kind: str, key: str) -> str:
    return hashlib.sha256(f"{kind}:{key}".encode()).hexdigest()


class SigninThrottle:
    def __init__(
        self, counters: Counters, *, per_name: int, per_address: int, window_seconds: int
    ) -> None:
        self.counters = counters
        self.per_name = per_name
        self.per_address = per_address
        self.window = window_seconds

    def _limits(self, name: str, address: str) -> dict[str, int]:
        return {_bucket("name", name): self.per_name, _bucket("addr", address): self.per_address}

    async def check(self, name: str, address: str) -> None:
        """429 with Retry-After when one more failure would not fit either bucket."""
        decision = await self.counters.take(
            self._limits(name, address), window=self.window, count=False
        )
        if decision.wait:
            raise Problem(
                429,
                msg("signin_throttled"),
                headers={"Retry-After": str(decision.wait), "Cache-Control": "no-store"},
            )

    async def failed(self, name: str, address: str) -> None:
        await self.counters.take(self._limits(name, address), window=self.window)

    async def succeeded(self, name: str) -> None:
        """A right password clears the username's failures (not the address's)."""
        await self.counters.clear(_bucket("name", name))
