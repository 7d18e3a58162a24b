"""Protection cases under N concurrent writers: one If-Match, one winner for a change; one
status step taken however many race from the same status."""

from __future__ import annotations

import httpx
import pytest

from tests.concurrency.helpers import N, one_patch_wins, one_step_wins
from tests.gender.helpers import API
from tests.gender.test_cases import holder, make

# A protection holder who is also an admin: it reads the case and its audit values.
HOLDER = holder(role="admin", subject="protection-admin")


@pytest.fixture(scope="module")
def service() -> str:
    return "gender"


async def test_one_of_n_case_edits_wins(client: httpx.AsyncClient) -> None:
    case = await make(client, HOLDER)
    await one_patch_wins(
        client,
        f"{API}/cases/{case['id']}",
        audit=f"{API}/audit",
        entity_type="case",
        field="victim_age",
        values=[20 + i for i in range(N)],  # never its own 15
        headers=HOLDER,
    )


async def test_one_of_n_case_steps_is_taken(client: httpx.AsyncClient) -> None:
    case = await make(client, HOLDER)
    after = await one_step_wins(client, f"{API}/cases/{case['id']}", {"to": "verified"}, HOLDER)
    assert (after["status"], after["outcome"]) == ("verified", None)
    closed = await one_step_wins(
        client, f"{API}/cases/{case['id']}", {"to": "closed", "outcome": "prevented"}, HOLDER
    )
    assert (closed["status"], closed["outcome"]) == ("closed", "prevented")
