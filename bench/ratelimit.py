"""What the shared rate-limit counters cost: requests per second through the gateway's
rate-limited path with the database store (the embedded default: decided in memory, sent to
the table once a second) and with the Redis store (a Lua script call per round trip, the
requests that arrive while one is under way together in the next), beside the
same gateway with the limit off, side by side in one run.

    .venv/bin/python -m bench.ratelimit [--seconds 3] [--rounds 3] [--concurrency 32]
    make bench-ratelimit

The gateway app (on a throwaway SQLite database, started as a server starts it, so the
database store's background flush runs) is called in process with no server and no load
generator: `--concurrency` requests in flight at once from 200 callers (client addresses),
the limit high enough never to refuse. Each request is `GET /api/v1/auth/vocabulary`, a
gateway endpoint of its own, so nothing is forwarded. Rounds alternate between the three
gateways; the best round of each counts. Needs Redis (`--redis`, default the local one); its
keys go under a prefix of this run's own, and expire within a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path

from gateway.app import Gateway, create_app
from mtqg_shared.inprocess import call, request_scope
from mtqg_shared.migrations import upgrade
from tests.gateway.helpers import SIGNING_KEY, make_settings

PATH = "/api/v1/auth/vocabulary"
CALLERS = 200


# One request per caller: a client address each, no token (so no signature to check).
SCOPES = [
    request_scope(
        {"client": (f"10.0.{n // 250}.{n % 250}", 1), "server": ("127.0.0.1", 80)},
        method="GET",
        path=PATH,
        headers=[(b"host", b"bench")],
    )
    for n in range(CALLERS)
]


async def status_of(app: Gateway, caller: int) -> int:
    return (await call(app, dict(SCOPES[caller]))).status


async def load(app: Gateway, seconds: float, concurrency: int) -> tuple[float, float, int]:
    """(requests per second, CPU ms per request, answers other than 200) over `seconds`."""
    done = 0
    bad = 0
    deadline = time.monotonic() + seconds

    async def worker(first: int) -> None:
        nonlocal done, bad
        caller = first
        while time.monotonic() < deadline:
            if await status_of(app, caller % CALLERS) != 200:
                bad += 1
            done += 1
            caller += concurrency

    started, cpu = time.monotonic(), time.process_time()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    wall, cpu = time.monotonic() - started, time.process_time() - cpu
    return done / wall, cpu * 1000 / done, bad


async def run(args: argparse.Namespace, folder: Path) -> None:
    url = f"sqlite+aiosqlite:///{folder}/gateway.db"
    common = {"database_url": url, "rate_limit_per_minute": 1_000_000_000}
    gateways = {
        "limit off": make_settings(folder, **{**common, "rate_limit_per_minute": 0}),
        "database store": make_settings(folder, **common),
        "Redis store": make_settings(
            folder, **common, redis_url=args.redis, redis_prefix=f"bench:{uuid.uuid4().hex}:"
        ),
    }
    best: dict[str, tuple[float, float, int]] = {}
    for _ in range(args.rounds):
        for name, settings in gateways.items():
            app = create_app(settings, signing_key=SIGNING_KEY)
            async with app.running():
                await load(app, 0.3, args.concurrency)  # warm up
                result = await load(app, args.seconds, args.concurrency)
            if name not in best or result[0] > best[name][0]:
                best[name] = result
    print(f"GET {PATH}, {args.concurrency} in flight, {CALLERS} callers, best of {args.rounds}")
    print("| gateway | req/s | CPU ms/req | not 200 | share of limit off |")
    print("|---|---|---|---|---|")
    off = best["limit off"][0]
    for name, (rate, cpu, bad) in best.items():
        print(f"| {name} | {rate:,.0f} | {cpu:.3f} | {bad} | {rate / off:.2f} |")
    ratio = best["Redis store"][0] / best["database store"][0]
    print(f"Redis store / database store: {ratio:.2f} of the requests per second")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        upgrade("gateway", f"sqlite+aiosqlite:///{folder}/gateway.db")
        asyncio.run(run(args, Path(folder)))


if __name__ == "__main__":
    main()
