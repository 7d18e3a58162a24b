"""Every service's /docs (Swagger UI) and /redoc (ReDoc) are whole without a network: the
pages name only the process's own paths, and the process serves every file they load, long
cached. The gateway's pages are checked with the same function (tests/gateway/test_openapi.py);
tests/browser loads them in Chromium."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from mtqg_shared.registry import SERVICE_NAMES

# Every address a page names: src, href, and the document Swagger UI and ReDoc load.
_ADDRESS = re.compile(r"""(?:src|href|spec-url)="([^"]*)"|url: '([^']*)'""")
_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
_YEAR = 365 * 24 * 3600
# What in a script or a style loads from another host as the page renders (an image's src,
# a url()); links a person may follow are not loads.
_FOREIGN_LOAD = re.compile(rb"""(?:\bsrc:|url\()\s*["']?(?:https?:)?//""")


def addresses(page: str) -> list[str]:
    return [a or b for a, b in _ADDRESS.findall(page)]


async def assert_docs_served_offline(client: httpx.AsyncClient) -> None:
    """/docs and /redoc answer pages that name no other host, and every file they load is
    served here with a year-long cache."""
    loaded: dict[str, list[str]] = {}
    for page, marker in (("/docs", "SwaggerUIBundle"), ("/redoc", "<redoc spec-url=")):
        answer = await client.get(page)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/html")
        assert marker in answer.text
        assert "//" not in answer.text  # no full or scheme-relative URL
        named = addresses(answer.text)
        assert "/openapi.json" in named
        assert all(a.startswith("/") for a in named), named
        loaded[page] = [a for a in named if a != "/openapi.json"]
    assert len(loaded["/docs"]) == 3  # style, icon, script
    assert len(loaded["/redoc"]) == 2  # icon, script
    for address in {a for named in loaded.values() for a in named}:
        answer = await client.get(address)
        assert answer.status_code == 200, address
        suffix = address[address.rindex(".") :]
        assert answer.headers["content-type"].startswith(_TYPES[suffix])
        assert len(answer.content) > 1000
        assert _FOREIGN_LOAD.search(answer.content) is None, address
        cache = answer.headers["cache-control"]
        assert "immutable" in cache and "public" in cache
        max_age = re.search(r"max-age=(\d+)", cache)
        assert max_age is not None and int(max_age.group(1)) >= _YEAR
        # Another digest is another version: never answered with these bytes.
        digest = address.split("/")[-2]
        stale = address.replace(digest, "0" * len(digest))
        assert (await client.get(stale)).status_code == 404


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_a_services_docs_work_without_a_network(service_client: Any, service: str) -> None:
    async with service_client(service) as client:
        await assert_docs_served_offline(client)
