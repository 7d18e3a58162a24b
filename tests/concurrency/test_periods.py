"""Period reports under N concurrent writers: one report per period and area however many
officers submit it at once (the unique rule, not a check that two requests both pass), and
one decision however many approvers race."""

from __future__ import annotations

import httpx
import pytest

from tests import support
from tests.concurrency.helpers import N, problem_types, race, statuses

URL = "/api/v1/housing/period-reports"
OFFICER = support.auth(subject="officer", roles=["officer"])
APPROVER = support.auth(subject="approver", roles=["approver"])


@pytest.fixture(scope="module")
def service() -> str:
    return "housing"


async def test_one_of_n_submissions_of_a_period_and_area_wins(client: httpx.AsyncClient) -> None:
    body = {"period": "2025-Q1", "area_code": "15"}
    answers = await race(lambda _i: client.post(URL, json=body, headers=OFFICER))
    assert statuses(answers) == {201: 1, 409: N - 1}
    assert problem_types(answers, 409) == {"/problems/duplicate"}
    listed = await client.get(URL, params={"period": "2025-Q1"}, headers=OFFICER)
    assert len(listed.json()["items"]) == 1


async def test_one_of_n_approvals_is_taken(client: httpx.AsyncClient) -> None:
    report = await client.post(URL, json={"period": "2025-Q2", "area_code": "15"}, headers=OFFICER)
    assert report.status_code == 201, report.text
    steps = f"{URL}/{report.json()['id']}/transitions"
    answers = await race(lambda _i: client.post(steps, json={"to": "approved"}, headers=APPROVER))
    assert statuses(answers) == {201: 1, 409: N - 1}
    history = await client.get(steps, headers=OFFICER)
    assert [s["to"] for s in history.json()["items"]] == ["approved", "submitted"]


@pytest.mark.skipif(
    support.postgres_base_url() is None,
    reason="the approval's wait is PostgreSQL's advisory lock; SQLite runs one writer at a time",
)
async def test_an_approval_waits_for_the_dated_writes_running_and_then_locks_them_out(
    client: httpx.AsyncClient,
) -> None:
    """A write of dated records still running when its period is approved lands first (the
    approval waits for it); the writes after the approval are refused."""
    import asyncio

    from sqlalchemy import text

    from housing.periods import PERIODS
    from mtqg_shared.kit.lock import LOCK_SPACE
    from tests.housing.helpers import case_body

    report = await client.post(URL, json={"period": "2025-07", "area_code": "15"}, headers=OFFICER)
    assert report.status_code == 201, report.text
    steps = f"{URL}/{report.json()['id']}/transitions"
    db = client._transport.app.state.db  # type: ignore[attr-defined]
    # A write in flight: a transaction holding what a dated write holds until it commits.
    async with db.engine.connect() as running:
        await running.execute(
            text("SELECT pg_advisory_xact_lock_shared(:space, :key)"),
            {"space": LOCK_SPACE, "key": PERIODS.lock._key},
        )
        approval = asyncio.create_task(
            client.post(steps, json={"to": "approved"}, headers=APPROVER)
        )
        await asyncio.sleep(1.0)
        assert not approval.done()  # waiting for the write
        await running.commit()
    answer = await asyncio.wait_for(approval, 10)
    assert answer.status_code == 201, answer.text
    late = await client.post(
        "/api/v1/housing/cases", json=case_body(registered_on="2025-07-20"), headers=OFFICER
    )
    assert late.status_code == 409
    assert late.json()["type"] == "/problems/period-locked"


@pytest.mark.skipif(
    support.postgres_base_url() is None,
    reason="the write's wait is PostgreSQL's advisory lock; SQLite runs one writer at a time",
)
async def test_a_dated_write_waits_for_an_approval_running(client: httpx.AsyncClient) -> None:
    """While an approval is being decided, a write of dated records waits for it, then reads
    the periods as the approval left them (here: it was not taken, so the write lands)."""
    import asyncio

    from sqlalchemy import text

    from housing.periods import PERIODS
    from mtqg_shared.kit.lock import LOCK_SPACE
    from tests.housing.helpers import case_body

    db = client._transport.app.state.db  # type: ignore[attr-defined]
    async with db.engine.connect() as deciding:
        await deciding.execute(
            text("SELECT pg_advisory_xact_lock(:space, :key)"),
            {"space": LOCK_SPACE, "key": PERIODS.lock._key},
        )
        write = asyncio.create_task(
            client.post(
                "/api/v1/housing/cases", json=case_body(registered_on="2025-11-20"), headers=OFFICER
            )
        )
        await asyncio.sleep(1.0)
        assert not write.done()  # waiting for the approval
        await deciding.rollback()
    answer = await asyncio.wait_for(write, 10)
    assert answer.status_code == 201, answer.text
