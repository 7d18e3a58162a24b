"""PostgreSQL terminates the processes' connections mid-load (pg_terminate_backend, as an
administrator or a failover would): no answer is a 500, only 2xx and 503 with Retry-After, and
the requests after the fault succeed because the broken pooled connections were replaced.

Each app runs on a real pool of its own, on a database made for this module (the suite's
shared database is rolled back per test and must not see these commits)."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from gateway.app import create_app as create_gateway
from housing.app import create_app as create_housing
from housing.config import Settings as HousingSettings
from mtqg_shared.db import Database
from mtqg_shared.migrations import upgrade
from mtqg_shared.settings import async_url
from tests import support
from tests.gateway.helpers import PASSWORD, SIGNING_KEY, admin_auth, make_settings

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        support.postgres_base_url() is None, reason="needs PostgreSQL (MTQG_TEST_POSTGRES_URL)"
    ),
]

ROUNDS = 4  # terminations during the load
WORKERS = 8  # concurrent clients
POOL = 4  # connections per pool: fewer than workers, so requests queue for them too


@pytest.fixture(scope="module")
def own_database() -> Iterator[tuple[str, str]]:
    server = support.postgres_base_url()
    assert server is not None
    url, name = support.create_postgres_database(server)
    try:
        for service in ("housing", "gateway"):
            upgrade(service, url)
        yield async_url(url), name
    finally:
        support.drop_postgres_database(server, name)


async def terminate(database: str, schema: str) -> int:
    """End every connection the app's pool holds; how many there were."""
    server = support.postgres_base_url()
    assert server is not None
    conn = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await conn.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND application_name = $2 AND pid <> pg_backend_pid()",
            database,
            f"mtqg-{schema}",
        )
        return sum(1 for row in rows if row[0])
    finally:
        await conn.close()


async def load_with_faults(
    requests: list[Callable[[], Awaitable[httpx.Response]]], database: str, schema: str
) -> tuple[Counter[int], list[int]]:
    """Run the requests from WORKERS clients while terminating the pool's backends ROUNDS
    times; the statuses seen, and how many backends each round ended."""
    statuses: Counter[int] = Counter()
    queue = list(reversed(requests))
    killed: list[int] = []
    done = asyncio.Event()

    async def worker() -> None:
        while queue:
            answer = await queue.pop()()
            statuses[answer.status_code] += 1
            if answer.status_code == 503:
                assert answer.headers["retry-after"] == "1"
                assert answer.headers["content-type"].startswith("application/problem+json")
                assert answer.json()["type"] == "/problems/service-unavailable"

    async def killer() -> None:
        for _ in range(ROUNDS):
            # Wait until the load has connections open, then end them all.
            for _ in range(200):
                if done.is_set():
                    return
                await asyncio.sleep(0.02)
                if (n := await terminate(database, schema)) > 0:
                    killed.append(n)
                    break
            await asyncio.sleep(0.15)

    workers = [asyncio.create_task(worker()) for _ in range(WORKERS)]
    kill = asyncio.create_task(killer())
    await asyncio.gather(*workers)
    done.set()
    await kill
    return statuses, killed


@pytest.fixture
async def housing(own_database: tuple[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    url, _ = own_database
    db = Database(url, "housing", pool_size=POOL)
    app = create_housing(HousingSettings(access_log=False), db=db, verifier=support.verifier())
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://housing", headers=support.ENGLISH
        ) as client:
            yield client
    finally:
        await db.dispose()


CASES = "/api/v1/housing/cases"


def new_case() -> dict[str, str]:
    return {
        "household_code": f"HH-{uuid.uuid4().hex[:12]}",
        "head_of_household": "Nguyễn Văn A",
        "commune_code": "02647",
        "beneficiary_group": "poor",
        "support_type": "new_build",
        "registered_on": "2025-08-01",
    }


async def test_a_service_under_load_never_answers_500_when_its_connections_are_killed(
    housing: httpx.AsyncClient, own_database: tuple[str, str]
) -> None:
    _, database = own_database
    headers = support.auth(roles=("admin",), areas=("15",))

    def read() -> Awaitable[httpx.Response]:
        return housing.get(CASES, params={"limit": 20}, headers=headers)

    def write() -> Awaitable[httpx.Response]:
        return housing.post(CASES, json=new_case(), headers=headers)

    requests: list[Callable[[], Awaitable[httpx.Response]]] = [
        read if i % 3 else write for i in range(300)
    ]
    statuses, killed = await load_with_faults(requests, database, "housing")

    assert len(killed) == ROUNDS, f"the load ended before every termination: {killed}"
    assert statuses[500] == 0, statuses
    assert set(statuses) <= {200, 201, 503}, statuses
    assert statuses[200] + statuses[201] > len(requests) // 2, statuses

    # The fault is over: every pooled connection it left behind was broken, and none of the
    # next requests may find one.
    await terminate(database, "housing")  # and the idle ones once more, while nobody asks
    for _ in range(2 * POOL):
        made = await housing.post(CASES, json=new_case(), headers=headers)
        assert made.status_code == 201, made.text
        listed = await housing.get(CASES, headers=headers)
        assert listed.status_code == 200, listed.text
        read_one = await housing.get(f"{CASES}/{made.json()['id']}", headers=headers)
        assert read_one.status_code == 200, read_one.text


@pytest.fixture
async def gateway(
    own_database: tuple[str, str], tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    url, _ = own_database
    db = Database(url, "gateway", pool_size=POOL)
    app = create_gateway(make_settings(tmp_path), db=db, signing_key=SIGNING_KEY)
    transport = httpx.ASGITransport(app=app, client=("10.0.0.1", 1234))
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://gw", headers=support.ENGLISH
        ) as client:
            yield client
    finally:
        await app.forwarder.close()
        await db.dispose()


async def test_the_token_endpoint_never_answers_500_when_its_connections_are_killed(
    gateway: httpx.AsyncClient, own_database: tuple[str, str]
) -> None:
    _, database = own_database
    username = f"load.{uuid.uuid4().hex[:8]}"
    made = await gateway.post(
        "/api/v1/auth/users",
        json={"username": username, "password": PASSWORD, "roles": ["officer"], "areas": ["15"]},
        headers=admin_auth(),
    )
    assert made.status_code == 201, made.text
    form = {"grant_type": "password", "username": username, "password": PASSWORD}

    def sign_in() -> Awaitable[httpx.Response]:
        return gateway.post("/api/v1/auth/token", data=form)

    def read_users() -> Awaitable[httpx.Response]:
        return gateway.get("/api/v1/auth/users", headers=admin_auth())

    requests: list[Callable[[], Awaitable[httpx.Response]]] = [
        sign_in if i % 3 == 0 else read_users for i in range(90)
    ]
    statuses, killed = await load_with_faults(requests, database, "gateway")

    assert len(killed) == ROUNDS, f"the load ended before every termination: {killed}"
    assert statuses[500] == 0, statuses
    assert set(statuses) <= {200, 503}, statuses

    await terminate(database, "gateway")
    for _ in range(POOL + 1):
        answer = await sign_in()
        assert answer.status_code == 200, answer.text
        assert answer.json()["token_type"].lower() == "bearer"


@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
async def test_a_stale_pooled_connection_never_fails_a_request(
    own_database: tuple[str, str], write: bool
) -> None:
    """No ping at checkout: the first statement that meets a connection the server ended
    while it sat in the pool is run again on a fresh one; a later statement is not (what
    ran before it on the broken transaction is lost), and that request answers 503."""
    from sqlalchemy import exc as sa_exc
    from sqlalchemy import text

    url, database = own_database
    db = Database(url, "housing", pool_size=2)
    try:
        async with db.session(write=write) as session:
            assert (await session.execute(text("SELECT 1"))).scalar() == 1
        assert await terminate(database, "housing") >= 1
        async with db.session(write=write) as session:
            assert (await session.execute(text("SELECT 2"))).scalar() == 2
            await terminate(database, "housing")
            with pytest.raises(sa_exc.DBAPIError) as broke:
                await session.execute(text("SELECT 3"))
        assert broke.value.connection_invalidated
        async with db.session(write=write) as session:
            assert (await session.execute(text("SELECT 4"))).scalar() == 4
    finally:
        await db.dispose()
