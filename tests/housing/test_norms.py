"""/norms: the shipped defaults, dated changes by province admins, and norm_vnd on cases."""

from __future__ import annotations

import httpx

from housing.domain.norms import DEFAULT_NORMS
from tests.housing.helpers import (
    API,
    NEW_SI_MA_CAI,
    admin,
    assert_problem,
    client_token,
    create_case,
    fields_of,
    officer,
    viewer,
)

NORMS = f"{API}/norms"


async def test_the_defaults_are_shipped(client: httpx.AsyncClient) -> None:
    answer = await client.get(NORMS, params={"limit": 50}, headers=viewer(NEW_SI_MA_CAI))
    items = answer.json()["items"]
    assert {(n["beneficiary_group"], n["support_type"], n["amount_vnd"]) for n in items} == {
        (n.beneficiary_group, n.support_type, n.amount_vnd) for n in DEFAULT_NORMS
    }
    assert all(n["valid_until"] is None for n in items)
    poor = await client.get(
        NORMS, params={"beneficiary_group": "poor", "support_type": "repair"}, headers=admin()
    )
    assert [n["amount_vnd"] for n in poor.json()["items"]] == [20_000_000]
    assert_problem(await client.get(NORMS), 401, "unauthorized")
    assert_problem(
        await client.get(NORMS, params={"beneficiary_group": "x"}, headers=admin()),
        422,
        "validation",
    )


async def test_a_dated_change_applies_from_its_date(client: httpx.AsyncClient) -> None:
    before = await create_case(client, registered_on="2024-12-31", commune_code="02800")
    after = await create_case(client, registered_on="2025-01-01", commune_code="02800")
    url = f"{NORMS}/poor/new_build"
    answer = await client.put(
        url,
        json={"amount_vnd": 45_000_000, "valid_from": "2025-01-01", "basis": "Decision 99"},
        headers=admin(),
    )
    assert answer.status_code == 201, answer.text
    norm = answer.json()
    assert (norm["amount_vnd"], norm["valid_from"], norm["basis"]) == (
        45_000_000,
        "2025-01-01",
        "Decision 99",
    )
    assert answer.headers["etag"] == '"1"'

    async def norm_of(case: dict[str, str]) -> int:
        read = await client.get(f"{API}/cases/{case['id']}", headers=admin())
        return int(read.json()["norm_vnd"])

    assert await norm_of(before) == 40_000_000
    assert await norm_of(after) == 45_000_000
    listed = await client.get(
        NORMS, params={"beneficiary_group": "poor", "support_type": "new_build"}, headers=admin()
    )
    until = {n["valid_from"]: n["valid_until"] for n in listed.json()["items"]}
    assert until == {"2000-01-01": "2024-12-31", "2025-01-01": None}
    # The same date again replaces the amount (200); a stale If-Match is refused.
    again = await client.put(
        url, json={"amount_vnd": 46_000_000, "valid_from": "2025-01-01"}, headers=admin()
    )
    assert again.status_code == 200 and again.json()["version"] == 2
    assert again.json()["basis"] == "Decision 99"
    assert await norm_of(after) == 46_000_000
    stale = await client.put(
        url,
        json={"amount_vnd": 1, "valid_from": "2025-01-01"},
        headers=admin() | {"If-Match": '"1"'},
    )
    assert_problem(stale, 412, "precondition-failed")
    audit = await client.get(
        f"{API}/audit", params={"entity_type": "norm", "entity_id": norm["id"]}, headers=admin()
    )
    assert [r["action"] for r in audit.json()["items"]] == ["update", "create"]
    assert audit.json()["items"][0]["changes"] == {"amount_vnd": [45_000_000, 46_000_000]}
    # Every admin can read the trail of a norm: it binds every commune.
    local = await client.get(
        f"{API}/audit", params={"entity_type": "norm"}, headers=admin(areas=[NEW_SI_MA_CAI])
    )
    assert len(local.json()["items"]) == 2


async def test_only_province_admins_set_norms(client: httpx.AsyncClient) -> None:
    url = f"{NORMS}/meritorious/repair"
    body = {"amount_vnd": 1, "valid_from": "2025-01-01"}
    assert_problem(await client.put(url, json=body), 401, "unauthorized")
    for headers in (
        officer(),
        support_approver(),
        client_token("housing:write"),
        admin(areas=[NEW_SI_MA_CAI]),
    ):
        assert_problem(await client.put(url, json=body, headers=headers), 403, "forbidden")


def support_approver() -> dict[str, str]:
    from tests.housing.helpers import approver

    return approver()


async def test_bad_norms_are_422(client: httpx.AsyncClient) -> None:
    for path, body, field in (
        ("rich/repair", {"amount_vnd": 1, "valid_from": "2025-01-01"}, "path.beneficiary_group"),
        ("poor/paint", {"amount_vnd": 1, "valid_from": "2025-01-01"}, "path.support_type"),
        ("poor/repair", {"amount_vnd": -1, "valid_from": "2025-01-01"}, "body.amount_vnd"),
        ("poor/repair", {"amount_vnd": 1.0, "valid_from": "2025-01-01"}, "body.amount_vnd"),
        ("poor/repair", {"amount_vnd": 1}, "body.valid_from"),
        ("poor/repair", {"amount_vnd": 1, "valid_from": "2025-01-01", "x": 1}, "body.x"),
    ):
        answer = await client.put(f"{NORMS}/{path}", json=body, headers=admin())
        assert field in fields_of(assert_problem(answer, 422, "validation"))
