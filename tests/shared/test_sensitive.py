"""Sensitive records through a probe resource declared `sensitive=`: only holders of the role
read them within their areas (everyone else 404 on one, 403 on the list and on a create,
clients always), every read is in the access log before the answer leaves, admins of the
area read that log, the audit trail shows their values to holders only, and no error shows a
record's fields."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mtqg_shared.access_log import access_log_table
from mtqg_shared.auth import PROTECTION, Principal
from mtqg_shared.db import Database, new_metadata
from mtqg_shared.errors import Problem
from mtqg_shared.kit import (
    Change,
    InCommune,
    Listing,
    LoggedRead,
    Page,
    Resource,
    Sensitive,
    Write,
    created,
    saved,
)
from mtqg_shared.kit.rows import AreaConditions, Rows
from mtqg_shared.schemas import RecordRead, StrictInput
from mtqg_shared.types import PlacedMixin, RecordMixin
from tests import support

PREFIX = "/api/v1/housing"
HERE, THERE = "02680", "02683"
SUMMARY = "Nạn nhân 14 tuổi ở thôn Lao Chải"  # what no error, list or trail may show others


class Base(DeclarativeBase):
    metadata = new_metadata()


class Secret(RecordMixin, PlacedMixin, Base):
    __tablename__ = "kit_secrets"
    summary: Mapped[str] = mapped_column(String(200), nullable=False)


access_log = access_log_table(Base.metadata)
protected = Sensitive(PROTECTION, access_log, ids="case_ids")
secrets = Resource(
    Secret,
    "case",
    entity="secret_case",
    area=InCommune(Secret.commune_code, Secret.legacy_commune_code),
    audited=("summary", "commune_code"),
    required=("summary",),
    prefix=PREFIX,
    path="secrets",
    sensitive=protected,
)
t = Secret.__table__.c
rows = Rows(secrets, [t.id, t.created_at, t.updated_at, t.created_by, t.version, t.summary,
                      t.commune_code, t.legacy_commune_code])  # fmt: skip
in_area = AreaConditions.in_commune(t.commune_code, t.legacy_commune_code)

# The same records with a log whose table was never made: its write fails.
missing_log = access_log.to_metadata(MetaData(), name="missing_access_log")
broken = Resource(
    Secret,
    "case",
    entity="broken_case",
    area=InCommune(Secret.commune_code, Secret.legacy_commune_code),
    audited=("summary",),
    prefix=PREFIX,
    path="broken",
    sensitive=Sensitive(PROTECTION, missing_log),
)
Holder = [Depends(protected.holders())]


class SecretIn(StrictInput):
    id: uuid.UUID | None = None
    summary: str
    commune_code: str


class SecretPatch(StrictInput):
    summary: str | None = None


class SecretRead(RecordRead):
    summary: str
    commune_code: str


def router() -> APIRouter:
    r = APIRouter(prefix=PREFIX)

    @r.post("/secrets", status_code=201, response_model=SecretRead, dependencies=Holder)
    async def create(body: SecretIn, ctx: Write) -> Response:
        secret = Secret(
            id=await secrets.new_id(ctx.session, body.id),
            created_by=ctx.principal.key,
            summary=body.summary,
            commune_code=body.commune_code,
        )
        await secrets.add(ctx, secret)
        read = SecretRead.model_validate(secret)
        return await created(ctx, read, location=secrets.location(secret.id))

    @r.get("/secrets", response_model=Page[SecretRead], dependencies=Holder)
    async def list_secrets(ctx: LoggedRead, listing: Listing) -> Response:
        stmt = secrets.visible(ctx.principal)
        items, cursor = await secrets.page(ctx.session, stmt, listing)
        page = Page[SecretRead](
            items=[SecretRead.model_validate(s) for s in items], next_cursor=cursor
        )
        return await ctx.page(secrets, page, items)

    @r.get("/secrets/rows", response_model=Page[SecretRead], dependencies=Holder)
    async def list_rows(ctx: LoggedRead, listing: Listing) -> Response:
        params: dict[str, Any] = {}
        conditions = in_area.where(ctx.principal, None, params)
        items, cursor = await rows.page(ctx.session, listing, conditions, params)
        page = Page[SecretRead](
            items=[SecretRead.model_validate(i) for i in items], next_cursor=cursor
        )
        return await ctx.page(secrets, page, items)

    @r.get("/secrets/rows/{secret_id}", response_model=SecretRead)
    async def read_row(secret_id: uuid.UUID, ctx: LoggedRead) -> Response:
        row = await rows.read(ctx.session, ctx.principal, secret_id)
        body = SecretRead.model_validate(row)
        return await ctx.record(secrets, body, row, version=row.version)

    @r.get("/secrets/{secret_id}", response_model=SecretRead)
    async def read(secret_id: uuid.UUID, ctx: LoggedRead) -> Response:
        secret = await secrets.read(ctx.session, ctx.principal, secret_id)
        body = SecretRead.model_validate(secret)
        return await ctx.record(secrets, body, secret, version=secret.version)

    @r.get("/secrets/{secret_id}/unlogged", response_model=SecretRead)
    async def unlogged(secret_id: uuid.UUID, ctx: LoggedRead) -> SecretRead:
        secret = await secrets.read(ctx.session, ctx.principal, secret_id)
        return SecretRead.model_validate(secret)

    @r.get("/broken/{secret_id}", response_model=SecretRead)
    async def read_broken(secret_id: uuid.UUID, ctx: LoggedRead) -> Response:
        secret = await broken.read(ctx.session, ctx.principal, secret_id)
        body = SecretRead.model_validate(secret)
        return await ctx.record(broken, body, secret, version=secret.version)

    @r.patch("/secrets/{secret_id}", response_model=SecretRead, responses={428: {}, 412: {}})
    async def change(secret_id: uuid.UUID, body: SecretPatch, ctx: Change) -> Response:
        secret = await secrets.take(ctx, secret_id)
        secrets.apply(ctx, secret, body)
        return await saved(ctx, SecretRead.model_validate(secret), version=secret.version)

    return r


@pytest.fixture
async def client(databases: dict[str, Database]) -> AsyncIterator[httpx.AsyncClient]:
    async with support.probe_client(
        databases["housing"], [router()], metadata=Base.metadata, sensitive=[secrets]
    ) as c:
        yield c


def holder(commune: str = HERE, *roles: str) -> dict[str, str]:
    return support.auth(
        subject=f"holder-{commune}", roles=[*(roles or ("officer",)), PROTECTION], areas=[commune]
    )


def officer(commune: str = HERE) -> dict[str, str]:
    return support.auth(subject=f"officer-{commune}", roles=["officer"], areas=[commune])


def admin(*areas: str) -> dict[str, str]:
    return support.auth(subject="admin", roles=["admin"], areas=list(areas or ("15",)))


CLIENT = support.auth(kind="client", scopes=["housing:read", "housing:write"])


async def make(client: httpx.AsyncClient, commune: str = HERE, **body: Any) -> dict[str, Any]:
    answer = await client.post(
        f"{PREFIX}/secrets",
        json={"summary": SUMMARY, "commune_code": commune} | body,
        headers=holder(commune),
    )
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()
    return made


async def log_of(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    answer = await client.get(f"{PREFIX}/access-log", params=params, headers=admin())
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def assert_nothing_shown(answer: httpx.Response, status: int) -> None:
    assert answer.status_code == status, answer.text
    assert SUMMARY not in answer.text


async def test_a_holder_reads_in_its_areas_and_every_read_is_logged(
    client: httpx.AsyncClient,
) -> None:
    secret = await make(client)
    for path in (f"secrets/{secret['id']}", f"secrets/rows/{secret['id']}"):
        read = await client.get(f"{PREFIX}/{path}", headers=holder())
        assert read.status_code == 200, read.text
        assert read.json()["summary"] == SUMMARY
        assert read.headers["etag"] == '"1"'
        (entry, *_) = await log_of(client)
        assert entry["reader"] == "person:holder-02680"
        assert entry["action"] == "read"
        assert entry["case_ids"] == [secret["id"]]
        assert entry["request_id"] == read.headers["x-request-id"]
    assert len(await log_of(client)) == 2


@pytest.mark.parametrize(
    "headers",
    [officer(), admin(), support.auth(roles=["admin"]), CLIENT, holder(THERE)],
    ids=["officer", "admin-here", "admin-province", "client", "holder-elsewhere"],
)
async def test_anyone_else_gets_404_on_one_record_and_nothing_is_logged(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    secret = await make(client)
    for path in (f"secrets/{secret['id']}", f"secrets/rows/{secret['id']}"):
        assert_nothing_shown(await client.get(f"{PREFIX}/{path}", headers=headers), 404)
    patch = await client.patch(
        f"{PREFIX}/secrets/{secret['id']}",
        json={"summary": "x"},
        headers=headers | {"If-Match": '"1"'},
    )
    assert patch.status_code in (403, 404)  # a viewer-less client: the write scope's 403
    assert SUMMARY not in patch.text
    assert await log_of(client) == []


@pytest.mark.parametrize(
    "headers",
    [officer(), admin(), CLIENT],
    ids=["officer", "admin", "client"],
)
async def test_anyone_else_gets_403_on_the_list_and_on_a_create(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    secret = await make(client)
    for path in ("secrets", "secrets/rows"):
        listed = await client.get(f"{PREFIX}/{path}", headers=headers)
        assert_nothing_shown(listed, 403)
        assert listed.json()["type"] == "/problems/forbidden"
    for body in (
        {"summary": "s", "commune_code": HERE},
        {"summary": "s", "commune_code": HERE, "id": secret["id"]},  # taken: still 403, not 409
        {"victim_name": "Giàng Thị A"},  # invalid: still 403, not 422 naming fields
    ):
        made = await client.post(
            f"{PREFIX}/secrets", json=body, headers=headers | {"Idempotency-Key": "k1"}
        )
        assert_nothing_shown(made, 403)
        assert "Giàng" not in made.text
    assert await log_of(client) == []


async def test_a_list_shows_a_holder_its_areas_only_and_each_page_is_logged(
    client: httpx.AsyncClient,
) -> None:
    here = [await make(client) for _ in range(3)]
    await make(client, THERE)
    for path in ("secrets", "secrets/rows"):
        first = await client.get(f"{PREFIX}/{path}", params={"limit": 2}, headers=holder())
        assert first.status_code == 200, first.text
        ids = [s["id"] for s in first.json()["items"]]
        assert ids == [here[2]["id"], here[1]["id"]]
        second = await client.get(
            f"{PREFIX}/{path}",
            params={"limit": 2, "cursor": first.json()["next_cursor"]},
            headers=holder(),
        )
        assert [s["id"] for s in second.json()["items"]] == [here[0]["id"]]
        entries = await log_of(client, limit=2)
        assert [(e["action"], e["case_ids"]) for e in entries] == [
            ("list", [here[0]["id"]]),
            ("list", ids),
        ]
    # A page that shows nothing is a look all the same.
    empty = await client.get(f"{PREFIX}/secrets", headers=holder("02686"))
    assert empty.json() == {"items": [], "next_cursor": None}
    (entry, *_) = await log_of(client)
    assert (entry["reader"], entry["case_ids"]) == ("person:holder-02686", [])


async def test_a_holder_writes_with_the_kits_rules(client: httpx.AsyncClient) -> None:
    secret = await make(client)
    url = f"{PREFIX}/secrets/{secret['id']}"
    assert (await client.patch(url, json={"summary": "b"}, headers=holder())).status_code == 428
    stale = await client.patch(url, json={"summary": "b"}, headers=holder() | {"If-Match": '"9"'})
    assert stale.status_code == 412
    good = await client.patch(url, json={"summary": "b"}, headers=holder() | {"If-Match": '"1"'})
    assert good.status_code == 200, good.text
    elsewhere = await client.patch(
        url, json={"summary": "c"}, headers=holder(THERE) | {"If-Match": '"2"'}
    )
    assert_nothing_shown(elsewhere, 404)
    taken = await client.post(
        f"{PREFIX}/secrets",
        json={"summary": SUMMARY, "commune_code": HERE, "id": secret["id"]},
        headers=holder(),
    )
    assert_nothing_shown(taken, 409)
    outside = await client.post(
        f"{PREFIX}/secrets", json={"summary": SUMMARY, "commune_code": HERE, "x": 1},
        headers=holder(),
    )  # fmt: skip
    assert_nothing_shown(outside, 422)


async def test_admins_read_the_log_of_their_areas_newest_first_in_pages(
    client: httpx.AsyncClient,
) -> None:
    here, there = await make(client), await make(client, THERE)
    both = support.auth(subject="both", roles=["viewer", PROTECTION], areas=[HERE, THERE])
    await client.get(f"{PREFIX}/secrets/{here['id']}", headers=holder())
    await client.get(f"{PREFIX}/secrets/{there['id']}", headers=holder(THERE))
    await client.get(f"{PREFIX}/secrets", headers=both)

    everything = await log_of(client)
    assert [e["action"] for e in everything] == ["list", "read", "read"]
    assert set(everything[0]["case_ids"]) == {here["id"], there["id"]}
    assert set(everything[0]) == {"at", "reader", "action", "case_ids", "request_id"}
    one = await client.get(f"{PREFIX}/access-log", params={"limit": 1}, headers=admin())
    cursor = one.json()["next_cursor"]
    assert one.json()["items"] == everything[:1] and cursor
    rest = await client.get(
        f"{PREFIX}/access-log", params={"limit": 2, "cursor": cursor}, headers=admin()
    )
    assert rest.json() == {"items": everything[1:], "next_cursor": None}

    local = await client.get(f"{PREFIX}/access-log", headers=admin(HERE))
    assert [(e["action"], e["case_ids"]) for e in local.json()["items"]] == [
        ("list", [here["id"]]),  # of a read that showed both, only its own
        ("read", [here["id"]]),
    ]


@pytest.mark.parametrize(
    ("headers", "params", "status"),
    [
        ({}, {}, 401),
        (holder(), {}, 403),
        (CLIENT, {}, 403),
        (admin(), {"cursor": "abc"}, 422),
        (admin(), {"limit": 0}, 422),
        (admin(), {"reader": "x"}, 422),
    ],
)
async def test_the_log_refuses(
    client: httpx.AsyncClient, headers: dict[str, str], params: dict[str, Any], status: int
) -> None:
    answer = await client.get(f"{PREFIX}/access-log", params=params, headers=headers)
    assert answer.status_code == status, answer.text


async def test_the_trail_shows_values_to_holders_only_and_logs_showing_them(
    client: httpx.AsyncClient,
) -> None:
    secret = await make(client)
    params = {"entity_id": secret["id"]}
    plain = await client.get(f"{PREFIX}/audit", params=params, headers=admin())
    (entry,) = plain.json()["items"]
    assert (entry["action"], entry["entity_type"], entry["changes"]) == (
        "create",
        "secret_case",
        None,
    )
    assert SUMMARY not in plain.text
    assert await log_of(client) == []

    holding = support.auth(subject="boss", roles=["admin", PROTECTION], areas=[HERE])
    shown = await client.get(f"{PREFIX}/audit", params=params, headers=holding)
    (entry,) = shown.json()["items"]
    assert entry["changes"]["summary"] == [None, SUMMARY]
    (logged,) = await log_of(client)
    assert (logged["reader"], logged["action"], logged["case_ids"]) == (
        "person:boss",
        "audit",
        [secret["id"]],
    )
    assert logged["request_id"] == shown.headers["x-request-id"]


async def test_a_failed_log_write_fails_the_read(client: httpx.AsyncClient) -> None:
    secret = await make(client)
    answer = await client.get(f"{PREFIX}/broken/{secret['id']}", headers=holder())
    assert answer.status_code in (500, 503), answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert SUMMARY not in answer.text
    assert set(answer.json()) == {"type", "title", "status", "detail", "instance", "request_id"}


async def test_a_read_answered_without_its_log_is_500_and_shows_nothing(
    client: httpx.AsyncClient,
) -> None:
    secret = await make(client)
    answer = await client.get(f"{PREFIX}/secrets/{secret['id']}/unlogged", headers=holder())
    assert_nothing_shown(answer, 500)
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert await log_of(client) == []


async def test_the_log_is_documented_with_its_problems(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    operation = document["paths"][f"{PREFIX}/access-log"]["get"]
    assert operation["operationId"] == "housing.access_log.list"
    assert {"401", "403", "422"} <= set(operation["responses"])
    entry = document["components"]["schemas"]["AccessEntry"]
    assert set(entry["properties"]) == {"at", "reader", "action", "case_ids", "request_id"}
    changes = document["components"]["schemas"]["AuditEntry"]["properties"]["changes"]
    assert {"type": "null"} in changes["anyOf"]


async def test_a_conditional_read_is_logged_like_any_read(client: httpx.AsyncClient) -> None:
    secret = await make(client)
    url = f"{PREFIX}/secrets/{secret['id']}"
    again = await client.get(url, headers=holder() | {"If-None-Match": '"1"'})
    assert again.status_code == 304
    (entry,) = await log_of(client)
    assert (entry["action"], entry["case_ids"]) == ("read", [secret["id"]])


def test_the_kits_list_statements_refuse_anyone_without_the_role() -> None:
    # Behind the routes' dependency: a list built without it is refused all the same.
    for principal in (
        Principal.build("o", "person", roles=["admin"], areas=["15"]),
        Principal.build("c", "client", roles=[PROTECTION], scopes=["housing:read"]),
    ):
        for build in (secrets.visible, secrets.where_visible):
            with pytest.raises(Problem) as refused:
                build(principal)
            assert refused.value.status == 403
    holder_ = Principal.build("h", "person", roles=["viewer", PROTECTION], areas=[HERE])
    assert secrets.where_visible(holder_)
