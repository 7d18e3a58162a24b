"""What a batch costs against the same writes sent one request each: housing's ASGI app called
directly (no server, no load generator) on a throwaway PostgreSQL database, creates of new
cases with client-made ids (no Idempotency-Key on either side), in alternating rounds (100
single requests, then one batch of 100), so that both sides are measured side by side under
the same conditions. Reports CPU and wall time per create, and their ratios.

    .venv/bin/python -m bench.batch [--rounds 10] [--size 100]

A batch runs each operation through the same app, so it saves the request's own envelope
(token check, routing of one request instead of N) and, through the gateway, N - 1 forwards;
it is not meant to be cheaper per write than that: every operation keeps its own transaction.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid
from typing import Any

from bench.inprocess import SERVER, call
from housing.app import create_app
from housing.config import Settings
from mtqg_shared.db import Database
from mtqg_shared.migrations import upgrade
from mtqg_shared.settings import async_url
from tests import support

CASES = "/api/v1/housing/cases"


def case(n: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "household_code": f"HH{n:07d}",
        "head_of_household": "Nguyễn Văn A",
        "commune_code": "02680",
        "beneficiary_group": "poor",
        "support_type": "new_build",
    }


async def measure(url: str, args: argparse.Namespace) -> None:
    db = Database(url, "housing", pool_size=10)
    app = create_app(Settings(access_log=False), db=db, verifier=support.verifier())
    token = support.token(roles=["admin"])
    made = 0
    single: list[tuple[float, float]] = []
    batched: list[tuple[float, float]] = []

    async def singles() -> tuple[float, float]:
        nonlocal made
        bodies = [case(made + i) for i in range(args.size)]
        made += args.size
        cpu, wall = time.process_time(), time.perf_counter()
        for body in bodies:
            answer = await call(app, CASES, token, "POST", json.dumps(body).encode())
            assert answer["status"] == 201, answer
        return time.process_time() - cpu, time.perf_counter() - wall

    async def batch() -> tuple[float, float]:
        nonlocal made
        operations = [
            {"method": "POST", "path": CASES, "body": case(made + i)} for i in range(args.size)
        ]
        made += args.size
        body = json.dumps({"operations": operations}).encode()
        cpu, wall = time.process_time(), time.perf_counter()
        answer = await call(app, "/api/v1/housing/batch", token, "POST", body)
        spent = time.process_time() - cpu, time.perf_counter() - wall
        assert answer["status"] == 200, answer
        statuses = {r["status"] for r in json.loads(answer["body"])["results"]}
        assert statuses == {201}, statuses
        return spent

    async with app.router.lifespan_context(app):
        await singles()  # warm up both paths before measuring
        await batch()
        for _ in range(args.rounds):
            single.append(await singles())
            batched.append(await batch())
    await db.dispose()

    def per_write(runs: list[tuple[float, float]], i: int) -> float:
        middle: float = statistics.median([r[i] for r in runs])
        size: int = args.size
        return 1000 * middle / size

    rows = [
        ("CPU ms per create", per_write(single, 0), per_write(batched, 0)),
        ("wall ms per create", per_write(single, 1), per_write(batched, 1)),
    ]
    print(f"{args.rounds} rounds of {args.size} creates each way (medians of the rounds)")
    print("| measure | one request each | in a batch | batch / single |")
    print("|---|---|---|---|")
    for name, one, many in rows:
        print(f"| {name} | {one:.3f} | {many:.3f} | {many / one:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=SERVER, help="a server to make a database on")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--size", type=int, default=100, help="creates per round (1-100)")
    args = parser.parse_args()
    url, name = support.create_postgres_database(args.postgres)
    try:
        service_url = support.service_url(async_url(url), "housing")
        upgrade("housing", service_url)
        asyncio.run(measure(service_url, args))
    finally:
        support.drop_postgres_database(args.postgres, name)


if __name__ == "__main__":
    main()
