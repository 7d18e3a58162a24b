"""The rules every service inherits from the shared library, through a probe app built with
the same factory: problem+json, tokens and roles, unknown parameters, idempotency, audit."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Body
from sqlalchemy import insert

from housing.models import idempotency_keys
from mtqg_shared.auth import Reader, Writer
from mtqg_shared.db import Database
from mtqg_shared.errors import Problem
from mtqg_shared.messages import msg, word
from mtqg_shared.schemas import StrictInput
from mtqg_shared.types import utcnow
from mtqg_shared.writes import Change, Write, etag
from tests import support

PROBE = "/api/v1/housing/probe"


class ProbeIn(StrictInput):
    name: str
    amount_vnd: int = 0


def probe_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/housing")
    calls = {"n": 0}

    @router.post("/probe", status_code=201)
    async def create(body: ProbeIn, ctx: Write, principal: Writer) -> object:
        calls["n"] += 1
        if body.name == "conflict":
            raise Problem(409, msg("id_taken", what=word("case")))
        entity = uuid.uuid4()
        ctx.audit("create", "probe", entity, {"name": [None, body.name]}, ["02782"])
        return await ctx.commit(
            {"id": str(entity), "name": body.name, "calls": calls["n"]}, status=201
        )

    @router.get("/probe")
    async def read(principal: Reader, q: str | None = None) -> dict[str, str | None]:
        return {"q": q}

    @router.patch("/probe")
    async def patch(ctx: Change, body: Annotated[dict[str, str], Body()]) -> object:
        ctx.check_version(3)
        return await ctx.commit({"ok": "yes"}, headers=etag(4))

    return router


@pytest.fixture
async def client(databases: dict[str, Database]) -> AsyncIterator[httpx.AsyncClient]:
    async with support.probe_client(databases["housing"], [probe_router()]) as c:
        yield c


def assert_problem(answer: httpx.Response, status: int, type_: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["type"] == f"/problems/{type_}"
    assert body["status"] == status
    assert {"title", "detail", "instance", "request_id"} <= body.keys()
    assert body["request_id"] == answer.headers["x-request-id"]
    return dict(body)


async def test_unknown_route_and_method_are_problems(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/api/v1/housing/nowhere"), 404, "not-found")
    answer = await client.delete(PROBE, headers=support.auth())
    assert_problem(answer, 405, "method-not-allowed")
    assert set(answer.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST", "PATCH"}


async def test_request_id_is_kept_or_made(client: httpx.AsyncClient) -> None:
    answer = await client.get(PROBE, headers=support.auth() | {"X-Request-ID": "abc-123"})
    assert answer.headers["x-request-id"] == "abc-123"
    made = await client.get(PROBE, headers=support.auth() | {"X-Request-ID": "bad id\x7f"})
    assert made.headers["x-request-id"] != "bad id\x7f"
    assert len(made.headers["x-request-id"]) == 32


async def test_unknown_query_parameter_is_422(client: httpx.AsyncClient) -> None:
    assert (await client.get(PROBE, params={"q": "x"}, headers=support.auth())).json() == {"q": "x"}
    body = assert_problem(
        await client.get(PROBE, params={"qq": "x"}, headers=support.auth()), 422, "validation"
    )
    assert body["errors"] == [
        {"field": "query.qq", "code": "unknown_field", "message": "unknown parameter"}
    ]


async def test_unknown_body_field_is_422_and_bad_json_400(client: httpx.AsyncClient) -> None:
    body = assert_problem(
        await client.post(PROBE, json={"name": "a", "extra": 1}, headers=support.auth()),
        422,
        "validation",
    )
    assert {"field": "body.extra", "code": "unknown_field", "message": "unknown field"} in body[
        "errors"
    ]
    assert_problem(
        await client.post(
            PROBE,
            content=b"{not json",
            headers=support.auth() | {"content-type": "application/json"},
        ),
        400,  # API.md: JSON that cannot be parsed is 400 /problems/bad-request
        "bad-request",
    )


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({}, "no token"),
        ({"Authorization": "Basic abc"}, "not bearer"),
        ({"Authorization": "Bearer not.a.jwt"}, "malformed"),
        (support.auth(ttl=dt.timedelta(seconds=-60)), "expired"),
        (support.auth(key=support.OTHER_KEY), "bad signature"),
        (support.auth(audience="someone-else"), "wrong audience"),
        (support.auth(issuer="someone-else"), "wrong issuer"),
        (support.auth(kid="unknown-key"), "unknown key"),
        (support.auth(algorithm="HS256", key="x" * 64), "other algorithm"),
    ],
)
async def test_bad_tokens_are_401(
    client: httpx.AsyncClient, headers: dict[str, str], why: str
) -> None:
    answer = await client.get(PROBE, headers=headers)
    assert_problem(answer, 401, "unauthorized")
    assert answer.headers["www-authenticate"].startswith("Bearer"), why


async def test_alg_none_token_is_401(client: httpx.AsyncClient) -> None:
    import base64
    import json

    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    now = int(dt.datetime.now(dt.UTC).timestamp())
    claims = {
        "sub": "x",
        "kind": "person",
        "roles": ["admin"],
        "areas": ["15"],
        "iss": support.ISSUER,
        "aud": support.AUDIENCE,
        "iat": now,
        "exp": now + 600,
    }
    forged = f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."
    answer = await client.get(PROBE, headers={"Authorization": f"Bearer {forged}"})
    assert_problem(answer, 401, "unauthorized")


async def test_roles_and_scopes(client: httpx.AsyncClient) -> None:
    viewer = support.auth(roles=["viewer"])
    assert (await client.get(PROBE, headers=viewer)).status_code == 200
    assert_problem(await client.post(PROBE, json={"name": "a"}, headers=viewer), 403, "forbidden")
    officer = support.auth(roles=["officer"])
    assert (await client.post(PROBE, json={"name": "a"}, headers=officer)).status_code == 201
    reader = support.auth(kind="client", scopes=["housing:read"])
    assert (await client.get(PROBE, headers=reader)).status_code == 200
    assert_problem(await client.post(PROBE, json={"name": "a"}, headers=reader), 403, "forbidden")
    other = support.auth(kind="client", scopes=["labour:read", "labour:write"])
    assert_problem(await client.get(PROBE, headers=other), 403, "forbidden")
    writer = support.auth(kind="client", scopes=["housing:write"])
    assert (await client.post(PROBE, json={"name": "a"}, headers=writer)).status_code == 201


async def test_idempotent_replay_writes_nothing_twice(client: httpx.AsyncClient) -> None:
    headers = support.auth(subject="ana") | {"Idempotency-Key": "k-1"}
    first = await client.post(PROBE, json={"name": "a", "amount_vnd": 5}, headers=headers)
    assert first.status_code == 201
    # Equal as parsed JSON: key order and spacing do not matter.
    again = await client.post(
        PROBE,
        content=b'{ "amount_vnd": 5,  "name": "a" }',
        headers=headers | {"content-type": "application/json"},
    )
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    audit = await client.get(
        "/api/v1/housing/audit", params={"entity_type": "probe"}, headers=support.auth()
    )
    assert len(audit.json()["items"]) == 1
    # Keys are scoped to the caller: another caller with the same key runs anew.
    other = await client.post(
        PROBE,
        json={"name": "a", "amount_vnd": 5},
        headers=support.auth(subject="ben") | {"Idempotency-Key": "k-1"},
    )
    assert other.status_code == 201
    assert other.json()["id"] != first.json()["id"]
    assert "idempotent-replayed" not in other.headers


async def test_idempotency_mismatch_and_bad_key(client: httpx.AsyncClient) -> None:
    headers = support.auth() | {"Idempotency-Key": "k-2"}
    assert (await client.post(PROBE, json={"name": "a"}, headers=headers)).status_code == 201
    assert_problem(
        await client.post(PROBE, json={"name": "b"}, headers=headers),
        422,
        "idempotency-mismatch",
    )
    assert_problem(
        await client.post(
            PROBE, json={"name": "a"}, headers=support.auth() | {"Idempotency-Key": "x" * 256}
        ),
        422,
        "validation",
    )


async def test_idempotency_in_flight_is_409(
    client: httpx.AsyncClient, databases: dict[str, Database]
) -> None:
    async with databases["housing"].session() as session:
        await session.execute(
            insert(idempotency_keys).values(
                caller="person:tester",
                key="k-3",
                fingerprint="whatever",
                state="in_flight",
                created_at=utcnow(),
            )
        )
        await session.commit()
    # In flight wins over a mismatched body only when the body matches; a running request
    # with the same key and body answers 409.
    from mtqg_shared.writes import fingerprint

    async with databases["housing"].session() as session:
        await session.execute(
            idempotency_keys.update()
            .where(idempotency_keys.c.key == "k-3")
            .values(fingerprint=fingerprint("POST", PROBE, b'{"name":"a"}'))
        )
        await session.commit()
    answer = await client.post(
        PROBE, json={"name": "a"}, headers=support.auth() | {"Idempotency-Key": "k-3"}
    )
    assert_problem(answer, 409, "idempotency-in-flight")


async def test_failed_request_releases_its_key(client: httpx.AsyncClient) -> None:
    headers = support.auth() | {"Idempotency-Key": "k-4"}
    assert_problem(
        await client.post(PROBE, json={"name": "conflict"}, headers=headers), 409, "duplicate"
    )
    # The failure was not stored: the same key runs again (and fails again, honestly).
    assert_problem(
        await client.post(PROBE, json={"name": "conflict"}, headers=headers), 409, "duplicate"
    )
    # A 422 before the handler also leaves nothing behind.
    bad = support.auth() | {"Idempotency-Key": "k-5"}
    assert (await client.post(PROBE, json={"nope": 1}, headers=bad)).status_code == 422
    assert (await client.post(PROBE, json={"name": "ok"}, headers=bad)).status_code == 201


async def test_audit_rows_name_the_actor_and_are_admin_only(
    client: httpx.AsyncClient,
) -> None:
    created = await client.post(
        PROBE, json={"name": "audited"}, headers=support.auth(subject="lan", roles=["officer"])
    )
    entity = created.json()["id"]
    assert_problem(
        await client.get("/api/v1/housing/audit", headers=support.auth(roles=["approver"])),
        403,
        "forbidden",
    )
    answer = await client.get(
        "/api/v1/housing/audit",
        params={"entity_type": "probe", "entity_id": entity},
        headers=support.auth(),
    )
    (row,) = answer.json()["items"]
    assert row["actor"] == "person:lan"
    assert row["action"] == "create"
    assert row["changes"] == {"name": [None, "audited"]}
    assert row["request_id"] == created.headers["x-request-id"]
    # An admin of another commune does not see the trail of a record outside its areas.
    elsewhere = await client.get(
        "/api/v1/housing/audit",
        params={"entity_type": "probe"},
        headers=support.auth(areas=["02824"]),
    )
    assert elsewhere.json()["items"] == []


async def test_if_match_missing_428_stale_412(client: httpx.AsyncClient) -> None:
    assert_problem(
        await client.patch(PROBE, json={}, headers=support.auth()), 428, "precondition-required"
    )
    assert_problem(
        await client.patch(PROBE, json={}, headers=support.auth() | {"If-Match": '"2"'}),
        412,
        "precondition-failed",
    )
    ok = await client.patch(PROBE, json={}, headers=support.auth() | {"If-Match": '"3"'})
    assert ok.status_code == 200


async def test_body_limit_is_413(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        PROBE,
        content=b'{"name": "' + b"x" * 2_000_000 + b'"}',
        headers=support.auth() | {"content-type": "application/json"},
    )
    assert_problem(answer, 413, "payload-too-large")


async def test_a_streamed_body_past_the_limit_is_413_too(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "'
        for _ in range(40):
            yield b"x" * 65_536
        yield b'"}'

    # No Content-Length: the limit is found while the body is read, not before.
    answer = await client.post(
        PROBE, content=chunks(), headers=support.auth() | {"content-type": "application/json"}
    )
    assert_problem(answer, 413, "payload-too-large")


async def test_health_ready_metrics(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).status_code == 200
    await client.get(PROBE, headers=support.auth())
    metrics = (await client.get("/metrics")).text
    assert 'mtqg_http_requests_total{method="GET",route="/api/v1/housing/probe"' in metrics.replace(
        'service="housing",', ""
    )


async def test_cursor_and_updated_after_out_of_range_are_422() -> None:
    import base64
    import json

    from mtqg_shared.pagination import decode_cursor, list_params

    raw = json.dumps(["0001-01-01T00:00:00+01:00", str(uuid.uuid4())]).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    with pytest.raises(Problem) as caught:
        decode_cursor(cursor)
    assert caught.value.status == 422
    early = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with pytest.raises(Problem) as caught:
        await list_params(updated_after=early)
    assert caught.value.status == 422
