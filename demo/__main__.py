"""`make demo`: load the seed's figures (Si Ma Cai housing, La Pan Tẩn labour, Bảo Yên
production, Sa Pa gender, Gia Phú digital) through the running gateway, as any client of the
API would.

Sign-in: user `admin` with MTQG_ADMIN_PASSWORD (or --username/--password). Running it twice
creates nothing new: every record has a client-made id or an Idempotency-Key.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import sys
import time
from collections.abc import AsyncGenerator, Generator

import httpx

from mtqg_shared.registry import GATEWAY
from mtqg_shared.settings import CommonSettings, local_gateway_url

PROGRAMMES = ("housing", "labour", "production", "gender", "digital")


class TokenAuth(httpx.Auth):
    """Signs in with the password grant and signs in again when the token has expired."""

    requires_response_body = True

    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.base_url = base_url
        self.username = username
        self.password = password
        self.token: str | None = None
        self._lock = asyncio.Lock()

    async def _sign_in(self) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=30) as client:
            answer = await client.post(
                "/api/v1/auth/token",
                data={
                    "grant_type": "password",
                    "username": self.username,
                    "password": self.password,
                },
            )
        if answer.status_code != 200:
            raise SystemExit(f"sign-in failed ({answer.status_code}): {answer.text}")
        self.token = answer.json()["access_token"]

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        raise RuntimeError("the demo uses an async client")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        async with self._lock:
            if self.token is None:
                await self._sign_in()
        request.headers["Authorization"] = f"Bearer {self.token}"
        response = yield request
        if response.status_code == 401:
            async with self._lock:
                await self._sign_in()
            request.headers["Authorization"] = f"Bearer {self.token}"
            yield request


async def run(base_url: str, username: str, password: str, only: list[str]) -> None:
    auth = TokenAuth(base_url, username, password)
    limits = httpx.Limits(max_connections=8)
    async with httpx.AsyncClient(base_url=base_url, auth=auth, timeout=60, limits=limits) as client:
        for programme in only:
            module = importlib.import_module(f"demo.{programme}")
            started = time.perf_counter()
            print(f"[{programme}] loading", flush=True)
            await module.load(client, lambda text, p=programme: print(f"[{p}] {text}", flush=True))
            print(f"[{programme}] done in {time.perf_counter() - started:.1f} s", flush=True)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--gateway",
        default=os.environ.get("MTQG_GATEWAY_URL")
        or local_gateway_url(CommonSettings().port_of(GATEWAY)),
        help="default: MTQG_GATEWAY_URL, else this machine at MTQG_GATEWAY_PORT",
    )
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default=os.environ.get("MTQG_ADMIN_PASSWORD", ""))
    parser.add_argument("programmes", nargs="*", help=f"some of {', '.join(PROGRAMMES)}")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.programmes) - set(PROGRAMMES))
    if unknown:
        parser.error(f"unknown programme(s): {', '.join(unknown)}")
    if not args.password:
        parser.error("set MTQG_ADMIN_PASSWORD (the admin's password) or pass --password")
    args.programmes = args.programmes or list(PROGRAMMES)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    asyncio.run(run(args.gateway, args.username, args.password, args.programmes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
