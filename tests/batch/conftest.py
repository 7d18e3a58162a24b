"""Fixtures of the batch tests: a real service behind the gateway (the gateway's fixtures are
the gateway tests' own)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

import pytest

from mtqg_shared.registry import SERVICE_NAMES, process
from tests.gateway.conftest import gateway_client, gateway_db
from tests.gateway.helpers import GatewayClient
from tests.gateway.upstreams import free_port, serving

__all__ = ["Through", "gateway_client", "gateway_db", "through_gateway"]

Through = Callable[..., AbstractAsyncContextManager[Any]]


@pytest.fixture
def through_gateway(service_client: Any, gateway_client: GatewayClient) -> Through:
    """`async with through_gateway(service, **gateway_settings) as (gateway, app)`: the real
    service on a local port behind the gateway; every other service's address answers
    nothing."""

    @asynccontextmanager
    async def make(service: str, **settings: Any) -> AsyncIterator[Any]:
        async with AsyncExitStack() as stack:
            direct = await stack.enter_async_context(service_client(service))
            app = direct.app
            url = await stack.enter_async_context(serving(app))
            dead = f"http://127.0.0.1:{free_port()}"
            urls = {process(name).url_setting: dead for name in SERVICE_NAMES}
            urls[process(service).url_setting] = url
            gateway = await stack.enter_async_context(gateway_client(**urls, **settings))
            yield gateway, app

    return make
