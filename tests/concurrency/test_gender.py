"""Gender under N concurrent writers: one If-Match, one winner, for each resource that is
changed; a spending entry is reversed once however many reversals race; racing entries all
land once."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.concurrency.helpers import N, items, one_patch_wins, problem_types, race, statuses, won
from tests.gender.helpers import (
    API,
    admin,
    create_activity,
    create_material,
    create_model,
    spend,
    spending_body,
)

AUDIT = f"{API}/audit"
ADMIN = admin()
SPENDING = f"{API}/spending"


@pytest.fixture(scope="module")
def service() -> str:
    return "gender"


async def test_one_of_n_model_edits_wins(client: httpx.AsyncClient) -> None:
    model = await create_model(client)
    await one_patch_wins(
        client,
        f"{API}/models/{model['id']}",
        audit=AUDIT,
        entity_type="model",
        field="members",
        values=[20 + i for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_activity_edits_wins(client: httpx.AsyncClient) -> None:
    activity = await create_activity(client)
    await one_patch_wins(
        client,
        f"{API}/activities/{activity['id']}",
        audit=AUDIT,
        entity_type="activity",
        field="participants",
        values=[100 + i for i in range(N)],
        headers=ADMIN,
    )


async def test_one_of_n_material_edits_wins(client: httpx.AsyncClient) -> None:
    material = await create_material(client)
    await one_patch_wins(
        client,
        f"{API}/materials/{material['id']}",
        audit=AUDIT,
        entity_type="material",
        field="published_on",
        values=[f"2025-07-{1 + i:02d}" for i in range(N)],  # never its own 2025-08-20
        headers=ADMIN,
    )


async def test_one_of_n_reversals_of_an_entry_is_made(client: httpx.AsyncClient) -> None:
    kept = await spend(client, amount_vnd=12_000_000)
    wrong = await spend(client, amount_vnd=45_000_000, source="local_budget")

    answers = await race(
        lambda i: client.post(
            SPENDING,
            json={"reverses": wrong["id"], "on": "2025-10-01", "note": f"entered twice ({i})"},
            headers=ADMIN,
        )
    )

    assert statuses(answers) == {201: 1, 409: N - 1}
    assert problem_types(answers, 409) == {"/problems/duplicate"}
    [winner] = won(answers, 201)
    listed = await items(client, SPENDING, ADMIN)
    reversals = [e for e in listed if e["reverses"] == wrong["id"]]
    assert [e["id"] for e in reversals] == [answers[winner].json()["id"]]
    assert (reversals[0]["amount_vnd"], reversals[0]["source"]) == (-45_000_000, "local_budget")
    assert sum(e["amount_vnd"] for e in listed) == kept["amount_vnd"]


async def test_racing_entries_all_land_once(client: httpx.AsyncClient) -> None:
    ids = [str(uuid.uuid4()) for _ in range(N)]
    amounts = [1_000_000 + 7 * i for i in range(N)]

    answers = await race(
        lambda i: client.post(
            SPENDING, json=spending_body(id=ids[i], amount_vnd=amounts[i]), headers=ADMIN
        )
    )

    assert statuses(answers) == {201: N}
    listed = await items(client, SPENDING, ADMIN)
    mine = {e["id"]: e["amount_vnd"] for e in listed if e["id"] in set(ids)}
    assert mine == dict(zip(ids, amounts, strict=True))
