"""GET /api/v1/overview against stub services: the three reports asked at the same time with
the caller's token, partial answers when a service fails, the caller's areas respected."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests.gateway.helpers import GatewayClient, assert_problem, auth, gateway_of
from tests.gateway.programmes import REPORTS, SERVICES, Programme, housing_report, programmes
from tests.gateway.upstreams import free_port

LABOUR = {"area": {"code": "15", "name": "x"}, "year": 2024, "departures": {"total": 12}}
PRODUCTION = {"area": {"code": "15", "name": "x"}, "year": 2024, "projects": {"count": 10}}
GENDER = {"area": {"code": "15", "name": "x"}, "year": 2024, "spent_vnd": 45_000_000}
DIGITAL = {"area": {"code": "15", "name": "x"}, "year": 2024, "infrastructure": {"cameras": 25}}
VIEWER = auth(subject="viewer-1", roles=("viewer",))


@pytest.fixture
async def stubs() -> AsyncIterator[dict[str, Programme]]:
    async with programmes() as found:
        found["housing"].answers[REPORTS["housing"]] = housing_report(628)
        found["labour"].answers[REPORTS["labour"]] = LABOUR
        found["production"].answers[REPORTS["production"]] = PRODUCTION
        found["gender"].answers[REPORTS["gender"]] = GENDER
        found["digital"].answers[REPORTS["digital"]] = DIGITAL
        yield found


@pytest.fixture
def front(gateway_client: GatewayClient, stubs: dict[str, Programme]) -> Any:
    """`async with front(**settings) as client`: the gateway in front of the stubs."""

    @asynccontextmanager
    async def make(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
        urls = {f"{name}_url": stub.url for name, stub in stubs.items()}
        async with gateway_client(**{**urls, **settings}) as client:
            yield client

    return make


async def test_the_three_reports_in_one_answer(front: Any, stubs: dict[str, Programme]) -> None:
    # Each stub holds its answer until all three were asked: asked one after another, the
    # first would wait out the deadline and be listed as unavailable.
    gate = asyncio.Event()
    for stub in stubs.values():
        stub.gate = gate

    async def open_gate_when_all_asked() -> None:
        await asyncio.gather(*(stub.arrived.wait() for stub in stubs.values()))
        gate.set()

    opener = asyncio.create_task(open_gate_when_all_asked())
    headers = {**VIEWER, "X-Request-ID": "overview-1"}
    async with front(view_timeout_seconds=5) as client:
        answer = await client.get(
            "/api/v1/overview", params={"area_code": "15", "year": 2024}, headers=headers
        )
    await opener
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["area"] == {"code": "15", "name": "Tỉnh Lào Cai"}
    assert body["year"] == 2024
    assert body["as_of"] == "2024-12-31"
    assert body["housing"] == housing_report(628)["totals"]
    assert body["labour"] == LABOUR
    assert body["production"] == PRODUCTION
    assert body["gender"] == GENDER
    assert body["digital"] == DIGITAL
    assert body["unavailable"] == [] and body["forbidden"] == []
    for name in SERVICES:
        (seen,) = stubs[name].asked(REPORTS[name])
        assert seen["authorization"] == VIEWER["Authorization"]  # the caller's own token
        assert seen["request_id"] == "overview-1"
    assert stubs["housing"].asked(REPORTS["housing"])[0]["query"] == {
        "area_code": "15",
        "as_of": "2024-12-31",
    }
    for name in ("labour", "production", "gender", "digital"):
        assert stubs[name].asked(REPORTS[name])[0]["query"] == {"area_code": "15", "year": "2024"}


@pytest.mark.parametrize("year", [None, "current", "next"])
async def test_housing_stands_on_today_for_this_year_or_none(
    front: Any, stubs: dict[str, Programme], year: str | None
) -> None:
    today = today_vn()
    params: dict[str, Any] = {}
    if year is not None:
        params["year"] = today.year + (year == "next")
    async with front() as client:
        body = (await client.get("/api/v1/overview", params=params, headers=VIEWER)).json()
    assert body["as_of"] == today.isoformat()
    assert body["area"]["code"] == "15"
    assert stubs["housing"].asked(REPORTS["housing"])[0]["query"] == {}  # its own today
    expected = {"year": str(params["year"])} if params else {}
    assert stubs["labour"].asked(REPORTS["labour"])[0]["query"] == expected


async def test_area_and_geography_are_passed_on_with_the_units_name(
    front: Any, stubs: dict[str, Programme]
) -> None:
    params = {"area_code": "02791", "geography": "2025-01", "year": 2024}
    async with front() as client:
        body = (await client.get("/api/v1/overview", params=params, headers=VIEWER)).json()
    assert body["area"]["code"] == "02791"
    assert "Pan" in body["area"]["name"]  # La Pan Tẩn, an old commune
    query = {"area_code": "02791", "geography": "2025-01"}
    assert stubs["housing"].asked(REPORTS["housing"])[0]["query"] == {
        **query,
        "as_of": "2024-12-31",
    }
    assert stubs["production"].asked(REPORTS["production"])[0]["query"] == {
        **query,
        "year": "2024",
    }


@pytest.mark.parametrize("failure", [500, 503, "garbage", 401, 429])
async def test_a_failing_service_is_named_and_the_rest_answered(
    front: Any, stubs: dict[str, Programme], failure: Any
) -> None:
    stubs["labour"].failures[REPORTS["labour"]] = failure
    async with front() as client:
        answer = await client.get("/api/v1/overview", params={"year": 2024}, headers=VIEWER)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["unavailable"] == ["labour"]
    assert body["labour"] is None
    assert body["housing"]["cases"] == 628
    assert body["production"] == PRODUCTION


async def test_a_report_without_its_totals_counts_as_unavailable(
    front: Any, stubs: dict[str, Programme]
) -> None:
    stubs["housing"].answers[REPORTS["housing"]] = {"rows": []}
    async with front() as client:
        body = (await client.get("/api/v1/overview", headers=VIEWER)).json()
    assert body["unavailable"] == ["housing"]
    assert body["housing"] is None


async def test_a_slow_service_misses_the_deadline_and_the_rest_is_answered(
    front: Any, stubs: dict[str, Programme]
) -> None:
    stubs["production"].failures[REPORTS["production"]] = "hang"
    # A deadline the answering stubs meet even on a loaded machine; the hung one takes 30 s.
    async with front(view_timeout_seconds=3) as client:
        started = time.monotonic()
        answer = await client.get("/api/v1/overview", headers=VIEWER)
        elapsed = time.monotonic() - started
        # The hung call was given up: the pool has no connection left in use.
        assert gateway_of(client).forwarder.upstreams["production"].pool_counts()[0] == 0
    assert answer.status_code == 200
    assert answer.json()["unavailable"] == ["production"]
    assert answer.json()["labour"] == LABOUR
    assert elapsed < 3 + 10  # the deadline, not the hung call's 30 s


async def test_a_service_that_is_not_listening_is_unavailable(front: Any) -> None:
    async with front(housing_url=f"http://127.0.0.1:{free_port()}") as client:
        body = (await client.get("/api/v1/overview", headers=VIEWER)).json()
    assert body["unavailable"] == ["housing"]
    assert body["labour"] == LABOUR


async def test_every_service_down_is_still_an_answer(gateway_client: GatewayClient) -> None:
    down = {f"{s}_url": f"http://127.0.0.1:{free_port()}" for s in SERVICES}
    async with gateway_client(**down) as client:
        answer = await client.get("/api/v1/overview", headers=VIEWER)
    assert answer.status_code == 200
    body = answer.json()
    assert body["unavailable"] == list(SERVICES)
    assert body["housing"] is body["labour"] is body["production"] is None


async def test_a_services_validation_refusal_is_the_answer(
    front: Any, stubs: dict[str, Programme]
) -> None:
    stubs["labour"].failures[REPORTS["labour"]] = 422
    async with front() as client:
        answer = await client.get("/api/v1/overview", params={"year": 2024}, headers=VIEWER)
    body = assert_problem(answer, 422, "validation")
    assert body["errors"] == [{"field": "query.year", "message": "stub: bad year"}]
    assert body["service"] == "labour"
    assert body["instance"] == "/api/v1/overview"


async def test_a_services_not_found_is_not_hidden_as_unavailable(
    front: Any, stubs: dict[str, Programme]
) -> None:
    stubs["production"].failures[REPORTS["production"]] = 404
    async with front() as client:
        answer = await client.get("/api/v1/overview", headers=VIEWER)
    assert_problem(answer, 404, "not-found")


async def test_an_area_outside_the_callers_areas_is_404_without_asking(
    front: Any, stubs: dict[str, Programme]
) -> None:
    officer = auth(subject="commune-officer", roles=("officer",), areas=("02647",))
    async with front() as client:
        outside = await client.get("/api/v1/overview", params={"area_code": "084"}, headers=officer)
        inside = await client.get(
            "/api/v1/overview", params={"area_code": "02647"}, headers=officer
        )
    assert_problem(outside, 404, "not-found")
    assert inside.status_code == 200
    assert [len(stubs[s].seen) for s in SERVICES] == [1] * len(SERVICES)  # only the inside one


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"area_code": "99999"}, "query.area_code"),
        ({"area_code": "1"}, "query.area_code"),
        ({"geography": "2025-01"}, "query.geography"),
        ({"area_code": "15", "geography": "1999"}, "query.geography"),
        ({"year": 1800}, "query.year"),
        ({"year": "soon"}, "query.year"),
        ({"colour": "red"}, "query.colour"),
    ],
)
async def test_bad_parameters_are_422(
    front: Any, stubs: dict[str, Programme], params: dict[str, Any], field: str
) -> None:
    async with front() as client:
        answer = await client.get("/api/v1/overview", params=params, headers=VIEWER)
    body = assert_problem(answer, 422, "validation")
    assert field in [e["field"] for e in body["errors"]]
    assert all(not stub.seen for stub in stubs.values())


async def test_a_token_is_needed_and_checked_at_the_gateway(
    front: Any, stubs: dict[str, Programme]
) -> None:
    expired = auth(subject="late", ttl=dt.timedelta(minutes=-1))
    async with front() as client:
        missing = await client.get("/api/v1/overview")
        stale = await client.get("/api/v1/overview", headers=expired)
    assert_problem(missing, 401, "unauthorized")
    assert_problem(stale, 401, "unauthorized")
    assert all(not stub.seen for stub in stubs.values())


async def test_a_client_sees_only_the_programmes_of_its_scopes(
    front: Any, stubs: dict[str, Programme]
) -> None:
    statistics = auth(subject="stats", kind="client", scopes=("housing:read", "labour:write"))
    nothing = auth(subject="writer", kind="client", scopes=("housing:write",))
    async with front() as client:
        answer = await client.get("/api/v1/overview", headers=statistics)
        refused = await client.get("/api/v1/overview", headers=nothing)
    body = answer.json()
    assert body["forbidden"] == ["labour", "production", "gender", "digital"]
    assert body["unavailable"] == []
    assert body["housing"]["cases"] == 628
    for name in ("labour", "production", "gender", "digital"):
        assert body[name] is None
        assert not stubs[name].seen
    assert_problem(refused, 403, "forbidden")


async def test_a_service_refusing_the_caller_is_listed_as_forbidden(
    front: Any, stubs: dict[str, Programme]
) -> None:
    stubs["production"].failures[REPORTS["production"]] = 403
    async with front() as client:
        body = (await client.get("/api/v1/overview", headers=VIEWER)).json()
    assert body["forbidden"] == ["production"]
    assert body["unavailable"] == []
