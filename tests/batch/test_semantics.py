"""`POST /api/v1/<service>/batch` (API.md section 8) on the housing service: operations run in
order, each as its own request would (its transaction, rules, areas, If-Match, idempotency,
language), a later one using the client-made id an earlier one created; one result per
operation whatever its outcome; the batch's own shape refused whole (nothing runs)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from mtqg_shared.types import today_vn
from tests import support
from tests.housing.helpers import (
    API,
    ELSEWHERE,
    NEW_SI_MA_CAI,
    admin,
    assert_problem,
    case_body,
    officer,
    viewer,
)

BATCH = f"{API}/batch"
CASES = f"{API}/cases"


@pytest.fixture
async def client(service_client: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client("housing") as c:
        yield c


def op(method: str, path: str, body: Any = None, **headers: str) -> dict[str, Any]:
    """One operation; `headers` as keyword arguments (Idempotency_Key=..., If_Match=...)."""
    made: dict[str, Any] = {"method": method, "path": path}
    if body is not None:
        made["body"] = body
    if headers:
        made["headers"] = {name.replace("_", "-"): value for name, value in headers.items()}
    return made


async def run(
    client: httpx.AsyncClient, *operations: dict[str, Any], headers: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    answer = await client.post(
        BATCH, json={"operations": list(operations)}, headers=headers or admin()
    )
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    assert len(results) == len(operations)
    return results


def statuses(results: list[dict[str, Any]]) -> list[int]:
    return [r["status"] for r in results]


async def cases_of(client: httpx.AsyncClient, household: str) -> list[dict[str, Any]]:
    listed = await client.get(CASES, params={"limit": 200}, headers=admin())
    assert listed.status_code == 200, listed.text
    return [c for c in listed.json()["items"] if c["household_code"] == household]


async def test_operations_run_in_order_on_the_records_earlier_ones_created(
    client: httpx.AsyncClient,
) -> None:
    case_id = str(uuid.uuid4())
    record = f"{CASES}/{case_id}"
    today = today_vn().isoformat()
    results = await run(
        client,
        op("POST", CASES, case_body(id=case_id)),
        # The phone knows the record it made offline starts at version 1.
        op("PATCH", record, {"head_of_household": "Sùng A Dình"}, If_Match='"1"'),
        op(
            "POST",
            f"{record}/funding",
            {"source": "central_budget", "amount_vnd": 10_000_000, "on": today},
        ),
        op("PATCH", record, {"village": "Sín Chải"}, If_Match='"2"'),
    )
    assert statuses(results) == [201, 200, 201, 200]
    created, renamed, funded, moved = results
    assert created["headers"]["Location"] == record
    assert created["headers"]["ETag"] == '"1"'
    assert created["body"]["id"] == case_id
    assert (renamed["headers"]["ETag"], renamed["body"]["head_of_household"]) == (
        '"2"',
        "Sùng A Dình",
    )
    assert funded["body"]["amount_vnd"] == 10_000_000
    assert funded["headers"]["Location"].startswith(f"{record}/funding/")
    # The funding entry changed the case's totals (not its version): the last change saw them.
    assert moved["body"]["funding_vnd"]["central_budget"] == 10_000_000
    assert (moved["body"]["village"], moved["body"]["version"]) == ("Sín Chải", 3)

    read = await client.get(record, headers=admin())
    assert read.headers["etag"] == '"3"'
    assert read.json()["head_of_household"] == "Sùng A Dình"
    assert read.json()["total_funding_vnd"] == 10_000_000


async def test_each_operation_fails_or_succeeds_on_its_own(client: httpx.AsyncClient) -> None:
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    bad = case_body(commune_code="99999")
    results = await run(
        client,
        op("POST", CASES, case_body(id=first)),
        op("POST", CASES, bad),  # no such commune: 422
        op("POST", CASES, case_body(id=first)),  # the id is taken now: 409
        op("PATCH", f"{CASES}/{first}", {"village": "Lử Thẩn"}),  # no If-Match: 428
        op("PATCH", f"{CASES}/{first}", {"village": "Lử Thẩn"}, If_Match='"7"'),  # stale: 412
        op("PATCH", f"{CASES}/{uuid.uuid4()}", {"village": "x"}, If_Match='"1"'),  # none: 404
        op("POST", CASES, case_body(id=second)),
    )
    assert statuses(results) == [201, 422, 409, 428, 412, 404, 201]
    assert results[1]["body"]["type"] == "/problems/validation"
    assert [e["field"] for e in results[1]["body"]["errors"]] == ["body.commune_code"]
    assert results[2]["body"]["type"] == "/problems/duplicate"
    assert results[3]["body"]["type"] == "/problems/precondition-required"
    # A 412 says the current version, as the request alone would.
    assert results[4]["headers"]["ETag"] == '"1"'
    for refused in results[1:6]:
        assert refused["headers"]["Content-Type"] == "application/problem+json"
        assert refused["headers"]["Content-Language"] == "en"
    # What failed wrote nothing; what succeeded after it is there.
    assert (await client.get(f"{CASES}/{first}", headers=admin())).json()["village"] is None
    assert (await client.get(f"{CASES}/{second}", headers=admin())).status_code == 200
    assert await cases_of(client, bad["household_code"]) == []


async def test_a_key_replays_inside_a_batch_across_batches_and_alone(
    client: httpx.AsyncClient,
) -> None:
    body = case_body(id=str(uuid.uuid4()))
    create = op("POST", CASES, body, Idempotency_Key="phone-7-op-1")
    first, again = await run(client, create, create)
    assert (first["status"], again["status"]) == (201, 201)
    assert "Idempotent-Replayed" not in first["headers"]
    assert again["headers"]["Idempotent-Replayed"] == "true"
    assert again["body"] == first["body"]
    assert again["headers"]["Location"] == first["headers"]["Location"]

    (later,) = await run(client, create)  # the queue sent again after a lost answer
    assert later["headers"]["Idempotent-Replayed"] == "true"
    assert later["body"] == first["body"]
    alone = await client.post(
        CASES, json=body, headers=admin() | {"Idempotency-Key": "phone-7-op-1"}
    )
    assert (alone.status_code, alone.headers["idempotent-replayed"]) == (201, "true")
    assert len(await cases_of(client, body["household_code"])) == 1

    (other,) = await run(client, op("POST", CASES, case_body(), Idempotency_Key="phone-7-op-1"))
    assert other["status"] == 422
    assert other["body"]["type"] == "/problems/idempotency-mismatch"


async def test_keys_are_the_callers_own(client: httpx.AsyncClient) -> None:
    body = case_body(id=str(uuid.uuid4()))
    create = op("POST", CASES, body, Idempotency_Key="shared-key")
    (mine,) = await run(client, create, headers=officer(subject="lan"))
    (theirs,) = await run(client, create, headers=officer(subject="mai"))
    assert mine["status"] == 201
    # Not a replay of lan's answer: mai's own request, refused as the id is taken.
    assert theirs["status"] == 409
    assert "Idempotent-Replayed" not in theirs["headers"]


async def test_the_batch_has_a_key_of_its_own(client: httpx.AsyncClient) -> None:
    sent = {"operations": [op("POST", CASES, case_body(id=str(uuid.uuid4())))]}
    keyed = admin() | {"Idempotency-Key": "batch-1"}
    first = await client.post(BATCH, json=sent, headers=keyed)
    again = await client.post(BATCH, json=sent, headers=keyed)
    assert first.status_code == again.status_code == 200
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert first.json()["results"][0]["status"] == 201
    household = sent["operations"][0]["body"]["household_code"]
    assert len(await cases_of(client, household)) == 1
    other = await client.post(
        BATCH, json={"operations": [op("POST", CASES, case_body())]}, headers=keyed
    )
    assert_problem(other, 422, "idempotency-mismatch")


async def test_each_operation_keeps_to_the_callers_areas(client: httpx.AsyncClient) -> None:
    theirs = await client.post(CASES, json=case_body(commune_code=ELSEWHERE), headers=admin())
    assert theirs.status_code == 201
    local = officer(NEW_SI_MA_CAI)
    results = await run(
        client,
        op("POST", CASES, case_body(commune_code=ELSEWHERE)),  # outside: 422
        op("PATCH", theirs.headers["location"], {"village": "x"}, If_Match='"1"'),  # unseen: 404
        op("POST", CASES, case_body()),  # inside: 201
        headers=local,
    )
    assert statuses(results) == [422, 404, 201]
    assert results[0]["body"]["errors"][0]["code"] == "not_in_your_areas"
    assert results[2]["body"]["created_by"] == "person:officer"


async def test_operations_answer_in_the_batchs_language(client: httpx.AsyncClient) -> None:
    future = (today_vn() + dt.timedelta(days=3)).isoformat()
    body = {"operations": [op("POST", CASES, case_body(registered_on=future))]}
    answer = await client.post(BATCH, json=body, headers=admin() | {"Accept-Language": "vi"})
    (result,) = answer.json()["results"]
    assert result["headers"]["Content-Language"] == "vi"
    assert result["body"]["title"] == "Dữ liệu không hợp lệ"
    assert result["body"]["errors"][0]["message"] == f"không được sau ngày hôm nay ({future})"


async def test_paths_outside_the_service_and_batches_in_batches_are_the_operations_own_422(
    client: httpx.AsyncClient,
) -> None:
    case_id = str(uuid.uuid4())
    results = await run(
        client,
        op("POST", "/api/v1/labour/workers", {}),
        op("POST", BATCH, {"operations": [op("POST", CASES, case_body())]}),
        op("POST", f"{API}/%62atch", {"operations": []}),  # the same path, percent-encoded
        op("POST", "/healthz", {}),
        op("POST", CASES, case_body(id=case_id)),
    )
    assert statuses(results) == [422, 422, 422, 422, 201]
    outside, nested, encoded, probe, _ = results
    assert outside["body"]["errors"] == [
        {
            "field": "body.operations.0.path",
            "code": "invalid",
            "message": "must be a path of this service, under /api/v1/housing/ "
            "(send it to that service's batch)",
        }
    ]
    assert nested["body"]["errors"][0]["message"] == "a batch cannot hold another batch"
    assert encoded["body"]["errors"][0]["field"] == "body.operations.2.path"
    assert probe["body"]["errors"][0]["field"] == "body.operations.3.path"
    assert (await client.get(f"{CASES}/{case_id}", headers=admin())).status_code == 200


async def test_an_operation_is_answered_as_its_request_would_be(client: httpx.AsyncClient) -> None:
    results = await run(
        client,
        op("POST", CASES),  # no body
        op("POST", CASES, ["not", "an", "object"]),
        op("PUT", CASES, case_body()),  # the path takes no PUT
        op("POST", f"{CASES}/", case_body()),  # a trailing slash
        op("POST", f"{CASES}?dry_run=1", case_body()),  # an unknown parameter
    )
    assert statuses(results) == [422, 422, 405, 404, 422]
    assert results[0]["body"]["errors"][0]["code"] == "required"
    assert results[2]["headers"]["Allow"] == "GET, POST"
    assert results[4]["body"]["errors"][0]["field"] == "query.dry_run"


async def test_writes_are_audited_each_under_its_own_request_id(client: httpx.AsyncClient) -> None:
    case_id = str(uuid.uuid4())
    answer = await client.post(
        BATCH,
        json={
            "operations": [
                op("POST", CASES, case_body(id=case_id)),
                op("PATCH", f"{CASES}/{case_id}", {"village": "Sín Chải"}, If_Match='"1"'),
            ]
        },
        headers=admin() | {"X-Request-ID": "sync-42"},
    )
    assert [r["headers"]["X-Request-ID"] for r in answer.json()["results"]] == [
        "sync-42.1",
        "sync-42.2",
    ]
    trail = await client.get(
        f"{API}/audit", params={"entity_type": "case", "entity_id": case_id}, headers=admin()
    )
    entries = trail.json()["items"]
    assert sorted((e["action"], e["request_id"]) for e in entries) == [
        ("create", "sync-42.1"),
        ("update", "sync-42.2"),
    ]


# -- the batch itself ----------------------------------------------------------------------


async def test_a_batch_needs_a_token_and_the_write_role(client: httpx.AsyncClient) -> None:
    body = {"operations": [op("POST", CASES, case_body())]}
    unauthenticated = await client.post(BATCH, json=body)
    assert_problem(unauthenticated, 401, "unauthorized")
    assert unauthenticated.headers["www-authenticate"] == "Bearer"
    assert_problem(await client.post(BATCH, json=body, headers=viewer()), 403, "forbidden")
    reader = support.auth(kind="client", scopes=["housing:read"])
    assert_problem(await client.post(BATCH, json=body, headers=reader), 403, "forbidden")
    writer = support.auth(kind="client", scopes=["housing:write"])
    (made,) = await run(client, body["operations"][0], headers=writer)
    assert made["status"] == 201


async def test_a_batch_is_json(client: httpx.AsyncClient) -> None:
    text = await client.post(
        BATCH, content=b"operations", headers=admin() | {"Content-Type": "text/plain"}
    )
    assert_problem(text, 415, "unsupported-media-type")
    broken = await client.post(
        BATCH, content=b'{"operations": [', headers=admin() | {"Content-Type": "application/json"}
    )
    assert_problem(broken, 400, "bad-request")


@pytest.mark.parametrize(
    ("operations", "field", "code"),
    [
        ([], "body.operations", "too_short"),
        ([op("POST", CASES, {})] * 101, "body.operations", "too_long"),
        ([op("GET", CASES)], "body.operations.0.method", "invalid_choice"),
        ([op("DELETE", CASES)], "body.operations.0.method", "invalid_choice"),
        ([op("POST", "cases", {})], "body.operations.0.path", "invalid_format"),
        (
            [op("POST", CASES, {}, Authorization="Bearer x")],
            "body.operations.0.headers.Authorization",
            "unknown_field",
        ),
        (
            [op("POST", CASES, {}, Idempotency_Key="")],
            "body.operations.0.headers.Idempotency-Key",
            "too_short",
        ),
        (
            [op("POST", CASES, {}, Idempotency_Key="k" * 256)],
            "body.operations.0.headers.Idempotency-Key",
            "too_long",
        ),
        (
            [op("POST", CASES, {}, If_Match='"1"\r\nX-Evil: 1')],
            "body.operations.0.headers.If-Match",
            "invalid_format",
        ),
        (
            [{"method": "POST", "path": CASES, "body": {}, "extra": 1}],
            "body.operations.0.extra",
            "unknown_field",
        ),
        ([{"path": CASES, "body": {}}], "body.operations.0.method", "required"),
    ],
)
async def test_a_batch_of_the_wrong_shape_is_refused_whole_and_nothing_runs(
    client: httpx.AsyncClient, operations: list[dict[str, Any]], field: str, code: str
) -> None:
    good = case_body()
    sent = [op("POST", CASES, good), *operations]
    answer = await client.post(
        BATCH, json={"operations": sent if operations else []}, headers=admin()
    )
    problem = assert_problem(answer, 422, "validation")
    shifted = field.replace("operations.0", "operations.1") if operations else field
    assert {(e["field"], e["code"]) for e in problem["errors"]} == {(shifted, code)}
    assert await cases_of(client, good["household_code"]) == []


async def test_a_batch_takes_no_unknown_member_or_parameter(client: httpx.AsyncClient) -> None:
    sent = {"operations": [op("POST", CASES, case_body())], "atomic": True}
    problem = assert_problem(
        await client.post(BATCH, json=sent, headers=admin()), 422, "validation"
    )
    assert [e["field"] for e in problem["errors"]] == ["body.atomic"]
    query = await client.post(
        f"{BATCH}?atomic=1", json={"operations": sent["operations"]}, headers=admin()
    )
    assert [e["field"] for e in assert_problem(query, 422, "validation")["errors"]] == [
        "query.atomic"
    ]


async def test_a_hundred_operations_run(client: httpx.AsyncClient) -> None:
    bodies = [case_body() for _ in range(100)]
    results = await run(client, *(op("POST", CASES, b) for b in bodies))
    assert statuses(results) == [201] * 100
    assert len({r["body"]["id"] for r in results}) == 100


async def test_odd_paths_are_answered_as_their_requests_would_be(client: httpx.AsyncClient) -> None:
    results = await run(
        client,
        op("PATCH", f"{CASES}/%00", {}, If_Match='"1"'),  # no resource has such a name
        op("PATCH", f"{CASES}/nhà-ứ", {}, If_Match='"1"'),  # not a UUID
        op("POST", f"{API}/cases/../cases", case_body()),  # dots are not resolved
    )
    assert statuses(results) == [404, 422, 404]
    assert results[1]["body"]["errors"][0]["field"] == "path.case_id"


async def test_an_operation_that_breaks_is_its_own_500_and_the_next_one_runs(
    databases: dict[str, Any],
) -> None:
    from fastapi import APIRouter

    probe = APIRouter(prefix=API)

    @probe.post("/boom")
    async def boom() -> None:
        raise RuntimeError("a bug")

    @probe.post("/fine", status_code=201)
    async def fine() -> dict[str, str]:
        return {"ok": "yes"}

    operations = [op("POST", f"{API}/boom", {}), op("POST", f"{API}/fine", {})]
    async with support.probe_client(databases["housing"], [probe]) as client:
        broken, ran = await run(client, *operations)
    assert broken["status"] == 500
    assert broken["body"]["type"] == "/problems/internal"
    assert "a bug" not in str(broken)
    assert (ran["status"], ran["body"]) == (201, {"ok": "yes"})
