"""Headless Chromium (Debian's `chromium`, driven by Playwright without a browser download of
its own) against the real processes, with the network confined to the origins a test names.

The browser tests are skipped only on a machine without /usr/bin/chromium and outside CI; in CI
(`CI` set) a missing browser fails them (.ci/run installs it)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, Request, Route, async_playwright

from tests.gateway.upstreams import free_port
from tests.stack import Stack, running_stack

CHROMIUM = Path("/usr/bin/chromium")
# The service the browser tests call through the gateway; the others are left out (their
# documents are then named missing), so that the stack starts in a few seconds.
SERVICES = ("housing",)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def require_chromium(path: Path = CHROMIUM) -> None:
    """Skip the test when there is no browser, unless in CI, where that fails it."""
    if not path.exists():
        message = f"{path} is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def web_app_port() -> int:
    """The port of a web app on another origin than the gateway's (tests/browser/test_cors.py
    serves it): the gateway lists `http://127.0.0.1:<port>` in MTQG_CORS_ORIGINS, and only
    that spelling (`http://localhost:<port>` is another origin, not listed)."""
    return free_port()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, web_app_port: int) -> Iterator[Stack]:
    require_chromium()  # before starting processes no test would use
    settings = {"MTQG_CORS_ORIGINS": f"http://127.0.0.1:{web_app_port}"}
    with running_stack(
        tmp_path_factory.mktemp("browser"), services=SERVICES, settings=settings
    ) as running:
        yield running


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    require_chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield launched
        finally:
            await launched.close()


@dataclass
class Confined:
    """A page whose requests reach only `origins`; any other is refused and kept in `foreign`."""

    page: Page
    origins: frozenset[str]
    foreign: list[str] = field(default_factory=list)


ConfinedPage = Callable[..., AbstractAsyncContextManager[Confined]]


@pytest.fixture
def confined_page(browser: Browser) -> ConfinedPage:
    """`async with confined_page(origin, ...) as confined:` a fresh page (its own context: no
    cookies, storage or cache from another test) allowed to reach those origins only."""

    @asynccontextmanager
    async def open_page(*origins: str, locale: str | None = None) -> AsyncIterator[Confined]:
        # `locale` is the browser's language (its Accept-Language); Chromium's own otherwise.
        context = await browser.new_context(locale=locale)
        page = await context.new_page()
        confined = Confined(page, frozenset(origins))

        def seen(request: Request) -> None:  # every request, a worker's too
            if origin(request.url) not in confined.origins:
                confined.foreign.append(request.url)

        async def only_allowed(route: Route) -> None:
            if origin(route.request.url) in confined.origins:
                await route.continue_()
            else:
                await route.abort("blockedbyclient")

        context.on("request", seen)
        await context.route("**/*", only_allowed)
        try:
            yield confined
        finally:
            await context.close()

    return open_page
