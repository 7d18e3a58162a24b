"""Identity numbers: whole only for officers and above; never in errors, logs or the audit
trail."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx
import pytest

from labour.app import create_app
from labour.config import Settings
from mtqg_shared.migrations import upgrade
from tests import support
from tests.labour.helpers import (
    ADMIN,
    APPROVER,
    CLIENT_READ,
    CLIENT_WRITE,
    HOME_VIEWER,
    OFFICER,
    VIEWER,
    P,
    assert_problem,
    make_placement,
    make_worker,
    worker_body,
)

W = f"{P}/workers"


@pytest.mark.parametrize("headers", [VIEWER, HOME_VIEWER, CLIENT_READ, CLIENT_WRITE])
async def test_viewers_and_clients_see_masked_numbers(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    worker = await make_worker(client, household_code="MASK-1")
    await make_placement(client, worker["id"])
    full = worker["national_id"]
    masked = "********" + full[-4:]
    answers = [
        await client.get(W, headers=headers),
        await client.get(W, params={"national_id": full}, headers=headers),
        await client.get(W, params={"household_code": "MASK-1"}, headers=headers),
        await client.get(f"{W}/{worker['id']}", headers=headers),
        await client.get(f"{P}/placements", params={"household_code": "MASK-1"}, headers=headers),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.text
        assert full not in answer.text
    assert answers[1].json()["items"][0]["national_id"] == masked
    assert answers[3].json()["national_id"] == masked


@pytest.mark.parametrize("headers", [OFFICER, APPROVER, ADMIN])
async def test_officers_and_above_see_whole_numbers(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    worker = await make_worker(client)
    read = await client.get(f"{W}/{worker['id']}", headers=headers)
    assert read.json()["national_id"] == worker["national_id"]


async def test_a_writing_client_gets_masked_answers_and_replays(
    client: httpx.AsyncClient,
) -> None:
    body = worker_body()
    headers = CLIENT_WRITE | {"Idempotency-Key": "client-worker"}
    made = await client.post(W, json=body, headers=headers)
    replay = await client.post(W, json=body, headers=headers)
    for answer in (made, replay):
        assert answer.status_code == 201
        assert body["national_id"] not in answer.text
    patched = await client.patch(
        f"{W}/{made.json()['id']}",
        json={"village": "Thôn Mới"},
        headers=CLIENT_WRITE | {"If-Match": '"1"'},
    )
    assert body["national_id"] not in patched.text


async def test_numbers_never_reach_errors_or_logs(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # INFO is the level the services run at (MTQG_LOG_LEVEL); the httpx lines are this test's
    # own client, not the service.
    caplog.set_level(logging.INFO)
    worker = await make_worker(client, headers=OFFICER)
    full = worker["national_id"]
    answers = [
        await client.post(W, json=worker_body(national_id=full), headers=OFFICER),  # 409
        await client.post(W, json=worker_body(national_id=full + "9"), headers=OFFICER),  # 422
        await client.post(
            W, json=worker_body(national_id=full, date_of_birth="x"), headers=OFFICER
        ),
        await client.post(W, json=worker_body(national_id=full), headers=VIEWER),  # 403
        await client.get(W, params={"national_id": full + "1"}, headers=VIEWER),  # 422
        await client.get(W, params={"national_id": full, "x": "1"}, headers=VIEWER),  # 422
        await client.get(W, params={"national_id": full}, headers=VIEWER),
    ]
    assert [a.status_code for a in answers] == [409, 422, 422, 403, 422, 422, 200]
    assert_problem(answers[0], 409, "duplicate")
    for answer in answers:
        assert full not in answer.text
    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''}"
        for record in caplog.records
        if not record.name.startswith("httpx")
    )
    assert caplog.records  # the access log did write lines
    assert full not in logged
    audit = await client.get(f"{P}/audit", params={"entity_type": "worker"}, headers=ADMIN)
    assert full not in audit.text


async def test_database_errors_never_quote_parameters(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    # A database error logged as unexpected would otherwise carry the statement's values.
    assert client.app.state.db.engine.sync_engine.hide_parameters  # type: ignore[attr-defined]
    url = f"sqlite:///{tmp_path / 'labour.db'}"
    await asyncio.to_thread(upgrade, "labour", url)
    app = create_app(Settings(database_url=url), verifier=support.verifier())
    async with app.router.lifespan_context(app):
        assert app.state.db.engine.sync_engine.hide_parameters
        assert app.state.db.read_engine.sync_engine.hide_parameters
