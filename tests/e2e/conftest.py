"""Start the four real processes on free ports, on their own database, for end-to-end tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from tests.stack import Stack, running_stack

FORWARD_TIMEOUT = 5.0
VIEW_TIMEOUT = 3.0


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    settings = {
        # The gateway's deadlines, short enough for the resilience tests to wait them out.
        "MTQG_FORWARD_TIMEOUT_SECONDS": str(FORWARD_TIMEOUT),
        "MTQG_VIEW_TIMEOUT_SECONDS": str(VIEW_TIMEOUT),
        # A small pool: one connection leaked per early-leaving client would soon show.
        "MTQG_FORWARD_POOL_SIZE": "8",
        # The demo data set is loaded through the gateway by one caller.
        "MTQG_RATE_LIMIT_PER_MINUTE": "1000000",
    }
    with running_stack(tmp_path_factory.mktemp("e2e"), settings=settings) as running:
        yield running


# The housing demo has 628 houses; the first ones are enough to check the figures end to end
# (the full set is checked against the seed in tests/housing/test_demo.py).
DEMO_HOUSES = 24


@pytest.fixture(scope="session")
def demo(stack: Stack) -> Stack:
    """The stack with the demo data set loaded through the gateway, as `make demo` does:
    La Pan Tẩn's labour and Bảo Yên's production figures whole, Si Ma Cai's first houses."""
    from demo import housing, labour, production

    async def load() -> None:
        headers = {"Authorization": f"Bearer {stack.token()}"}
        async with httpx.AsyncClient(
            base_url=stack.url("gateway"), headers=headers, timeout=60
        ) as client:
            lines: list[str] = []
            await housing.load(client, lines.append, houses=DEMO_HOUSES)
            await labour.load(client, lines.append)
            await production.load(client, lines.append)

    asyncio.run(load())
    return stack
