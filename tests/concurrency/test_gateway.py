"""The gateway's own PATCHes (people and system clients) under N concurrent writers."""

from __future__ import annotations

import httpx
import pytest

from tests.concurrency.helpers import N, one_patch_wins
from tests.gateway.helpers import admin_auth, create_client, create_user

AUTH = "/api/v1/auth"
AUDIT = f"{AUTH}/audit"


@pytest.fixture(scope="module")
def service() -> str:
    return "gateway"


async def test_one_of_n_edits_of_a_person_wins(client: httpx.AsyncClient) -> None:
    await create_user(client, "officer.bacha")
    await one_patch_wins(
        client,
        f"{AUTH}/users/officer.bacha",
        audit=AUDIT,
        entity_type="user",
        field="full_name",
        values=[f"Lù Văn Sáng {i}" for i in range(N)],
        headers=admin_auth(),
    )


async def test_one_of_n_edits_of_a_system_client_wins(client: httpx.AsyncClient) -> None:
    made = await create_client(client)
    await one_patch_wins(
        client,
        f"{AUTH}/clients/{made['client_id']}",
        audit=AUDIT,
        entity_type="client",
        field="name",
        values=[f"Provincial statistics {i}" for i in range(N)],
        headers=admin_auth(),
    )
