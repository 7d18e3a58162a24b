"""The background runner: a job a restart interrupted is taken again and finishes, a job
interrupted too often or failing every attempt ends `failed`, never running for ever, and its
progress is read while it runs."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, update

from housing.models import import_jobs
from mtqg_shared.types import utcnow
from tests import support
from tests.fuzzing import fuzz_database
from tests.housing.helpers import admin
from tests.imports.helpers import API, CASE_COLUMNS, counts, csv_file, runner, upload
from tests.imports.test_rows import case_row


async def _left_running(client: httpx.AsyncClient, job_id: str, attempts: int, lease: int) -> None:
    """The job as a process that died while running it left it (its lease `lease` s away)."""
    import uuid

    table = runner(client).table
    async with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        await session.execute(
            update(table)
            .where(table.c.id == uuid.UUID(job_id))
            .values(
                status="running",
                attempts=attempts,
                lease_until=utcnow() + dt.timedelta(seconds=lease),
                started_at=utcnow() - dt.timedelta(minutes=5),
            )
        )
        await session.commit()


async def _job(client: httpx.AsyncClient, job_id: str) -> dict[str, Any]:
    read = await client.get(f"{API}/imports/{job_id}", headers=admin())
    assert read.status_code == 200, read.text
    job: dict[str, Any] = read.json()
    return job


@pytest.fixture
def own_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated housing database of its own (not the tests' rolled-back one), as a process
    that starts finds it."""
    yield from fuzz_database("housing", tmp_path_factory)


async def test_a_job_left_running_by_a_restart_is_taken_up_on_start_and_finishes(
    own_database: str,
) -> None:
    from housing.app import create_app
    from housing.config import Settings
    from mtqg_shared.auth import Principal
    from mtqg_shared.db import Database
    from mtqg_shared.imports.runner import snapshot_of
    from mtqg_shared.settings import async_url

    settings = Settings(database_url=own_database, import_poll_seconds=0.05)
    content = csv_file([CASE_COLUMNS, case_row(), case_row()])
    job_id = uuid.uuid4()
    before = Database(async_url(settings.async_database_url), "housing")
    table = import_jobs
    async with before.session() as session:
        # What a process that died while running the job left behind: running, lease out.
        await session.execute(
            insert(table).values(
                id=job_id,
                resource="cases",
                mode="commit",
                on_existing="error",
                status="running",
                language="en",
                file_name="cases.csv",
                file_sha256=hashlib.sha256(content).hexdigest(),
                file=content,
                principal=snapshot_of(
                    Principal.build("admin", "person", roles=["admin"], areas=["15"])
                ),
                created_by="person:admin",
                total_rows=2,
                processed_rows=1,
                created=0,
                updated=0,
                skipped=0,
                error_count=0,
                errors=[],
                attempts=1,
                lease_until=utcnow() - dt.timedelta(minutes=1),
                created_at=utcnow() - dt.timedelta(minutes=10),
                started_at=utcnow() - dt.timedelta(minutes=9),
            )
        )
        await session.commit()
    await before.dispose()
    app = create_app(settings, verifier=support.verifier())
    async with app.router.lifespan_context(app):  # the process starts
        await asyncio.wait_for(app.state.import_runner.idle.wait(), timeout=60)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            read = await client.get(f"{API}/imports/{job_id}", headers=admin())
            job = read.json()
            assert (job["status"], job["created"], job["processed_rows"]) == ("done", 2, 2), str(
                job
            )
            listed = await client.get(f"{API}/cases", headers=admin())
            assert len(listed.json()["items"]) == 2


async def test_a_job_whose_lease_still_holds_is_left_to_its_process(
    client: httpx.AsyncClient,
) -> None:
    sent = await upload(client, csv_file([CASE_COLUMNS, case_row()]), admin())
    await _left_running(client, sent.json()["id"], attempts=1, lease=600)
    assert await runner(client).drain() == 0
    assert (await _job(client, sent.json()["id"]))["status"] == "running"


async def test_a_job_interrupted_three_times_ends_failed_and_writes_nothing(
    client: httpx.AsyncClient,
) -> None:
    before = await counts(client)
    sent = await upload(client, csv_file([CASE_COLUMNS, case_row()]), admin())
    await _left_running(client, sent.json()["id"], attempts=3, lease=-1)
    assert await runner(client).drain() == 1
    job = await _job(client, sent.json()["id"])
    assert job["status"] == "failed"
    assert "interrupted 3 times" in job["message"]
    assert await counts(client) == before


async def test_a_job_failing_every_attempt_ends_failed_after_three(
    client: httpx.AsyncClient,
) -> None:
    app = client.app  # type: ignore[attr-defined]
    calls = 0

    async def broken(ctx: Any, body: Any) -> Any:
        nonlocal calls
        calls += 1
        raise RuntimeError("a fault of the service, not of the row")

    app.state.imports["cases"] = dataclasses.replace(
        app.state.imports["cases"], add=broken, add_many=None
    )
    before = await counts(client)
    sent = await upload(client, csv_file([CASE_COLUMNS, case_row()]), admin())
    assert await runner(client).drain() == 3
    assert calls == 3
    job = await _job(client, sent.json()["id"])
    assert job["status"] == "failed"
    assert job["message"]
    assert await counts(client) == before


async def test_a_fault_of_a_chunk_written_while_the_next_is_read_fails_the_job(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails for no row's fault, while the rows after it are read: the job
    ends failed after its attempts, nothing is written, and the run is never left
    writing."""
    from mtqg_shared.imports import engine

    monkeypatch.setattr(engine, "_YIELD_EVERY", 1)
    app = client.app  # type: ignore[attr-defined]
    entry = app.state.imports["cases"]
    calls = 0

    async def broken(ctx: Any, bodies: Any) -> Any:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0)  # the next rows are read meanwhile
        raise RuntimeError("the database went away")

    app.state.imports["cases"] = dataclasses.replace(entry, add_many=broken, chunk=2)
    before = await counts(client)
    rows = [CASE_COLUMNS, *(case_row() for _ in range(5))]
    sent = await upload(client, csv_file(rows), admin())
    assert await runner(client).drain() == 3
    assert calls == 3  # one chunk written per attempt, then the attempt failed
    job = await _job(client, sent.json()["id"])
    assert job["status"] == "failed"
    assert job["message"]
    assert await counts(client) == before
    assert not [t for t in asyncio.all_tasks() if "_flush" in repr(t.get_coro())]


async def test_progress_is_read_while_the_job_runs_and_ends_at_the_total(
    client: httpx.AsyncClient,
) -> None:
    app = client.app  # type: ignore[attr-defined]
    entry = app.state.imports["cases"]
    seen: list[tuple[str, int]] = []
    job_id = ""

    async def watched(ctx: Any, body: Any) -> Any:
        if body.head_of_household == "watch":
            job = await _job(client, job_id)
            seen.append((job["status"], job["processed_rows"]))
        return await entry.add(ctx, body)

    app.state.imports["cases"] = dataclasses.replace(entry, add=watched, add_many=None)
    rows = [CASE_COLUMNS, *(case_row() for _ in range(5))]
    rows.append(case_row(head_of_household="watch"))
    sent = await upload(client, csv_file(rows), admin())
    job_id = sent.json()["id"]
    await runner(client).drain()
    assert seen == [("running", 5)]
    job = await _job(client, job_id)
    assert (job["status"], job["total_rows"], job["processed_rows"]) == ("done", 6, 6)


async def test_a_file_of_headers_alone_is_done_with_nothing_to_do(
    client: httpx.AsyncClient,
) -> None:
    sent = await upload(client, csv_file([CASE_COLUMNS]), admin())
    await runner(client).drain()
    job = await _job(client, sent.json()["id"])
    assert (job["status"], job["total_rows"], job["created"]) == ("done", 0, 0)
