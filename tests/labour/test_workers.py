"""/api/v1/labour/workers: registration, the identity-number rules, reads, lists, edits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests import support
from tests.labour.helpers import (
    ADMIN,
    AWAY_OFFICER,
    CLIENT_READ,
    CLIENT_WRITE,
    HOME,
    HOME_OFFICER,
    HOUSING_CLIENT,
    LA_PAN_TAN,
    MUONG_KHUONG,
    NEIGHBOUR,
    NEIGHBOUR_OLD,
    OFFICER,
    VIEWER,
    P,
    assert_problem,
    audit_of,
    error_fields,
    make_worker,
    national_id,
    new_id,
    worker_body,
)

W = f"{P}/workers"


async def test_register_a_worker(client: httpx.AsyncClient) -> None:
    body = worker_body()
    answer = await client.post(W, json=body, headers=OFFICER)
    assert answer.status_code == 201, answer.text
    worker = answer.json()
    assert answer.headers["etag"] == '"1"'
    assert answer.headers["location"] == f"{W}/{worker['id']}"
    # Given in the old geography: placed in new Cao Sơn, with the old units kept.
    assert worker["commune_code"] == HOME
    assert worker["legacy_commune_code"] == LA_PAN_TAN
    assert worker["legacy_district_code"] == MUONG_KHUONG
    assert worker["national_id"] == body["national_id"]  # officers see it in full
    assert worker["created_by"] == "person:officer"
    assert worker["version"] == 1
    assert worker["remittances_vnd"] == 0
    for name in ("full_name", "date_of_birth", "gender", "household_code", "household_poverty"):
        assert worker[name] == body[name]
    read = await client.get(f"{W}/{worker['id']}", headers=OFFICER)
    assert read.json() == worker
    assert read.headers["etag"] == '"1"'


async def test_a_worker_without_geography_is_read_in_the_new_units(
    client: httpx.AsyncClient,
) -> None:
    worker = await make_worker(client, commune_code=HOME, geography=None)
    assert (worker["commune_code"], worker["legacy_commune_code"]) == (HOME, None)
    # La Pan Tẩn no longer exists in 2025-07.
    answer = await client.post(
        W, json=worker_body(commune_code=LA_PAN_TAN, geography=None), headers=ADMIN
    )
    assert_problem(answer, 422, "validation")
    assert error_fields(answer) == {"body.commune_code"}


async def test_client_made_id_and_duplicate_id(client: httpx.AsyncClient) -> None:
    chosen = new_id()
    worker = await make_worker(client, id=chosen)
    assert worker["id"] == chosen
    again = await client.post(W, json=worker_body(id=chosen), headers=ADMIN)
    body = assert_problem(again, 409, "duplicate")
    assert chosen not in body["detail"]


async def test_identity_number_is_unique_and_never_echoed(client: httpx.AsyncClient) -> None:
    first = await make_worker(client)
    taken = first["national_id"]
    answer = await client.post(W, json=worker_body(national_id=taken), headers=ADMIN)
    assert_problem(answer, 409, "duplicate")
    assert taken not in answer.text
    assert first["id"] not in answer.text


@pytest.mark.parametrize(
    "bad", ["01234567890", "0123456789012", "01234567890a", "0123 4567 890", 12345678901]
)
async def test_identity_number_must_be_twelve_digits(
    client: httpx.AsyncClient, bad: object
) -> None:
    answer = await client.post(W, json=worker_body(national_id=bad), headers=ADMIN)
    assert_problem(answer, 422, "validation")
    assert error_fields(answer) == {"body.national_id"}
    assert str(bad) not in answer.text


async def test_worker_must_be_fifteen(client: httpx.AsyncClient) -> None:
    today = today_vn()
    fourteen = today.replace(year=today.year - 15) + dt.timedelta(days=1)
    answer = await client.post(
        W, json=worker_body(date_of_birth=fourteen.isoformat()), headers=ADMIN
    )
    assert_problem(answer, 422, "validation")
    assert error_fields(answer) == {"body.date_of_birth"}
    fifteen = fourteen - dt.timedelta(days=1)
    ok = await client.post(W, json=worker_body(date_of_birth=fifteen.isoformat()), headers=ADMIN)
    assert ok.status_code == 201, ok.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_of_birth", "04/03/1998"),
        ("date_of_birth", 889000000),
        ("date_of_birth", "1998-03-04T00:00:00"),
        ("gender", "other"),
        ("household_poverty", "rich"),
        ("commune_code", "2791"),
        ("commune_code", "99999"),
        ("geography", "2024-01"),
        ("full_name", ""),
        ("full_name", "x" * 201),
        ("full_name", "Vàng\x00Dìn"),
        ("phone", "call me"),
        ("nickname", "Dìn"),
    ],
)
async def test_bad_worker_fields_are_422(
    client: httpx.AsyncClient, field: str, value: object
) -> None:
    answer = await client.post(W, json=worker_body(**{field: value}), headers=ADMIN)
    assert_problem(answer, 422, "validation")
    assert f"body.{field}" in error_fields(answer)


async def test_creating_outside_ones_areas_is_422(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        W, json=worker_body(commune_code=NEIGHBOUR, geography="2025-07"), headers=HOME_OFFICER
    )
    assert_problem(answer, 422, "validation")
    assert error_fields(answer) == {"body.commune_code"}
    ok = await client.post(W, json=worker_body(), headers=HOME_OFFICER)
    assert ok.status_code == 201


async def test_roles_and_scopes(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post(W, json=worker_body()), 401, "unauthorized")
    assert_problem(await client.get(W), 401, "unauthorized")
    assert_problem(await client.post(W, json=worker_body(), headers=VIEWER), 403, "forbidden")
    assert_problem(await client.post(W, json=worker_body(), headers=CLIENT_READ), 403, "forbidden")
    assert_problem(await client.get(W, headers=HOUSING_CLIENT), 403, "forbidden")
    made = await client.post(W, json=worker_body(), headers=CLIENT_WRITE)
    assert made.status_code == 201
    assert made.json()["national_id"].startswith("********")  # clients never see it whole
    assert (await client.get(W, headers=CLIENT_READ)).status_code == 200


async def test_unknown_and_unreadable_workers_are_404(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    assert_problem(await client.get(f"{W}/{new_id()}", headers=ADMIN), 404, "not-found")
    assert_problem(await client.get(f"{W}/{worker['id']}", headers=AWAY_OFFICER), 404, "not-found")
    patch = await client.patch(
        f"{W}/{worker['id']}", json={"village": "x"}, headers=AWAY_OFFICER | {"If-Match": '"1"'}
    )
    assert_problem(patch, 404, "not-found")
    assert_problem(await client.get(f"{W}/not-a-uuid", headers=ADMIN), 422, "validation")


async def test_list_filters(client: httpx.AsyncClient) -> None:
    din = await make_worker(client, household_code="LPT-7", household_poverty="near_poor")
    other = await make_worker(
        client,
        full_name="Lù Thị Mai",
        gender="female",
        household_code="MK-1",
        commune_code=NEIGHBOUR_OLD,
    )
    new_units = await make_worker(
        client, full_name="Giàng A Páo", commune_code=HOME, geography="2025-07"
    )

    async def ids(**params: Any) -> set[str]:
        answer = await client.get(W, params=params, headers=ADMIN)
        assert answer.status_code == 200, answer.text
        return {w["id"] for w in answer.json()["items"]}

    assert {din["id"], other["id"], new_units["id"]} <= await ids()
    assert await ids(household_code="LPT-7") == {din["id"]}
    assert await ids(national_id=other["national_id"]) == {other["id"]}
    assert await ids(q="VÀNG SEO") == {din["id"]}
    assert await ids(q="thị mai") == {other["id"]}
    assert await ids(q="%") == set()  # a wildcard is searched for literally
    assert await ids(q="thị_mai") == set()  # `_` too: it stands for no space
    assert await ids(q="thị/mai") == set()  # and the escape character is plain text
    assert await ids(household_poverty="near_poor") == {din["id"]}
    # Old units count what was given in them; new units count by current commune.
    assert await ids(area_code=LA_PAN_TAN, geography="2025-01") == {din["id"]}
    assert await ids(area_code=MUONG_KHUONG) == {din["id"], other["id"]}
    assert await ids(area_code=HOME) == {din["id"], new_units["id"]}
    assert await ids(area_code=NEIGHBOUR) == {other["id"]}
    # A caller sees only its own areas.
    home = await client.get(W, headers=HOME_OFFICER)
    assert {w["id"] for w in home.json()["items"]} == {din["id"], new_units["id"]}
    assert_problem(
        await client.get(W, params={"area_code": NEIGHBOUR}, headers=HOME_OFFICER),
        404,
        "not-found",
    )


async def test_bad_list_parameters_are_422(client: httpx.AsyncClient) -> None:
    for params in (
        {"national_id": "123"},
        {"area_code": "1"},
        {"area_code": "99999"},
        {"geography": "2025-01"},  # geography qualifies an area_code
        {"limit": 0},
        {"limit": 201},
        {"cursor": "garbage"},
        {"q": ""},
        {"colour": "red"},
    ):
        answer = await client.get(W, params=params, headers=ADMIN)
        assert_problem(answer, 422, "validation")


async def test_keyset_pages_and_sync_order(client: httpx.AsyncClient) -> None:
    made = [await make_worker(client, household_code="PAGE") for _ in range(3)]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"household_code": "PAGE", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(W, params=params, headers=ADMIN)).json()
        seen += [w["id"] for w in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [w["id"] for w in reversed(made)]  # newest first
    first = made[0]
    patched = await client.patch(
        f"{W}/{first['id']}", json={"village": "Thôn Mới"}, headers=ADMIN | {"If-Match": '"1"'}
    )
    assert patched.status_code == 200
    synced = await client.get(
        W,
        params={
            "household_code": "PAGE",
            "order": "updated",
            "updated_after": made[2]["updated_at"],
        },
        headers=ADMIN,
    )
    assert [w["id"] for w in synced.json()["items"]] == [first["id"]]


async def test_edit_a_worker(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    url = f"{W}/{worker['id']}"
    assert_problem(
        await client.patch(url, json={"village": "Thôn Mới"}, headers=ADMIN),
        428,
        "precondition-required",
    )
    assert_problem(
        await client.patch(url, json={"village": "Thôn Mới"}, headers=ADMIN | {"If-Match": '"7"'}),
        412,
        "precondition-failed",
    )
    answer = await client.patch(
        url,
        json={"village": "Thôn Mới", "household_poverty": "escaped", "phone": None},
        headers=ADMIN | {"If-Match": '"1"'},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["etag"] == '"2"'
    changed = answer.json()
    assert (changed["village"], changed["household_poverty"], changed["phone"]) == (
        "Thôn Mới",
        "escaped",
        None,
    )
    assert changed["version"] == 2
    # Required fields cannot be cleared; unknown fields are refused.
    for body in ({"full_name": None}, {"national_id": None}, {"shoe_size": 42}):
        bad = await client.patch(url, json=body, headers=ADMIN | {"If-Match": '"2"'})
        assert_problem(bad, 422, "validation")
    assert_problem(
        await client.patch(url, json={"village": "x"}, headers=VIEWER | {"If-Match": '"2"'}),
        403,
        "forbidden",
    )


async def test_moving_a_worker(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client, headers=HOME_OFFICER)
    url = f"{W}/{worker['id']}"
    away = await client.patch(
        url,
        json={"commune_code": NEIGHBOUR, "geography": "2025-07"},
        headers=HOME_OFFICER | {"If-Match": '"1"'},
    )
    assert_problem(away, 422, "validation")
    assert error_fields(away) == {"body.commune_code"}
    moved = await client.patch(
        url,
        json={"commune_code": NEIGHBOUR, "geography": "2025-07"},
        headers=ADMIN | {"If-Match": '"1"'},
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["commune_code"], moved.json()["legacy_commune_code"]) == (NEIGHBOUR, None)
    # Now outside the home officer's areas: as if it did not exist.
    assert_problem(await client.get(url, headers=HOME_OFFICER), 404, "not-found")


async def test_changing_to_a_taken_identity_number_is_409(client: httpx.AsyncClient) -> None:
    first = await make_worker(client)
    second = await make_worker(client)
    answer = await client.patch(
        f"{W}/{second['id']}",
        json={"national_id": first["national_id"]},
        headers=ADMIN | {"If-Match": '"1"'},
    )
    assert_problem(answer, 409, "duplicate")
    assert first["national_id"] not in answer.text
    fresh = national_id()
    ok = await client.patch(
        f"{W}/{second['id']}", json={"national_id": fresh}, headers=ADMIN | {"If-Match": '"1"'}
    )
    assert ok.json()["national_id"] == fresh


async def test_idempotent_replay_of_a_create(client: httpx.AsyncClient) -> None:
    body = worker_body()
    headers = OFFICER | {"Idempotency-Key": "worker-1"}
    first = await client.post(W, json=body, headers=headers)
    again = await client.post(W, json=body, headers=headers)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    listed = await client.get(W, params={"national_id": body["national_id"]}, headers=ADMIN)
    assert len(listed.json()["items"]) == 1
    other = await client.post(W, json=worker_body(), headers=headers)
    assert_problem(other, 422, "idempotency-mismatch")


async def test_audit_trail_masks_personal_numbers(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client, headers=OFFICER)
    await client.patch(
        f"{W}/{worker['id']}",
        json={"phone": "0987654321", "full_name": "Vàng Seo Dìn B"},
        headers=OFFICER | {"If-Match": '"1"'},
    )
    trail = await audit_of(client, "worker", worker["id"])
    assert [row["action"] for row in trail] == ["update", "create"]
    assert all(row["actor"] == "person:officer" for row in trail)
    update, create = trail
    assert update["changes"]["full_name"] == ["Vàng Seo Dìn", "Vàng Seo Dìn B"]
    assert update["changes"]["phone"] == ["*******678", "*******321"]
    assert create["changes"]["national_id"] == [None, "********" + worker["national_id"][-4:]]
    assert worker["national_id"] not in str(trail)
    # An admin of another commune does not read this trail.
    away = await client.get(
        f"{P}/audit",
        params={"entity_type": "worker", "entity_id": worker["id"]},
        headers=support.auth(roles=["admin"], areas=[NEIGHBOUR]),
    )
    assert away.json()["items"] == []
