"""Many writers of one record with one If-Match: exactly one wins, every other one is told the
record changed (412, with the current ETag). Run on a database of its own connections (not the
rolled-back test connection), so the writers really race; on PostgreSQL each one waits for the
row lock of the one before."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import delete

from labour.app import create_app
from labour.config import Settings
from labour.models import OutreachEvent, Partner, Worker, audit_log
from mtqg_shared.db import Database
from tests import support
from tests.labour.helpers import ADMIN, LA_PAN_TAN, P, worker_body

WRITERS = 30
Racing = tuple[httpx.AsyncClient, list[tuple[Any, str]]]


@pytest.fixture
async def racing(database_urls: dict[str, str]) -> AsyncIterator[Racing]:
    db = Database(database_urls["labour"], "labour", pool_size=WRITERS)
    app = create_app(Settings(), db=db, verifier=support.verifier())
    made: list[tuple[Any, str]] = []
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client, made
    finally:
        # What the race wrote is committed: take it away again, so no other test counts it.
        async with db.session() as session:
            for model, id_ in made:
                await session.execute(delete(audit_log).where(audit_log.c.entity_id == id_))
                await session.execute(delete(model).where(model.id == uuid.UUID(id_)))
            await session.commit()
        await db.dispose()


async def _race(client: httpx.AsyncClient, url: str, bodies: list[dict[str, Any]]) -> list[int]:
    async def one(body: dict[str, Any]) -> httpx.Response:
        return await client.patch(url, json=body, headers=ADMIN | {"If-Match": '"1"'})

    answers = await asyncio.gather(*(one(b) for b in bodies))
    for answer in answers:
        if answer.status_code == 412:
            assert answer.headers["etag"] == '"2"', answer.text
    return sorted(a.status_code for a in answers)


async def test_one_of_many_worker_patches_wins(racing: Racing) -> None:
    client, made = racing
    created = await client.post(f"{P}/workers", json=worker_body(), headers=ADMIN)
    assert created.status_code == 201, created.text
    worker_id = created.json()["id"]
    made.append((Worker, worker_id))
    bodies = [{"village": f"Thôn {n}"} for n in range(WRITERS)]
    codes = await _race(client, f"{P}/workers/{worker_id}", bodies)
    assert codes == [200] + [412] * (WRITERS - 1)
    read = await client.get(f"{P}/workers/{worker_id}", headers=ADMIN)
    assert read.headers["etag"] == '"2"'


async def test_one_of_many_partner_patches_wins(racing: Racing) -> None:
    client, made = racing
    body = {"name": "Công ty Cổ phần Xuất khẩu Lao động", "kind": "licensed_company"}
    created = await client.post(f"{P}/partners", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    made.append((Partner, created.json()["id"]))
    bodies = [{"address": f"Số {n}, Lào Cai"} for n in range(WRITERS)]
    codes = await _race(client, f"{P}/partners/{created.json()['id']}", bodies)
    assert codes == [200] + [412] * (WRITERS - 1)


async def test_one_of_many_outreach_patches_wins(racing: Racing) -> None:
    client, made = racing
    body = {
        "commune_code": LA_PAN_TAN,
        "geography": "2025-01",
        "held_on": "2024-04-02",
        "topic": "Lao động ở Hàn Quốc",
        "participants": 40,
        "registered_interest": 5,
    }
    created = await client.post(f"{P}/outreach-events", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    made.append((OutreachEvent, created.json()["id"]))
    bodies = [{"participants": 41 + n} for n in range(WRITERS)]
    codes = await _race(client, f"{P}/outreach-events/{created.json()['id']}", bodies)
    assert codes == [200] + [412] * (WRITERS - 1)
