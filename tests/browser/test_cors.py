"""A web app on another origin calls the API from headless Chromium, as an officer's browser
would: it signs in, lists and reads cases with its token, revalidates a record (304), meets a
stale change (412 with the current ETag) and a refused create (Vietnamese, with codes), all
through CORS. The same page served from an origin the gateway does not list cannot read any
answer. The network is confined to the page's origin and the gateway."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from demo import housing
from mtqg_shared.messages import msg
from tests.browser.conftest import ConfinedPage
from tests.gateway.upstreams import free_port
from tests.stack import ADMIN_PASSWORD, Stack

pytestmark = pytest.mark.e2e

# The web app: one function the test calls in the page, so every fetch is the page's own,
# from the page's origin.
PAGE = """<!doctype html>
<html lang="vi"><meta charset="utf-8"><title>Ứng dụng xã</title>
<script>
async function callApi(gateway, username, password) {
  const out = {};
  const form = new URLSearchParams({grant_type: "password", username, password});
  const token = await fetch(gateway + "/api/v1/auth/token", {method: "POST", body: form});
  out.tokenStatus = token.status;
  const auth = {Authorization: "Bearer " + (await token.json()).access_token};

  const list = await fetch(gateway + "/api/v1/housing/cases?limit=1", {headers: auth});
  out.listStatus = list.status;
  out.rateLimit = list.headers.get("RateLimit");
  out.rateLimitPolicy = list.headers.get("RateLimit-Policy");
  const first = (await list.json()).items[0];

  const url = gateway + "/api/v1/housing/cases/" + first.id;
  const one = await fetch(url, {headers: auth});
  out.readStatus = one.status;
  out.etag = one.headers.get("ETag");
  out.householdCode = (await one.json()).household_code;
  const revalidate = {...auth, "If-None-Match": out.etag};
  const again = await fetch(url, {headers: revalidate, cache: "no-store"});
  out.againStatus = again.status;
  out.againBody = await again.text();

  const stale = await fetch(url, {
    method: "PATCH",
    headers: {...auth, "Content-Type": "application/json", "If-Match": '"0"',
              "Idempotency-Key": "web-app-" + Date.now()},
    body: JSON.stringify({notes: "đã kiểm tra"}),
  });
  out.staleStatus = stale.status;
  out.staleEtag = stale.headers.get("ETag");

  const refused = await fetch(gateway + "/api/v1/housing/cases", {
    method: "POST",
    headers: {...auth, "Content-Type": "application/json"},
    body: JSON.stringify({surprise: 1}),
  });
  out.refusedStatus = refused.status;
  out.refusedLanguage = refused.headers.get("Content-Language");
  out.refusedRequestId = refused.headers.get("X-Request-ID");
  const problem = await refused.json();
  out.refusedTitle = problem.title;
  out.refusedCodes = problem.errors.map((e) => e.code);
  return out;
}

async function tryRead(gateway) {
  try {
    const answer = await fetch(gateway + "/api/v1/housing/vocabulary");
    return "read " + answer.status;
  } catch (error) {
    return "refused: " + error.name;
  }
}
</script>
<p>Ứng dụng xã</p>
</html>
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _serve(folder: Path, port: int) -> Iterator[str]:
    handler = partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web-app")
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def web_app(site: Path, web_app_port: int) -> Iterator[str]:
    """The page on the origin the gateway lists."""
    yield from _serve(site, web_app_port)


@pytest.fixture(scope="module")
def other_app(site: Path) -> Iterator[str]:
    """The same page on an origin the gateway does not list."""
    yield from _serve(site, free_port())


@pytest.fixture(scope="module")
async def a_case(stack: Stack) -> None:
    headers = {"Authorization": f"Bearer {stack.token()}"}
    async with httpx.AsyncClient(
        base_url=stack.url("gateway"), headers=headers, timeout=60
    ) as client:
        await housing.load(client, lambda _line: None, houses=1)


async def test_a_web_app_on_a_listed_origin_calls_the_api(
    stack: Stack, web_app: str, a_case: None, confined_page: ConfinedPage
) -> None:
    gateway = stack.url("gateway")
    # An officer's browser set to Vietnamese.
    async with confined_page(web_app, gateway, locale="vi-VN") as confined:
        page = confined.page
        await page.goto(f"{web_app}/index.html")
        out = await page.evaluate(
            "([gateway, password]) => callApi(gateway, 'admin', password)",
            [gateway, ADMIN_PASSWORD],
        )
        assert confined.foreign == []
    assert out["tokenStatus"] == out["listStatus"] == out["readStatus"] == 200
    # Headers a script may read only because the gateway exposes them.
    assert out["rateLimit"].startswith('"default";r=')
    assert out["rateLimitPolicy"].startswith('"default";q=')
    assert re.fullmatch(r'"[0-9]+"', out["etag"])
    assert out["householdCode"]
    # Revalidation on a weak network: nothing sent again.
    assert (out["againStatus"], out["againBody"]) == (304, "")
    # A stale change is refused with the version to read again.
    assert (out["staleStatus"], out["staleEtag"]) == (412, out["etag"])
    # A refused create speaks Vietnamese by default, with codes a program decides on.
    assert out["refusedStatus"] == 422
    assert out["refusedLanguage"] == "vi"
    assert out["refusedTitle"] == msg("title.validation").render("vi")
    assert "unknown_field" in out["refusedCodes"] and "required" in out["refusedCodes"]
    assert out["refusedRequestId"]


async def test_a_page_on_an_origin_not_listed_reads_nothing(
    stack: Stack, web_app: str, other_app: str, confined_page: ConfinedPage
) -> None:
    gateway = stack.url("gateway")
    async with confined_page(web_app, other_app, gateway) as confined:
        page = confined.page
        await page.goto(f"{other_app}/index.html")
        assert await page.evaluate("(gateway) => tryRead(gateway)", gateway) == (
            "refused: TypeError"
        )
        # The listed origin reads the same public answer.
        await page.goto(f"{web_app}/index.html")
        assert await page.evaluate("(gateway) => tryRead(gateway)", gateway) == "read 200"
        assert confined.foreign == []
