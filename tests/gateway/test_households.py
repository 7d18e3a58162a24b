"""GET /api/v1/households/{household_code} against stub services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from tests.gateway.helpers import GatewayClient, assert_problem, auth
from tests.gateway.programmes import Programme, programmes

CASES = "/api/v1/housing/cases"
WORKERS = "/api/v1/labour/workers"
PLACEMENTS = "/api/v1/labour/placements"
PROJECTS = "/api/v1/production/projects"
OFFICER = auth(subject="field-officer", roles=("officer",))

CASE = {"id": "c1", "household_code": "LPT-001", "status": "handed_over"}
WORKER = {"id": "w1", "household_code": "LPT-001", "full_name": "Vàng Seo Dìn"}
PLACEMENTS_PAGES = [
    [{"id": "p1", "worker_id": "w1", "remittances_vnd": 300_000_000}],
    [{"id": "p0", "worker_id": "w1", "remittances_vnd": 25_000_000}],
]
PROJECT = {"id": "j1", "code": "BY-LK-2024-01"}


@pytest.fixture
async def stubs() -> AsyncIterator[dict[str, Programme]]:
    async with programmes() as found:
        yield found


def know_the_household(stubs: dict[str, Programme]) -> None:
    stubs["housing"].answers[CASES] = [[CASE]]
    stubs["labour"].answers[WORKERS] = [[WORKER]]
    stubs["labour"].answers[PLACEMENTS] = PLACEMENTS_PAGES
    stubs["production"].answers[PROJECTS] = [[PROJECT]]


def know_nothing(stubs: dict[str, Programme]) -> None:
    for stub, path in (
        (stubs["housing"], CASES),
        (stubs["labour"], WORKERS),
        (stubs["labour"], PLACEMENTS),
        (stubs["production"], PROJECTS),
    ):
        stub.answers[path] = [[]]


@pytest.fixture
def front(gateway_client: GatewayClient, stubs: dict[str, Programme]) -> Any:
    @asynccontextmanager
    async def make(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
        urls = {f"{name}_url": stub.url for name, stub in stubs.items()}
        async with gateway_client(**{**urls, **settings}) as client:
            yield client

    return make


async def test_the_whole_story_of_a_household(front: Any, stubs: dict[str, Programme]) -> None:
    know_the_household(stubs)
    async with front() as client:
        answer = await client.get(
            "/api/v1/households/LPT-001", headers={**OFFICER, "X-Request-ID": "visit-7"}
        )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "household_code": "LPT-001",
        "housing": {"cases": [CASE]},
        "labour": {
            "workers": [WORKER],
            "placements": PLACEMENTS_PAGES[0] + PLACEMENTS_PAGES[1],  # every page
            "remittances_vnd": 325_000_000,
        },
        "production": {"projects": [PROJECT]},
        "unavailable": [],
        "forbidden": [],
    }
    for stub, path in (
        (stubs["housing"], CASES),
        (stubs["labour"], WORKERS),
        (stubs["production"], PROJECTS),
    ):
        (seen,) = stub.asked(path)
        assert seen["query"] == {"household_code": "LPT-001", "limit": "200"}
        assert seen["authorization"] == OFFICER["Authorization"]
        assert seen["request_id"] == "visit-7"
    second = stubs["labour"].asked(PLACEMENTS)[1]
    assert second["query"] == {"household_code": "LPT-001", "limit": "200", "cursor": "1"}


async def test_a_household_nobody_knows_is_404(front: Any, stubs: dict[str, Programme]) -> None:
    know_nothing(stubs)
    async with front() as client:
        answer = await client.get("/api/v1/households/NOBODY", headers=OFFICER)
    assert_problem(answer, 404, "not-found")


async def test_known_to_one_programme_is_enough(front: Any, stubs: dict[str, Programme]) -> None:
    know_nothing(stubs)
    stubs["production"].answers[PROJECTS] = [[PROJECT]]
    async with front() as client:
        body = (await client.get("/api/v1/households/BY-17", headers=OFFICER)).json()
    assert body["housing"] == {"cases": []}
    assert body["labour"] == {"workers": [], "placements": [], "remittances_vnd": 0}
    assert body["production"] == {"projects": [PROJECT]}


async def test_a_failing_service_gives_a_partial_answer(
    front: Any, stubs: dict[str, Programme]
) -> None:
    know_the_household(stubs)
    stubs["labour"].failures[PLACEMENTS] = 500  # workers answer, placements do not
    async with front() as client:
        answer = await client.get("/api/v1/households/LPT-001", headers=OFFICER)
    assert answer.status_code == 200
    body = answer.json()
    assert body["unavailable"] == ["labour"]
    assert body["labour"] is None  # never half a programme
    assert body["housing"] == {"cases": [CASE]}


async def test_unknown_where_asked_but_a_service_down_is_not_404(
    front: Any, stubs: dict[str, Programme]
) -> None:
    know_nothing(stubs)
    stubs["housing"].failures[CASES] = "hang"
    async with front(view_timeout_seconds=3) as client:  # the other stubs answer well within it
        answer = await client.get("/api/v1/households/MAYBE", headers=OFFICER)
    assert answer.status_code == 200  # housing may know it: no claim that nobody does
    assert answer.json()["unavailable"] == ["housing"]


async def test_a_client_reads_only_its_programmes(front: Any, stubs: dict[str, Programme]) -> None:
    know_the_household(stubs)
    client_token = auth(subject="bank", kind="client", scopes=("labour:read",))
    async with front() as client:
        body = (await client.get("/api/v1/households/LPT-001", headers=client_token)).json()
    assert body["forbidden"] == ["housing", "production"]
    assert body["housing"] is None and body["production"] is None
    assert body["labour"]["remittances_vnd"] == 325_000_000
    assert not stubs["housing"].seen and not stubs["production"].seen


@pytest.mark.parametrize("code", ["X" * 33, "%20%20"])
async def test_bad_household_codes_are_422(
    front: Any, stubs: dict[str, Programme], code: str
) -> None:
    async with front() as client:
        answer = await client.get(f"/api/v1/households/{code}", headers=OFFICER)
    assert_problem(answer, 422, "validation")
    assert all(not stub.seen for stub in stubs.values())


async def test_a_household_code_with_a_nul_is_404(front: Any, stubs: dict[str, Programme]) -> None:
    # Text no database can store, in a path, names no resource (API.md, Writes).
    async with front() as client:
        answer = await client.get("/api/v1/households/a%00b", headers=OFFICER)
    assert_problem(answer, 404, "not-found")
    assert all(not stub.seen for stub in stubs.values())


async def test_the_code_is_trimmed_and_sent_encoded(
    front: Any, stubs: dict[str, Programme]
) -> None:
    know_the_household(stubs)
    async with front() as client:
        answer = await client.get("/api/v1/households/%20SMC 02800&x=1", headers=OFFICER)
    assert answer.json()["household_code"] == "SMC 02800&x=1"
    assert stubs["housing"].asked(CASES)[0]["query"]["household_code"] == "SMC 02800&x=1"


async def test_no_token_is_401(front: Any, stubs: dict[str, Programme]) -> None:
    async with front() as client:
        answer = await client.get("/api/v1/households/LPT-001")
    assert_problem(answer, 401, "unauthorized")
    assert all(not stub.seen for stub in stubs.values())
