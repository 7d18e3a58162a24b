"""What compression costs and where it is cheapest: the CPU of gzip and brotli at several
levels on one 200-case housing page, and the gateway's CPU per forwarded page when the
service's compressed bytes are passed on, when the gateway compresses an identity answer
itself, and when nothing is compressed.

    .venv/bin/python -m bench.compression

Small and single-process on purpose (a SQLite file, one stub service in a subprocess, no load
generator): the figures behind the levels and the placement in `mtqg_shared.delivery`.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import brotli
import httpx

from bench.inprocess import call
from gateway.app import create_app as create_gateway
from housing.app import create_app
from housing.config import Settings
from mtqg_shared.db import Database
from mtqg_shared.migrations import upgrade
from tests import support
from tests.gateway.helpers import SIGNING_KEY, make_settings
from tests.gateway.upstreams import free_port

CASES = 200

# A service that answers the page brotli-compressed when asked (/pre) or never (/plain).
_STUB = r"""
import sys, brotli
from aiohttp import web
page = open(sys.argv[2], "rb").read()
pre = brotli.compress(page, quality=4)
async def pre_h(request):
    if "br" in request.headers.get("Accept-Encoding", ""):
        headers = {"Content-Type": "application/json", "Content-Encoding": "br"}
        return web.Response(body=pre, headers=headers)
    return web.Response(body=page, content_type="application/json")
async def plain_h(request):
    return web.Response(body=page, content_type="application/json")
app = web.Application()
app.router.add_get("/api/v1/housing/pre", pre_h)
app.router.add_get("/api/v1/housing/plain", plain_h)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


async def page_of_cases(url: str) -> bytes:
    db = Database(url, "housing", pool_size=5)
    app = create_app(Settings(), db=db, verifier=support.verifier())
    token = support.token(roles=["admin"])
    try:
        async with app.router.lifespan_context(app):
            for i in range(CASES):
                body = {
                    "household_code": f"HH{i:05d}",
                    "head_of_household": f"Nguyễn Văn {i}",
                    "commune_code": ("02680", "02647", "02671")[i % 3],
                    "beneficiary_group": ("poor", "near_poor")[i % 2],
                    "support_type": ("new_build", "repair")[i % 2],
                }
                made = await call(
                    app, "/api/v1/housing/cases", token, "POST", json.dumps(body).encode()
                )
                assert made["status"] == 201, made
            listed = await call(app, f"/api/v1/housing/cases?limit={CASES}", token)
            page: bytes = listed["body"]
            return page
    finally:
        await db.dispose()


def levels(page: bytes) -> None:
    print(f"one page of {CASES} cases: {len(page):,} bytes of JSON")
    coders: list[tuple[str, Callable[[bytes], bytes], int]] = [
        *((f"gzip {n}", lambda b, n=n: gzip.compress(b, n), 50) for n in (1, 4, 6, 9)),
        *((f"brotli {q}", lambda b, q=q: brotli.compress(b, quality=q), 50) for q in (1, 4, 6)),
        ("brotli 11", lambda b: brotli.compress(b, quality=11), 5),
    ]
    for name, compress, rounds in coders:
        started = time.process_time()
        for _ in range(rounds):
            out = compress(page)
        ms = (time.process_time() - started) * 1000 / rounds
        ratio = len(page) / len(out)
        print(f"  {name:10} {len(out):7,} bytes ({ratio:4.1f}x smaller), {ms:6.2f} ms CPU")


async def through_the_gateway(page_file: Path, rounds: int = 300) -> None:
    port = free_port()
    stub = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _STUB, str(port), str(page_file)
    )
    try:
        await asyncio.sleep(1.5)
        settings = make_settings(Path(tempfile.mkdtemp()), housing_url=f"http://127.0.0.1:{port}")
        app = create_gateway(settings, signing_key=SIGNING_KEY)
        transport = httpx.ASGITransport(app=app)
        print("the gateway's CPU per forwarded page (the test client's included, alike in each):")
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            for path, accept, label in (
                ("/api/v1/housing/pre", "br", "the service's brotli passed on"),
                ("/api/v1/housing/plain", "br", "the gateway compresses"),
                ("/api/v1/housing/pre", "identity", "nothing compressed"),
            ):

                async def once(path: str = path, accept: str = accept) -> int:
                    headers = {"Accept-Encoding": accept}
                    async with client.stream("GET", path, headers=headers) as answer:
                        return sum([len(chunk) async for chunk in answer.aiter_raw()])

                for _ in range(20):
                    await once()
                started = time.process_time()
                for _ in range(rounds):
                    size = await once()
                ms = (time.process_time() - started) * 1000 / rounds
                print(f"  {label:32} {size:8,} bytes, {ms:5.2f} ms CPU")
        await app.forwarder.close()
    finally:
        stub.terminate()
        await stub.wait()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/housing.db"
        upgrade("housing", url)
        page = asyncio.run(page_of_cases(url))
        levels(page)
        page_file = Path(folder) / "page.json"
        page_file.write_bytes(page)
        asyncio.run(through_the_gateway(page_file))


if __name__ == "__main__":
    main()
