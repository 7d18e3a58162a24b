"""/cases: create, read, list, edit; the area rules, roles, conflicts and idempotency."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.housing.helpers import (
    API,
    ELSEWHERE,
    NEW_SI_MA_CAI,
    NEW_SIN_CHENG,
    OLD_NAN_SAN,
    admin,
    approver,
    assert_problem,
    client_token,
    create_case,
    days_ago,
    fields_of,
    household,
    move,
    officer,
    viewer,
)

CASES = f"{API}/cases"


def body(**fields: object) -> dict[str, object]:
    return {
        "household_code": household(),
        "head_of_household": "Sùng Seo Dình",
        "commune_code": NEW_SI_MA_CAI,
        "beneficiary_group": "meritorious",
        "support_type": "repair",
    } | fields


async def test_create_answers_the_whole_case(client: httpx.AsyncClient) -> None:
    made = body(village="Sín Chải", notes="roof of leaves", registered_on=days_ago(3))
    answer = await client.post(CASES, json=made, headers=officer(NEW_SI_MA_CAI, subject="mai"))
    assert answer.status_code == 201, answer.text
    case = answer.json()
    assert answer.headers["etag"] == '"1"'
    assert answer.headers["location"] == f"{CASES}/{case['id']}"
    assert case["version"] == 1
    assert case["created_by"] == "person:mai"
    assert case["status"] == "registered"
    assert case["commune_code"] == NEW_SI_MA_CAI
    assert case["legacy_commune_code"] is None and case["legacy_district_code"] is None
    assert case["geography"] == "2025-07"
    assert case["village"] == "Sín Chải" and case["notes"] == "roof of leaves"
    assert case["norm_vnd"] == 30_000_000
    assert case["funding_vnd"] == dict.fromkeys(
        ("central_budget", "local_budget", "mobilised", "household", "loan"), 0
    )
    assert case["total_funding_vnd"] == 0 and case["state_budget_vnd"] == 0
    assert case["completed_on"] is None and case["handed_over_on"] is None
    read = await client.get(f"{CASES}/{case['id']}", headers=viewer(NEW_SI_MA_CAI))
    assert read.status_code == 200
    assert read.json() == case
    assert read.headers["etag"] == '"1"'


async def test_registered_on_defaults_to_today_and_decides_the_geography(
    client: httpx.AsyncClient,
) -> None:
    from mtqg_shared.types import today_vn

    today = await create_case(client)
    assert today["registered_on"] == today_vn().isoformat()
    # A record of a past year is read in the old geography: old commune, old district.
    old = await create_case(client, commune_code=OLD_NAN_SAN, registered_on="2024-05-02")
    assert (old["commune_code"], old["legacy_commune_code"], old["legacy_district_code"]) == (
        NEW_SI_MA_CAI,
        OLD_NAN_SAN,
        "084",
    )
    assert old["geography"] == "2025-01"
    # An explicit geography wins over the date.
    given = await create_case(client, commune_code=OLD_NAN_SAN, geography="2025-01")
    assert given["legacy_commune_code"] == OLD_NAN_SAN
    # 02800 is not a commune of the new geography.
    answer = await client.post(CASES, json=body(commune_code=OLD_NAN_SAN), headers=admin())
    assert fields_of(assert_problem(answer, 422, "validation")) == ["body.commune_code"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"registered_on": "2999-01-01"}, "body.registered_on"),
        ({"commune_code": "99999"}, "body.commune_code"),
        ({"commune_code": "123"}, "body.commune_code"),
        ({"beneficiary_group": "rich"}, "body.beneficiary_group"),
        ({"support_type": "demolish"}, "body.support_type"),
        ({"household_code": "x" * 33}, "body.household_code"),
        ({"household_code": ""}, "body.household_code"),
        ({"head_of_household": "  "}, "body.head_of_household"),
        ({"head_of_household": "a\x00b"}, "body.head_of_household"),
        ({"geography": "2024-01"}, "body.geography"),
        ({"id": "not-a-uuid"}, "body.id"),
        ({"surprise": 1}, "body.surprise"),
    ],
)
async def test_bad_bodies_are_422(
    client: httpx.AsyncClient, change: dict[str, object], field: str
) -> None:
    answer = await client.post(CASES, json=body(**change), headers=admin())
    assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_missing_fields_are_422(client: httpx.AsyncClient) -> None:
    answer = await client.post(CASES, json={"household_code": "H1"}, headers=admin())
    missing = set(fields_of(assert_problem(answer, 422, "validation")))
    assert {"body.head_of_household", "body.commune_code", "body.beneficiary_group"} <= missing


async def test_creating_outside_ones_areas_is_422(client: httpx.AsyncClient) -> None:
    answer = await client.post(CASES, json=body(), headers=officer(ELSEWHERE))
    problem = assert_problem(answer, 422, "validation")
    assert fields_of(problem) == ["body.commune_code"]


async def test_roles_and_scopes(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post(CASES, json=body()), 401, "unauthorized")
    assert_problem(await client.get(CASES), 401, "unauthorized")
    assert_problem(await client.post(CASES, json=body(), headers=viewer()), 403, "forbidden")
    reader = client_token("housing:read")
    assert_problem(await client.post(CASES, json=body(), headers=reader), 403, "forbidden")
    assert (await client.get(CASES, headers=reader)).status_code == 200
    other = client_token("labour:read", "labour:write")
    assert_problem(await client.get(CASES, headers=other), 403, "forbidden")
    writer = client_token("housing:write")
    created = await client.post(CASES, json=body(), headers=writer)
    assert created.status_code == 201
    assert created.json()["created_by"] == "client:system"


async def test_a_client_made_id_is_kept_and_never_reused(client: httpx.AsyncClient) -> None:
    chosen = str(uuid.uuid4())
    first = await create_case(client, id=chosen)
    assert first["id"] == chosen
    again = await client.post(CASES, json=body(id=chosen), headers=admin())
    problem = assert_problem(again, 409, "duplicate")
    assert "existing_id" not in problem
    # Whoever cannot read the first still only learns that there is a conflict.
    hidden = await client.post(
        CASES, json=body(id=chosen, commune_code=ELSEWHERE), headers=officer(ELSEWHERE)
    )
    assert chosen not in assert_problem(hidden, 409, "duplicate")["detail"]


async def test_one_open_case_per_household(client: httpx.AsyncClient) -> None:
    first = await create_case(client, household_code="HH-OPEN")
    again = await client.post(CASES, json=body(household_code="HH-OPEN"), headers=admin())
    assert assert_problem(again, 409, "duplicate")["existing_id"] == first["id"]
    # A caller who cannot read the open case learns only that there is one.
    hidden = await client.post(
        CASES,
        json=body(household_code="HH-OPEN", commune_code=ELSEWHERE),
        headers=officer(ELSEWHERE),
    )
    problem = assert_problem(hidden, 409, "duplicate")
    assert "existing_id" not in problem and first["id"] not in problem["detail"]
    # Once the first case is closed, the household may open another.
    await move(client, first["id"], "cancelled")
    second = await create_case(client, household_code="HH-OPEN")
    await move(client, second["id"], "surveyed", "approved", "in_progress", "completed")
    third = await client.post(CASES, json=body(household_code="HH-OPEN"), headers=admin())
    assert_problem(third, 409, "duplicate")
    await move(client, second["id"], "handed_over")
    await create_case(client, household_code="HH-OPEN")


async def test_idempotent_replay_creates_one_case(client: httpx.AsyncClient) -> None:
    made = body()
    headers = admin() | {"Idempotency-Key": "case-1"}
    first = await client.post(CASES, json=made, headers=headers)
    again = await client.post(CASES, json=made, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    listed = await client.get(
        CASES, params={"household_code": str(made["household_code"])}, headers=admin()
    )
    assert len(listed.json()["items"]) == 1
    other = await client.post(CASES, json=body(), headers=headers)
    assert_problem(other, 422, "idempotency-mismatch")


async def test_reads_outside_the_area_are_404(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    for headers in (officer(ELSEWHERE), viewer(NEW_SIN_CHENG)):
        assert_problem(await client.get(f"{CASES}/{case['id']}", headers=headers), 404, "not-found")
    assert_problem(await client.get(f"{CASES}/{uuid.uuid4()}", headers=admin()), 404, "not-found")
    answer = await client.get(f"{CASES}/nope", headers=admin())
    assert_problem(answer, 422, "validation")


async def test_list_filters_and_area_scope(client: httpx.AsyncClient) -> None:
    old = await create_case(
        client, commune_code=OLD_NAN_SAN, registered_on="2024-04-01", beneficiary_group="poor"
    )
    new = await create_case(client, commune_code=NEW_SI_MA_CAI, support_type="repair")
    sin = await create_case(client, commune_code=NEW_SIN_CHENG, beneficiary_group="near_poor")
    far = await create_case(client, commune_code=ELSEWHERE)
    await move(client, sin["id"], "surveyed")

    async def ids(headers: dict[str, str] | None = None, **params: str) -> list[str]:
        answer = await client.get(CASES, params=params, headers=headers or admin())
        assert answer.status_code == 200, answer.text
        return [c["id"] for c in answer.json()["items"]]

    assert await ids() == [far["id"], sin["id"], new["id"], old["id"]]  # newest first
    assert await ids(area_code="084") == [old["id"]]  # an old unit: records given in it
    assert await ids(area_code=NEW_SI_MA_CAI) == [new["id"], old["id"]]  # a new unit: current
    assert await ids(area_code=OLD_NAN_SAN, geography="2025-01") == [old["id"]]
    assert await ids(status="surveyed") == [sin["id"]]
    assert await ids(beneficiary_group="near_poor") == [sin["id"]]
    assert await ids(support_type="new_build") == [far["id"], sin["id"], old["id"]]
    assert await ids(household_code=new["household_code"]) == [new["id"]]
    # A caller sees only its areas; an area wholly outside them is 404.
    assert await ids(officer(NEW_SIN_CHENG)) == [sin["id"]]
    answer = await client.get(CASES, params={"area_code": "084"}, headers=officer(ELSEWHERE))
    assert_problem(answer, 404, "not-found")
    for params in ({"status": "lost"}, {"area_code": "1"}, {"area_code": "99999"}, {"x": "1"}):
        assert_problem(await client.get(CASES, params=params, headers=admin()), 422, "validation")
    assert_problem(
        await client.get(CASES, params={"geography": "2025-01"}, headers=admin()), 422, "validation"
    )


async def test_list_pages_with_cursors_and_syncs_by_update(client: httpx.AsyncClient) -> None:
    made = [await create_case(client) for _ in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(CASES, params=params, headers=admin())).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [c["id"] for c in reversed(made)]
    # Sync: what changed after a moment, oldest change first.
    mark = made[-1]["updated_at"]
    await move(client, made[0]["id"], "surveyed")
    changed = await client.get(
        CASES, params={"order": "updated", "updated_after": mark}, headers=admin()
    )
    assert [c["id"] for c in changed.json()["items"]] == [made[0]["id"]]
    for bad in ({"limit": "0"}, {"limit": "201"}, {"cursor": "garbage"}):
        assert_problem(await client.get(CASES, params=bad, headers=admin()), 422, "validation")


async def test_patch_needs_if_match_and_bumps_the_version(client: httpx.AsyncClient) -> None:
    case = await create_case(client, village="Old village")
    url = f"{CASES}/{case['id']}"
    change = {"head_of_household": "Lù Thị Mai", "village": None, "notes": "moved in"}
    assert_problem(
        await client.patch(url, json=change, headers=admin()), 428, "precondition-required"
    )
    stale = admin() | {"If-Match": '"7"'}
    assert_problem(await client.patch(url, json=change, headers=stale), 412, "precondition-failed")
    answer = await client.patch(url, json=change, headers=admin() | {"If-Match": '"1"'})
    assert answer.status_code == 200, answer.text
    assert answer.headers["etag"] == '"2"'
    edited = answer.json()
    assert edited["version"] == 2
    assert (edited["head_of_household"], edited["village"], edited["notes"]) == (
        "Lù Thị Mai",
        None,
        "moved in",
    )
    # The old version is stale now.
    assert_problem(
        await client.patch(url, json={"notes": "x"}, headers=admin() | {"If-Match": '"1"'}),
        412,
        "precondition-failed",
    )


async def test_patch_rules(client: httpx.AsyncClient) -> None:
    case = await create_case(client, beneficiary_group="poor", support_type="new_build")
    url = f"{CASES}/{case['id']}"
    v1 = {"If-Match": '"1"'}
    reclassified = await client.patch(
        url, json={"beneficiary_group": "meritorious"}, headers=admin() | v1
    )
    assert reclassified.json()["norm_vnd"] == 60_000_000
    await move(client, case["id"], "surveyed", "approved")
    current = {"If-Match": '"4"'}
    fixed = await client.patch(url, json={"support_type": "repair"}, headers=admin() | current)
    assert_problem(fixed, 409, "invalid-state")
    # Sending the value it already has is no change, so it is allowed.
    same = await client.patch(url, json={"support_type": "new_build"}, headers=admin() | current)
    assert same.status_code == 200 and same.json()["version"] == 4
    for bad, field in (
        ({"head_of_household": None}, "body.head_of_household"),
        ({"status": "completed"}, "body.status"),
        ({"commune_code": ELSEWHERE}, "body.commune_code"),
        ({"beneficiary_group": "rich"}, "body.beneficiary_group"),
    ):
        answer = await client.patch(url, json=bad, headers=admin() | current)
        assert field in fields_of(assert_problem(answer, 422, "validation"))


async def test_patch_access(client: httpx.AsyncClient) -> None:
    case = await create_case(client)
    url = f"{CASES}/{case['id']}"
    v1 = {"If-Match": '"1"'}
    assert_problem(await client.patch(url, json={}, headers=v1), 401, "unauthorized")
    assert_problem(await client.patch(url, json={}, headers=viewer() | v1), 403, "forbidden")
    outside = officer(ELSEWHERE) | v1
    assert_problem(await client.patch(url, json={"notes": "x"}, headers=outside), 404, "not-found")
    mine = officer(NEW_SI_MA_CAI) | v1
    assert (await client.patch(url, json={"notes": "x"}, headers=mine)).status_code == 200


async def test_every_write_is_in_the_audit_log(client: httpx.AsyncClient) -> None:
    created = await client.post(
        CASES, json=body(household_code="HH-AUDIT"), headers=officer(subject="lan")
    )
    case = created.json()
    await client.patch(
        f"{CASES}/{case['id']}",
        json={"notes": "checked"},
        headers=officer(subject="lan") | {"If-Match": '"1"'},
    )
    await move(client, case["id"], "surveyed", headers=officer(subject="lan"))
    await move(client, case["id"], "approved", headers=approver(subject="hoa"))
    answer = await client.get(
        f"{API}/audit", params={"entity_type": "case", "entity_id": case["id"]}, headers=admin()
    )
    rows = answer.json()["items"]
    assert [(r["action"], r["actor"]) for r in rows] == [
        ("transition", "person:hoa"),
        ("transition", "person:lan"),
        ("update", "person:lan"),
        ("create", "person:lan"),
    ]
    assert rows[3]["changes"]["household_code"] == [None, "HH-AUDIT"]
    assert rows[3]["request_id"] == created.headers["x-request-id"]
    assert rows[2]["changes"] == {"notes": [None, "checked"]}
    assert rows[0]["changes"]["status"] == ["surveyed", "approved"]
    # An admin of another commune does not read this trail.
    elsewhere = await client.get(
        f"{API}/audit", params={"entity_type": "case"}, headers=admin(areas=[ELSEWHERE])
    )
    assert elsewhere.json()["items"] == []
