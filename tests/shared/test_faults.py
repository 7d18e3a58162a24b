"""Faults and bad input in every programme service: never a 500.

Unstorable text (NUL, control characters, lone surrogates) is 404 in a path and 422 in a query
or a body; a body that is not JSON is 415, JSON that does not parse 400; a trailing slash is
404 and never a redirect; a database that fails under a request is 503 with Retry-After, and a
read is run once more first."""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.exc import DBAPIError, OperationalError

from tests import support

SERVICES = ("housing", "labour", "production")


def assert_problem(answer: httpx.Response, status: int, type_: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = answer.json()
    assert body["type"] == f"/problems/{type_}"
    assert body["status"] == status
    return body


def fields_of(problem: dict[str, Any]) -> list[str]:
    return [e["field"] for e in problem.get("errors", [])]


def admin() -> dict[str, str]:
    return support.auth(roles=("admin",), areas=("15",))


RECORD_PATHS = {
    # A record by its UUID, and paths whose segments are text (a commune, a norm's key).
    "housing": ["/api/v1/housing/cases/{}", "/api/v1/housing/norms/poor/{}"],
    "labour": ["/api/v1/labour/workers/{}", "/api/v1/labour/commune-profiles/{}/2025"],
    "production": ["/api/v1/production/projects/{}"],
}


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("segment", ["%00", "ab%00cd", "%01", "%7F", "x%1Fy"])
async def test_unstorable_text_in_a_path_is_404(
    service_client: Any, service: str, segment: str
) -> None:
    async with service_client(service) as client:
        for path in RECORD_PATHS[service]:
            answer = await client.get(path.format(segment), headers=admin())
            assert_problem(answer, 404, "not-found")
            put = await client.put(path.format(segment), json={}, headers=admin())
            assert_problem(put, 404, "not-found")


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("entity_id=%00", "query.entity_id"),
        ("entity_type=case%00x", "query.entity_type"),
        ("entity_id=a%08b", "query.entity_id"),
        ("entity_id=ok&entity_type=%7F", "query.entity_type"),
    ],
)
async def test_unstorable_text_in_the_audit_filter_is_422(
    service_client: Any, service: str, query: str, field: str
) -> None:
    async with service_client(service) as client:
        answer = await client.get(f"/api/v1/{service}/audit?{query}", headers=admin())
        assert fields_of(assert_problem(answer, 422, "validation")) == [field]
        # Tab and line breaks are text; the filter simply finds nothing.
        fine = await client.get(
            f"/api/v1/{service}/audit", params={"entity_id": "a\tb\nc"}, headers=admin()
        )
        assert fine.status_code == 200, fine.text
        assert fine.json()["items"] == []


CASES = "/api/v1/housing/cases"


def case_body(**change: object) -> dict[str, object]:
    body: dict[str, object] = {
        "household_code": "HH-NUL-1",
        "head_of_household": "Nguyễn Văn A",
        "commune_code": "02647",
        "beneficiary_group": "poor",
        "support_type": "new_build",
        "registered_on": "2025-08-01",
    }
    body.update(change)
    return body


@pytest.mark.parametrize(
    ("member", "raw", "field"),
    [
        # Escaped NUL, escaped control character, raw DEL, a lone surrogate.
        ("head_of_household", b'"Nguy\\u1ec5n\\u0000"', "body.head_of_household"),
        ("household_code", b'"HH\\u0007"', "body.household_code"),
        ("household_code", b'"HH\x7f"', "body.household_code"),
        ("head_of_household", b'"\\ud800"', "body.head_of_household"),
        # A member name too: it would be echoed in an error or stored in the audit trail.
        ("surprise\\u0000", b"1", "body"),
    ],
)
async def test_unstorable_text_in_a_json_body_is_422(
    service_client: Any, member: str, raw: bytes, field: str
) -> None:
    import json

    rest = {k: v for k, v in case_body().items() if k != member}
    sent = json.dumps(rest).encode()[:-1] + b', "' + member.encode() + b'": ' + raw + b"}"
    async with service_client("housing") as client:
        answer = await client.post(
            CASES, content=sent, headers={**admin(), "Content-Type": "application/json"}
        )
        assert fields_of(assert_problem(answer, 422, "validation")) == [field]
        listed = await client.get(CASES, headers=admin())
        assert listed.json()["items"] == []  # nothing was written


async def test_escaped_text_that_is_storable_is_accepted(service_client: Any) -> None:
    # Clients that escape every non-ASCII character (json.dumps's default) still write.
    import json

    body = json.dumps(case_body(head_of_household="Nguyễn Văn A\tB")).encode()
    assert b"\\u1ec5" in body
    async with service_client("housing") as client:
        answer = await client.post(
            CASES, content=body, headers={**admin(), "Content-Type": "application/json"}
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["head_of_household"] == "Nguyễn Văn A\tB"


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(
    ("headers", "content"),
    [
        ({"Content-Type": "text/plain"}, b'{"a": 1}'),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"a=1"),
        ({"Content-Type": "multipart/form-data; boundary=x"}, b"--x--\r\n"),
        ({}, b'{"a": 1}'),  # a body, and no content type at all
    ],
)
async def test_a_body_that_is_not_json_is_415(
    service_client: Any, service: str, headers: dict[str, str], content: bytes
) -> None:
    collection = {"housing": "cases", "labour": "workers", "production": "projects"}
    async with service_client(service) as client:
        request = client.build_request(
            "POST",
            f"/api/v1/{service}/{collection[service]}",
            content=content,
            headers={**admin(), **headers},
        )
        if not headers:
            request.headers.pop("content-type", None)
        assert "content-type" not in request.headers or headers
        answer = await client.send(request)
        assert_problem(answer, 415, "unsupported-media-type")


@pytest.mark.parametrize("service", SERVICES)
async def test_json_that_does_not_parse_is_400(service_client: Any, service: str) -> None:
    collection = {"housing": "cases", "labour": "workers", "production": "projects"}
    async with service_client(service) as client:
        for broken in (b'{"a": ', b"{'a': 1}", b"\xff\xfe", b'{"a": "\x00"}'):
            answer = await client.post(
                f"/api/v1/{service}/{collection[service]}",
                content=broken,
                headers={**admin(), "Content-Type": "application/json"},
            )
            assert_problem(answer, 400, "bad-request")


@pytest.mark.parametrize("service", SERVICES)
async def test_a_trailing_slash_is_404_never_a_redirect(service_client: Any, service: str) -> None:
    collection = {"housing": "cases", "labour": "workers", "production": "projects"}
    async with service_client(service) as client:
        for path in (f"/api/v1/{service}/{collection[service]}/", f"/api/v1/{service}/audit/"):
            answer = await client.get(path, headers=admin())
            assert_problem(answer, 404, "not-found")
            assert "location" not in answer.headers


# --- the database failing under a request -----------------------------------------------


def locked() -> OperationalError:
    return OperationalError("UPDATE x", {}, sqlite3.OperationalError("database is locked"))


def dropped() -> DBAPIError:
    orig = Exception("connection was closed in the middle of operation")
    orig.__cause__ = asyncpg.exceptions.ConnectionDoesNotExistError("closed")
    return DBAPIError("SELECT 1", {}, orig, connection_invalidated=True)


def admin_shutdown() -> DBAPIError:
    orig = Exception("terminating connection due to administrator command")
    orig.__cause__ = asyncpg.exceptions.AdminShutdownError("terminating connection")
    return DBAPIError("SELECT 1", {}, orig)


FAULTS = {
    "database is locked": locked,
    "connection dropped": dropped,
    "administrator command": admin_shutdown,
    "connection refused": lambda: ConnectionRefusedError(111, "Connect call failed"),
    "raw driver error": lambda: asyncpg.exceptions.ConnectionDoesNotExistError("closed"),
}


def flaky_route(client: httpx.AsyncClient, method: str, failures: int, fault: Any) -> list[int]:
    """Add `/api/v1/housing/flaky` to the client's app: it fails `failures` times, then
    answers 200. Returns the list its calls are counted in."""
    calls: list[int] = []

    async def flaky() -> dict[str, int]:
        calls.append(1)
        if len(calls) <= failures:
            raise fault()
        return {"calls": len(calls)}

    client.app.router.add_api_route(  # type: ignore[attr-defined]
        "/api/v1/housing/flaky", flaky, methods=[method]
    )
    return calls


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_a_database_failure_is_503_with_retry_after(service_client: Any, fault: Any) -> None:
    async with service_client("housing") as client:
        calls = flaky_route(client, "POST", 99, fault)
        answer = await client.post("/api/v1/housing/flaky", json={})
        problem = assert_problem(answer, 503, "service-unavailable")
        assert answer.headers["retry-after"] == "1"
        assert "x-request-id" in answer.headers
        assert problem["request_id"] == answer.headers["x-request-id"]
        assert len(calls) == 1  # a write is never run twice by the server


async def test_a_read_the_database_failed_is_run_once_more(service_client: Any) -> None:
    async with service_client("housing") as client:
        calls = flaky_route(client, "GET", 1, dropped)
        answer = await client.get("/api/v1/housing/flaky", headers={"X-Request-ID": "r-1"})
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"calls": 2}
        assert len(calls) == 2
        assert answer.headers["x-request-id"] == "r-1"


async def test_a_read_that_fails_twice_is_503(service_client: Any) -> None:
    async with service_client("housing") as client:
        calls = flaky_route(client, "GET", 99, admin_shutdown)
        answer = await client.get("/api/v1/housing/flaky")
        assert_problem(answer, 503, "service-unavailable")
        assert answer.headers["retry-after"] == "1"
        assert len(calls) == 2  # once more, not for ever


async def test_an_error_the_request_caused_is_not_a_database_outage(service_client: Any) -> None:
    from sqlalchemy.exc import ProgrammingError

    def bad_sql() -> ProgrammingError:
        return ProgrammingError("SELEC 1", {}, Exception("syntax error"))

    async with service_client("housing") as client:
        calls = flaky_route(client, "GET", 99, bad_sql)
        answer = await client.get("/api/v1/housing/flaky")
        # A bug stays visible as one (and is logged), never dressed up as "try again".
        assert_problem(answer, 500, "internal")
        assert "retry-after" not in answer.headers
        assert len(calls) == 1
