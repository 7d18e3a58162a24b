"""CPU per request of one housing endpoint with no HTTP server and no load generator: the
service's ASGI app called directly, on a throwaway PostgreSQL database seeded through the
API, so that only the service's own CPU is counted (PostgreSQL's is another process).

    .venv/bin/python -m bench.inprocess --path '/api/v1/housing/cases?limit=20' [--profile]

`--profile` prints a pyinstrument profile of the measured calls (install pyinstrument into
the venv first: it is not a dependency of the project). Used to find where a request's CPU
goes before and after a change; `make bench-service` measures the same endpoints under load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

from housing.app import create_app
from housing.config import Settings
from mtqg_shared.db import Database
from mtqg_shared.migrations import upgrade
from mtqg_shared.settings import async_url
from tests import support

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


async def call(app: Any, path: str, token: str, method: str = "GET", body: bytes = b"") -> Any:
    route, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [
            (b"host", b"bench"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    answer: dict[str, Any] = {"body": b""}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return answer


async def measure(url: str, args: argparse.Namespace) -> None:
    db = Database(url, "housing", pool_size=10)
    app = create_app(Settings(), db=db, verifier=support.verifier())
    token = support.token(roles=["admin"])
    async with app.router.lifespan_context(app):
        for i in range(args.cases):
            body = {
                "household_code": f"HH{i:05d}",
                "head_of_household": "Nguyễn Văn A",
                "commune_code": "02680",
                "beneficiary_group": "poor",
                "support_type": "new_build",
            }
            made = await call(
                app, "/api/v1/housing/cases", token, "POST", json.dumps(body).encode()
            )
            assert made["status"] == 201, made
        path = args.path
        if "{id}" in path:
            listed = await call(app, "/api/v1/housing/cases?limit=1", token)
            path = path.replace("{id}", json.loads(listed["body"])["items"][0]["id"])
        for _ in range(200):
            answer = await call(app, path, token)
        assert answer["status"] == 200, answer
        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="disabled", interval=0.0002)
            profiler.start()
        started = time.process_time()
        for _ in range(args.n):
            await call(app, path, token)
        spent = time.process_time() - started
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False))
        print(f"{path}: {1000 * spent / args.n:.3f} ms CPU per request ({args.n} requests)")
    await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=SERVER, help="a server to make a database on")
    parser.add_argument("--path", default="/api/v1/housing/cases?limit=20", help="{id}: a case")
    parser.add_argument("--n", type=int, default=1500, help="measured requests")
    parser.add_argument("--cases", type=int, default=300, help="cases created first")
    parser.add_argument("--profile", action="store_true")
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
