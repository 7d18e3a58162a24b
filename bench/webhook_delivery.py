"""Webhook delivery throughput: signed deliveries per second to a local receiver, made by the
gateway's dispatcher (feed pages read as the client, a lease, every attempt and the new place
recorded in the database) against the same signed POSTs made in a bare loop (no database, no
feed), side by side in one run.

    .venv/bin/python -m bench.webhook_delivery [--events 2000] [--subscriptions 10]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

The receiver and a stand-in change feed (`--events` housing changes) run in a subprocess on
one free port, answering 204 at once; the dispatcher runs in this process on a gateway
database of its own (a SQLite file, or a throwaway PostgreSQL database with `--postgres`).
One subscription shows the rate of one delivery in flight at a time (the contract's order);
`--subscriptions` of them at once, the rate of a replica serving many.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import httpx

from gateway.app import create_app
from gateway.webhooks import signing
from gateway.webhooks.dispatcher import Dispatcher, event_body
from mtqg_shared.db import Database
from mtqg_shared.migrations import upgrade
from mtqg_shared.settings import async_url
from tests import support
from tests.gateway.helpers import SIGNING_KEY, admin_auth, make_settings
from tests.gateway.upstreams import free_port

_SERVERS = """
import sys, datetime as dt
from aiohttp import web
port, events = int(sys.argv[1]), int(sys.argv[2])
def item(seq):
    at = (dt.datetime(2026, 12, 2, tzinfo=dt.UTC) + dt.timedelta(seconds=seq)).isoformat()
    rid = f"00000000-0000-4000-8000-{seq:012d}"
    return {"seq": seq, "resource": "cases", "id": rid, "action": "upsert", "at": at,
            "record": {"id": rid, "household_code": f"HH-{seq:06d}", "status": "registered",
                       "commune_code": "02809", "version": 1}}
ITEMS = [item(s) for s in range(1, events + 1)]
async def changes(request):
    start = int(request.query.get("cursor") or 0)
    limit = int(request.query.get("limit", "200"))
    page = ITEMS[start:start + limit]
    return web.json_response({"items": page, "next_cursor": str(start + len(page))})
async def hook(request):
    await request.read()
    return web.Response(status=204)
app = web.Application()
app.router.add_get("/api/v1/{service}/changes", changes)
app.router.add_post("/hook", hook)
web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)
"""


async def bare(url: str, events: int, secret: str) -> float:
    """The same signed POSTs, one in flight, over one keep-alive session: the ceiling."""
    async with aiohttp.ClientSession() as session:
        started = time.perf_counter()
        for seq in range(1, events + 1):
            item = {"seq": seq, "resource": "cases", "id": str(seq), "action": "upsert"}
            body = event_body("housing", item)
            headers = {
                "Content-Type": "application/json",
                **signing.headers([secret], f"housing:{seq}", int(time.time()), body),
            }
            async with session.post(url, data=body, headers=headers) as answer:
                await answer.read()
                assert answer.status == 204
        return events / (time.perf_counter() - started)


async def dispatched(
    database_url: str, base: str, events: int, subscriptions: int, folder: Path
) -> float:
    db = Database(database_url, "gateway")
    settings = make_settings(folder, housing_url=base, webhook_allow_private=True)
    app = create_app(settings, db=db, signing_key=SIGNING_KEY)
    dispatcher: Dispatcher = app.api.state.webhooks
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as api:
            for n in range(subscriptions):
                made = await api.post(
                    "/api/v1/auth/clients",
                    json={"name": f"bench {n}", "scopes": ["housing:read"], "areas": ["15"]},
                    headers=admin_auth(),
                )
                hook = await api.post(
                    "/api/v1/webhooks",
                    json={
                        "url": f"{base}/hook",
                        "services": ["housing"],
                        "client_id": made.json()["client_id"],
                    },
                    headers=admin_auth(),
                )
                assert hook.status_code == 201, hook.text
        started = time.perf_counter()
        delivered = 0
        while delivered < events * subscriptions:
            made_now = await dispatcher.run_once()
            if not made_now:
                raise RuntimeError(f"stalled after {delivered} deliveries")
            delivered += made_now
        return delivered / (time.perf_counter() - started)
    finally:
        await dispatcher.close()
        await app.forwarder.close()
        await db.dispose()


async def run(args: argparse.Namespace) -> None:
    port = free_port()
    servers = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _SERVERS, str(port), str(args.events)
    )
    base = f"http://127.0.0.1:{port}"
    created: tuple[str, str] | None = None
    try:
        for _ in range(100):
            try:
                async with httpx.AsyncClient() as probe:
                    await probe.get(f"{base}/api/v1/housing/changes")
                break
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
        rows: list[tuple[str, float]] = []
        secret = signing.new_secret()
        rows.append(
            ("bare signed POSTs, one in flight", await bare(f"{base}/hook", args.events, secret))
        )
        for subscriptions in (1, args.subscriptions):
            with tempfile.TemporaryDirectory() as folder:
                if args.postgres:
                    created = await asyncio.to_thread(
                        support.create_postgres_database, args.postgres
                    )
                    url = support.service_url(async_url(created[0]), "gateway")
                else:
                    url = f"sqlite+aiosqlite:///{folder}/gateway.db"
                await asyncio.to_thread(upgrade, "gateway", url)
                rate = await dispatched(url, base, args.events, subscriptions, Path(folder))
                if created is not None:
                    await asyncio.to_thread(
                        support.drop_postgres_database, args.postgres, created[1]
                    )
                    created = None
            rows.append((f"dispatcher, {subscriptions} subscription(s)", rate))
    finally:
        servers.terminate()
        await servers.wait()
        if created is not None:
            await asyncio.to_thread(support.drop_postgres_database, args.postgres, created[1])
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{args.events} events per subscription, gateway database on {database}")
    ceiling = rows[0][1]
    for label, rate in rows:
        print(f"  {label:40} {rate:8.0f} deliveries/s   {rate / ceiling:5.2f}x bare")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--subscriptions", type=int, default=10)
    parser.add_argument("--postgres", default="", help="a server to make a throwaway database on")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
