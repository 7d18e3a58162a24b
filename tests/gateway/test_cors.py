"""CORS at the gateway (API.md section 7): what a browser on a listed origin needs on every
answer, errors included, and nothing for any other origin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from tests.gateway.helpers import admin_auth, assert_problem, auth, gateway_of, make_settings
from tests.gateway.upstreams import Stub

APP = "https://app.laocai.gov.vn"
OTHER = "https://evil.example"
EXPOSED = {
    "etag",
    "location",
    "retry-after",
    "idempotent-replayed",
    "x-request-id",
    "ratelimit",
    "ratelimit-policy",
    "content-disposition",
    "www-authenticate",
}
REQUEST_HEADERS = {
    "authorization",
    "content-type",
    "idempotency-key",
    "if-match",
    "if-none-match",
    "x-request-id",
    "accept-language",
}


def names(value: str) -> set[str]:
    return {part.strip().lower() for part in value.split(",") if part.strip()}


def assert_allowed(answer: httpx.Response, origin: str = APP) -> None:
    assert answer.headers.get("access-control-allow-origin") == origin, answer.headers
    assert names(answer.headers["access-control-expose-headers"]) == EXPOSED
    assert "origin" in names(answer.headers["vary"])
    assert "access-control-allow-credentials" not in answer.headers


def assert_no_cors(answer: httpx.Response) -> None:
    assert not [h for h in answer.headers if h.lower().startswith("access-control-")]
    assert "origin" in names(answer.headers["vary"])


@pytest.fixture
def browser(through: Any) -> Any:
    """The gateway in front of the stubs with one web app allowed."""

    @asynccontextmanager
    async def make(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
        settings.setdefault("cors_origins", f"{APP}, https://other-app.laocai.gov.vn/")
        async with through(**settings) as client:
            yield client

    return make


async def test_a_listed_origin_reads_forwarded_and_own_answers(browser: Any) -> None:
    async with browser() as client:
        forwarded = await client.get("/api/v1/housing/cases", headers={"Origin": APP, **auth()})
        own = await client.get("/api/v1/admin-units/02647", headers={"Origin": APP})
        second = await client.get(
            "/api/v1/admin-units", headers={"Origin": "https://other-app.laocai.gov.vn"}
        )
    assert forwarded.status_code == 200
    assert_allowed(forwarded)
    assert own.status_code == 200
    assert_allowed(own)
    assert_allowed(second, "https://other-app.laocai.gov.vn")


async def test_errors_carry_cors_headers_too(browser: Any) -> None:
    async with browser(
        max_body_bytes=2048,
        forward_timeout_seconds=0.4,
        forward_connect_timeout_seconds=0.2,
    ) as client:
        origin = {"Origin": APP}
        unauthorised = await client.get("/api/v1/auth/users", headers=origin)
        missing = await client.get("/api/v1/no-such-thing", headers=origin)
        too_large = await client.post("/api/v1/housing/cases", content=b"x" * 3000, headers=origin)
        broken = await client.get("/api/v1/labour/broken", headers=origin)
        down = await client.get("/api/v1/production/projects", headers=origin)
        slow = await client.get("/api/v1/housing/slow", headers=origin)
    assert_problem(unauthorised, 401, "unauthorized")
    assert_allowed(unauthorised)
    assert unauthorised.headers["www-authenticate"].startswith("Bearer")
    assert_problem(missing, 404, "not-found")
    assert_allowed(missing)
    assert_problem(too_large, 413, "payload-too-large")
    assert_allowed(too_large)
    for answer, status, kind in (
        (broken, 502, "bad-gateway"),
        (down, 503, "service-unavailable"),
        (slow, 504, "service-timeout"),
    ):
        assert_problem(answer, status, kind)
        assert_allowed(answer)


async def test_a_429_carries_cors_headers(browser: Any) -> None:
    officer = {"Origin": APP, **auth(subject="busy", roles=("officer",))}
    async with browser(rate_limit_per_minute=1) as client:
        assert (await client.get("/api/v1/housing/cases", headers=officer)).status_code == 200
        refused = await client.get("/api/v1/housing/cases", headers=officer)
    assert_problem(refused, 429, "rate-limited")
    assert_allowed(refused)


async def test_an_unexpected_failure_is_a_500_problem_with_cors_headers(
    browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fails(*_args: Any) -> None:
        raise RuntimeError("a bug")

    async with browser() as client:
        gateway = gateway_of(client)

        @gateway.api.get("/api/v1/auth/failing")
        async def failing() -> None:
            raise RuntimeError("a bug in a route")

        monkeypatch.setattr(gateway.forwarder, "forward", fails)
        # As a server does: the app's own 500 is answered, then the exception is re-raised.
        transport = httpx.ASGITransport(app=gateway, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as raw:
            in_route = await raw.get("/api/v1/auth/failing", headers={"Origin": APP})
            in_edge = await raw.get("/api/v1/housing/cases", headers={"Origin": APP})
    for answer in (in_route, in_edge):
        assert_problem(answer, 500, "internal")
        assert_allowed(answer)


async def test_a_preflight_from_a_listed_origin_is_204_and_goes_no_further(
    browser: Any, housing: Stub
) -> None:
    async with browser(rate_limit_per_minute=1) as client:
        answers = [
            await client.options(
                "/api/v1/housing/cases/3f8e",
                headers={
                    "Origin": APP,
                    "Access-Control-Request-Method": "PATCH",
                    "Access-Control-Request-Headers": "authorization, if-match, content-type",
                },
            )
            for _ in range(3)  # never rate limited
        ]
    assert housing.seen == []
    for answer in answers:
        assert answer.status_code == 204
        assert answer.content == b""
        assert answer.headers["access-control-allow-origin"] == APP
        assert names(answer.headers["access-control-allow-methods"]) >= {
            "get",
            "post",
            "put",
            "patch",
            "delete",
        }
        assert names(answer.headers["access-control-allow-headers"]) == REQUEST_HEADERS
        assert answer.headers["access-control-max-age"] == "86400"
        assert "origin" in names(answer.headers["vary"])
        assert "access-control-allow-credentials" not in answer.headers


async def test_an_origin_not_listed_gets_no_cors_header(browser: Any, housing: Stub) -> None:
    async with browser() as client:
        read = await client.get("/api/v1/housing/cases", headers={"Origin": OTHER, **auth()})
        own = await client.get("/api/v1/auth/users", headers={"Origin": OTHER, **admin_auth()})
        unauthorised = await client.get("/api/v1/auth/users", headers={"Origin": OTHER})
        preflight = await client.options(
            "/api/v1/auth/users",
            headers={"Origin": OTHER, "Access-Control-Request-Method": "POST"},
        )
        # A listed origin's address on another scheme is another origin.
        other_scheme = await client.get(
            "/api/v1/admin-units", headers={"Origin": APP.replace("https", "http")}
        )
    assert read.status_code == 200
    assert own.status_code == 200
    assert unauthorised.status_code == 401
    for answer in (read, own, unauthorised, preflight, other_scheme):
        assert_no_cors(answer)
    assert preflight.status_code >= 400


async def test_without_listed_origins_nothing_is_allowed(through: Any) -> None:
    async with through() as client:
        read = await client.get("/api/v1/admin-units", headers={"Origin": APP})
        preflight = await client.options(
            "/api/v1/admin-units",
            headers={"Origin": APP, "Access-Control-Request-Method": "GET"},
        )
        plain = await client.get("/api/v1/admin-units")
    for answer in (read, preflight, plain):
        assert_no_cors(answer)
    assert preflight.status_code >= 400


@pytest.mark.parametrize(
    "value", ["*", "app.laocai.gov.vn", "https://app.laocai.gov.vn/path", "ftp://x"]
)
def test_cors_origins_must_be_origins(value: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="MTQG_CORS_ORIGINS"):
        make_settings(tmp_path, cors_origins=value)


async def test_vary_keeps_what_the_answer_varies_on_already(browser: Any) -> None:
    async with browser() as client:
        answer = await client.get(
            "/api/v1/admin-units", headers={"Origin": APP, "Accept-Encoding": "gzip"}
        )
    vary = answer.headers.get_list("vary")
    assert len(vary) == 1
    assert {"origin", "accept-encoding"} <= names(vary[0])
