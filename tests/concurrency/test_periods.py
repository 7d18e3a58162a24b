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
