"""/api/v1/labour/placements: registration, one active placement per worker, edits, and the
status path with its dated steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests.labour.helpers import (
    ADMIN,
    AWAY_OFFICER,
    CLIENT_READ,
    CLIENT_WRITE,
    HOME,
    HOME_OFFICER,
    LA_PAN_TAN,
    OFFICER,
    VIEWER,
    P,
    advance,
    assert_problem,
    audit_of,
    departed_placement,
    error_fields,
    make_partner,
    make_placement,
    make_worker,
    move,
    new_id,
)

PL = f"{P}/placements"


async def test_register_a_placement(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    partner = await make_partner(client, name="Cema", kind="licensed_company")
    answer = await client.post(
        PL,
        json={
            "worker_id": worker["id"],
            "destination_country": "tw",
            "scheme": "contract",
            "partner_id": partner["id"],
            "employer": "Formosa",
            "contract_months": 36,
            "monthly_salary_vnd": 35_000_000,
            "registered_on": "2023-09-01",
        },
        headers=OFFICER,
    )
    assert answer.status_code == 201, answer.text
    placement = answer.json()
    assert answer.headers["etag"] == '"1"'
    assert placement["destination_country"] == "TW"
    assert placement["status"] == "registered"
    assert placement["remittances_vnd"] == 0
    # A placement lies where its worker lives.
    assert (placement["commune_code"], placement["legacy_commune_code"]) == (HOME, LA_PAN_TAN)
    read = await client.get(f"{PL}/{placement['id']}", headers=VIEWER)
    assert read.json() == placement
    steps = (await client.get(f"{PL}/{placement['id']}/transitions", headers=VIEWER)).json()
    (first,) = steps["items"]
    assert (first["from"], first["to"], first["on"], first["seq"]) == (
        None,
        "registered",
        "2023-09-01",
        1,
    )


async def test_registered_on_defaults_to_today(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"], registered_on=None)
    assert placement["registered_on"] == today_vn().isoformat()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("destination_country", "XX"),
        ("destination_country", "VN"),
        ("destination_country", "TWN"),
        ("scheme", "tourist"),
        ("contract_months", 0),
        ("contract_months", "12"),
        ("monthly_salary_vnd", 35_000_000.5),
        ("monthly_salary_vnd", "35000000"),
        ("monthly_salary_vnd", -1),
        ("monthly_salary_vnd", 10**15 + 1),
        ("registered_on", "2023-02-30"),
        ("partner_id", "f2b2fd48-7c2f-4cbb-9b66-4a4b4b8a0e7c"),
        ("worker_id", "f2b2fd48-7c2f-4cbb-9b66-4a4b4b8a0e7c"),
        ("bonus", 1),
    ],
)
async def test_bad_placement_fields_are_422(
    client: httpx.AsyncClient, field: str, value: object
) -> None:
    worker = await make_worker(client)
    body = {"worker_id": worker["id"], "destination_country": "KR", "scheme": "eps", field: value}
    answer = await client.post(PL, json=body, headers=ADMIN)
    assert_problem(answer, 422, "validation")
    assert f"body.{field}" in error_fields(answer)


async def test_future_registration_is_422(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    tomorrow = (today_vn() + dt.timedelta(days=1)).isoformat()
    answer = await client.post(
        PL,
        json={
            "worker_id": worker["id"],
            "destination_country": "KR",
            "scheme": "eps",
            "registered_on": tomorrow,
        },
        headers=ADMIN,
    )
    assert error_fields(answer) == {"body.registered_on"}


async def test_one_active_placement_per_worker(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    first = await make_placement(client, worker["id"])
    second = await client.post(
        PL,
        json={"worker_id": worker["id"], "destination_country": "JP", "scheme": "titp"},
        headers=ADMIN,
    )
    body = assert_problem(second, 409, "duplicate")
    assert body["existing_id"] == first["id"]
    # Once withdrawn, the worker may be placed again.
    assert (await move(client, first["id"], "withdrawn", note="Chose Japan")).status_code == 201
    again = await make_placement(client, worker["id"], destination_country="JP", scheme="titp")
    assert again["status"] == "registered"


async def test_duplicate_client_id_is_409(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    chosen = new_id()
    await make_placement(client, worker["id"], id=chosen)
    other = await make_worker(client)
    answer = await client.post(
        PL,
        json={"id": chosen, "worker_id": other["id"], "destination_country": "KR", "scheme": "eps"},
        headers=ADMIN,
    )
    assert_problem(answer, 409, "duplicate")


async def test_placements_follow_their_workers_areas(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"])
    url = f"{PL}/{placement['id']}"
    assert_problem(await client.get(url, headers=AWAY_OFFICER), 404, "not-found")
    assert_problem(
        await client.patch(url, json={"notes": "x"}, headers=AWAY_OFFICER | {"If-Match": '"1"'}),
        404,
        "not-found",
    )
    assert_problem(
        await move(client, placement["id"], "training", headers=AWAY_OFFICER), 404, "not-found"
    )
    assert_problem(await client.get(f"{url}/transitions", headers=AWAY_OFFICER), 404, "not-found")
    # A worker the caller cannot read is no reference at all (422, same as unknown).
    answer = await client.post(
        PL,
        json={"worker_id": worker["id"], "destination_country": "KR", "scheme": "eps"},
        headers=AWAY_OFFICER,
    )
    assert_problem(answer, 422, "validation")
    assert error_fields(answer) == {"body.worker_id"}
    assert (await client.get(url, headers=HOME_OFFICER)).status_code == 200
    assert_problem(await client.get(f"{PL}/{new_id()}", headers=ADMIN), 404, "not-found")


async def test_roles_and_scopes(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    body = {"worker_id": worker["id"], "destination_country": "KR", "scheme": "eps"}
    assert_problem(await client.post(PL, json=body), 401, "unauthorized")
    assert_problem(await client.post(PL, json=body, headers=VIEWER), 403, "forbidden")
    assert_problem(await client.post(PL, json=body, headers=CLIENT_READ), 403, "forbidden")
    made = await client.post(PL, json=body, headers=CLIENT_WRITE)
    assert made.status_code == 201
    assert_problem(
        await move(client, made.json()["id"], "training", headers=VIEWER), 403, "forbidden"
    )
    assert (
        await move(client, made.json()["id"], "training", headers=CLIENT_WRITE)
    ).status_code == 201


async def test_list_filters(client: httpx.AsyncClient) -> None:
    taiwan_worker = await make_worker(client, household_code="H-1")
    korea_worker = await make_worker(
        client, household_code="H-2", commune_code=HOME, geography="2025-07"
    )
    taiwan = await make_placement(client, taiwan_worker["id"])
    korea = await make_placement(client, korea_worker["id"], destination_country="KR", scheme="eps")
    await advance(client, korea["id"], {"training": "2023-10-01"})

    async def ids(**params: Any) -> list[str]:
        answer = await client.get(PL, params=params, headers=VIEWER)
        assert answer.status_code == 200, answer.text
        return [p["id"] for p in answer.json()["items"]]

    assert await ids() == [korea["id"], taiwan["id"]]
    assert await ids(destination_country="kr") == [korea["id"]]
    assert await ids(status="training") == [korea["id"]]
    assert await ids(scheme="contract") == [taiwan["id"]]
    assert await ids(worker_id=taiwan_worker["id"]) == [taiwan["id"]]
    assert await ids(household_code="H-2") == [korea["id"]]
    assert await ids(area_code=LA_PAN_TAN, geography="2025-01") == [taiwan["id"]]
    assert await ids(area_code=HOME) == [korea["id"], taiwan["id"]]
    assert await ids(limit=1) == [korea["id"]]
    assert_problem(
        await client.get(PL, params={"status": "lost"}, headers=VIEWER), 422, "validation"
    )


async def test_edit_a_placement(client: httpx.AsyncClient) -> None:
    _worker, placement = await departed_placement(client)
    url = f"{PL}/{placement['id']}"
    version = (await client.get(url, headers=ADMIN)).headers["etag"]
    assert_problem(
        await client.patch(url, json={"employer": "Foxconn"}, headers=ADMIN),
        428,
        "precondition-required",
    )
    assert_problem(
        await client.patch(url, json={"employer": "Foxconn"}, headers=ADMIN | {"If-Match": '"1"'}),
        412,
        "precondition-failed",
    )
    answer = await client.patch(
        url,
        json={"employer": "Foxconn", "monthly_salary_vnd": 38_000_000},
        headers=ADMIN | {"If-Match": version},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["employer"] == "Foxconn"
    assert answer.json()["monthly_salary_vnd"] == 38_000_000
    current = answer.headers["etag"]
    # Country and scheme are fixed once the worker has left.
    moved = await client.patch(
        url, json={"destination_country": "JP"}, headers=ADMIN | {"If-Match": current}
    )
    assert_problem(moved, 409, "invalid-state")
    assert_problem(
        await client.patch(url, json={"scheme": None}, headers=ADMIN | {"If-Match": current}),
        422,
        "validation",
    )
    trail = await audit_of(client, "placement", placement["id"])
    assert trail[0]["action"] == "update"
    assert trail[0]["changes"]["employer"] == ["Formosa Plastics", "Foxconn"]


async def test_country_may_change_before_departure(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"])
    answer = await client.patch(
        f"{PL}/{placement['id']}",
        json={"destination_country": "JP", "scheme": "titp"},
        headers=ADMIN | {"If-Match": '"1"'},
    )
    assert answer.status_code == 200
    assert (answer.json()["destination_country"], answer.json()["scheme"]) == ("JP", "titp")


async def test_the_whole_path_with_dated_steps(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"])
    dates = {
        "training": "2023-10-01",
        "documents": "2023-12-01",
        "departed": "2024-02-10",
        "working": "2024-02-20",
        "broke_contract": "2024-09-01",
        "returned": "2024-10-05",
    }
    for to, on in dates.items():
        answer = await move(client, placement["id"], to, on, headers=OFFICER)
        assert answer.status_code == 201, answer.text
        assert answer.json()["to"] == to
        assert answer.json()["actor"] == "person:officer"
    read = (await client.get(f"{PL}/{placement['id']}", headers=ADMIN)).json()
    assert read["status"] == "returned"
    assert (read["departed_on"], read["returned_on"]) == ("2024-02-10", "2024-10-05")
    assert read["version"] == 1 + len(dates)
    steps = (await client.get(f"{PL}/{placement['id']}/transitions", headers=ADMIN)).json()
    path = [(s["from"], s["to"], s["on"]) for s in reversed(steps["items"])]
    assert path[0] == (None, "registered", "2023-09-01")
    assert [p[1] for p in path[1:]] == list(dates)
    assert [s["seq"] for s in steps["items"]] == list(range(len(dates) + 1, 0, -1))
    # Closed: nothing moves any more, and the worker may be placed again.
    assert_problem(await move(client, placement["id"], "working"), 409, "invalid-state")
    await make_placement(client, worker["id"], registered_on="2024-11-01")


@pytest.mark.parametrize(
    ("walk", "to"),
    [
        ({}, "documents"),
        ({}, "departed"),
        ({"training": "2023-10-01"}, "registered"),
        (
            {"training": "2023-10-01", "documents": "2023-11-01", "departed": "2024-01-01"},
            "withdrawn",
        ),
        (
            {"training": "2023-10-01", "documents": "2023-11-01", "departed": "2024-01-01"},
            "broke_contract",
        ),
        ({}, "returned"),
    ],
)
async def test_moves_off_the_path_are_409(
    client: httpx.AsyncClient, walk: dict[str, str], to: str
) -> None:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"])
    await advance(client, placement["id"], walk)
    answer = await move(client, placement["id"], to, "2024-06-01", note="why")
    assert_problem(answer, 409, "invalid-state")


async def test_step_date_rules(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"])
    tomorrow = (today_vn() + dt.timedelta(days=1)).isoformat()
    for on in (tomorrow, "2023-08-31"):  # future; before the registration
        answer = await move(client, placement["id"], "training", on)
        assert_problem(answer, 422, "validation")
        assert error_fields(answer) == {"body.on"}
    await advance(client, placement["id"], {"training": "2023-10-01"})
    before_previous = await move(client, placement["id"], "documents", "2023-09-30")
    assert error_fields(before_previous) == {"body.on"}
    same_day = await move(client, placement["id"], "documents", "2023-10-01")
    assert same_day.status_code == 201
    default_today = await move(client, placement["id"], "withdrawn", note="Moved away")
    assert default_today.json()["on"] == today_vn().isoformat()
    bad = await client.post(
        f"{PL}/{placement['id']}/transitions", json={"to": "x", "when": "now"}, headers=ADMIN
    )
    assert error_fields(bad) >= {"body.to", "body.when"}


async def test_withdrawal_needs_a_note(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"])
    answer = await move(client, placement["id"], "withdrawn", "2023-10-01")
    assert_problem(answer, 422, "validation")
    assert error_fields(answer) == {"body.note"}
    ok = await move(client, placement["id"], "withdrawn", "2023-10-01", note="Family reasons")
    assert ok.json()["note"] == "Family reasons"
    read = (await client.get(f"{PL}/{placement['id']}", headers=ADMIN)).json()
    assert read["withdrawn_on"] == "2023-10-01"


async def test_worker_must_be_eighteen_on_the_departure_date(client: httpx.AsyncClient) -> None:
    today = today_vn()
    born = today.replace(year=today.year - 18) + dt.timedelta(days=10)
    worker = await make_worker(client, date_of_birth=born.isoformat())
    placement = await make_placement(
        client, worker["id"], registered_on=(today - dt.timedelta(days=60)).isoformat()
    )
    await advance(
        client,
        placement["id"],
        {
            "training": (today - dt.timedelta(days=50)).isoformat(),
            "documents": (today - dt.timedelta(days=40)).isoformat(),
        },
    )
    answer = await move(client, placement["id"], "departed", today.isoformat())
    assert_problem(answer, 422, "validation")
    assert error_fields(answer) == {"body.on"}


async def test_transition_audit_and_replay(client: httpx.AsyncClient) -> None:
    worker = await make_worker(client)
    placement = await make_placement(client, worker["id"])
    headers = ADMIN | {"Idempotency-Key": "step-1"}
    body = {"to": "training", "on": "2023-10-01"}
    first = await client.post(f"{PL}/{placement['id']}/transitions", json=body, headers=headers)
    again = await client.post(f"{PL}/{placement['id']}/transitions", json=body, headers=headers)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    steps = (await client.get(f"{PL}/{placement['id']}/transitions", headers=ADMIN)).json()
    assert len(steps["items"]) == 2
    trail = await audit_of(client, "placement", placement["id"])
    assert [row["action"] for row in trail] == ["transition", "create"]
    assert trail[0]["changes"]["status"] == ["registered", "training"]
