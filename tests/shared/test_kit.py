"""The resource kit through a probe resource: what every resource of every service gets from
being declared (area reads, locked changes with If-Match, creates with Location and audit,
keyset lists) and what no route can get wrong (a forgotten commit, undocumented headers)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mtqg_shared.auth import Reader
from mtqg_shared.db import Database, new_metadata
from mtqg_shared.kit import (
    Change,
    InCommune,
    Listing,
    Page,
    ReadSession,
    Resource,
    Write,
    answer,
    created,
    record,
    saved,
)
from mtqg_shared.schemas import RecordRead, StrictInput
from mtqg_shared.types import PlacedMixin, RecordMixin
from tests import support

PREFIX = "/api/v1/housing"
HERE, THERE = "02680", "02683"


class Base(DeclarativeBase):
    metadata = new_metadata()


class Thing(RecordMixin, PlacedMixin, Base):
    __tablename__ = "kit_things"
    name: Mapped[str] = mapped_column(String(50), nullable=False)
    colour: Mapped[str | None] = mapped_column(String(20))


things = Resource(
    Thing,
    "facility",  # a word the message catalogues have; its audit name is its own
    entity="thing",
    area=InCommune(Thing.commune_code, Thing.legacy_commune_code),
    audited=("name", "colour", "commune_code"),
    required=("name",),
    prefix=PREFIX,
    path="things",
)


class ThingIn(StrictInput):
    name: str
    commune_code: str
    colour: str | None = None


class ThingPatch(StrictInput):
    name: str | None = None
    colour: str | None = None
    commune_code: str | None = None


class ThingRead(RecordRead):
    name: str
    colour: str | None
    commune_code: str


def router() -> APIRouter:
    r = APIRouter(prefix=things.collection)

    @r.post("", status_code=201, response_model=ThingRead)
    async def create(body: ThingIn, ctx: Write) -> Response:
        thing = Thing(
            id=await things.new_id(ctx.session, None),
            created_by=ctx.principal.key,
            name=body.name,
            colour=body.colour,
            commune_code=body.commune_code,
        )
        await things.add(ctx, thing)
        read = ThingRead.model_validate(thing)
        return await created(ctx, read, location=things.location(thing.id))

    @r.post("/forgetful", status_code=201, response_model=ThingRead)
    async def forgetful(body: ThingIn, ctx: Write) -> Response:
        thing = Thing(created_by=ctx.principal.key, name=body.name, commune_code=body.commune_code)
        await things.add(ctx, thing)
        return answer(ThingRead.model_validate(thing), status=201)

    @r.get("", response_model=Page[ThingRead])
    async def list_things(principal: Reader, session: ReadSession, listing: Listing) -> Response:
        items, cursor = await things.page(session, things.visible(principal), listing)
        page = Page[ThingRead](
            items=[ThingRead.model_validate(t) for t in items], next_cursor=cursor
        )
        return answer(page)

    @r.get("/{thing_id}", response_model=ThingRead)
    async def read(thing_id: uuid.UUID, principal: Reader, session: ReadSession) -> Response:
        thing = await things.read(session, principal, thing_id)
        return record(ThingRead.model_validate(thing), thing.version)

    @r.patch("/{thing_id}", response_model=ThingRead, responses={428: {}, 412: {}})
    async def change(thing_id: uuid.UUID, body: ThingPatch, ctx: Change) -> Response:
        thing = await things.take(ctx, thing_id)
        things.apply(ctx, thing, body)
        return await saved(ctx, ThingRead.model_validate(thing), version=thing.version)

    return r


@pytest.fixture
async def client(databases: dict[str, Database]) -> AsyncIterator[httpx.AsyncClient]:
    async with support.probe_client(databases["housing"], [router()], metadata=Base.metadata) as c:
        yield c


def officer(commune: str) -> dict[str, str]:
    return support.auth(subject=f"officer-{commune}", roles=["officer"], areas=[commune])


async def make(client: httpx.AsyncClient, **body: Any) -> httpx.Response:
    body = {"name": "a", "commune_code": HERE} | body
    return await client.post(f"{PREFIX}/things", json=body, headers=officer(HERE))


async def test_create_answers_location_etag_and_writes_audit(client: httpx.AsyncClient) -> None:
    answer = await make(client, name="well")
    assert answer.status_code == 201, answer.text
    thing = answer.json()
    assert answer.headers["location"] == f"{PREFIX}/things/{thing['id']}"
    assert answer.headers["etag"] == '"1"'
    trail = await client.get(
        f"{PREFIX}/audit", params={"entity_id": thing["id"]}, headers=support.auth()
    )
    (entry,) = trail.json()["items"]
    assert entry["action"] == "create"
    assert entry["entity_type"] == "thing"
    assert entry["changes"]["name"] == [None, "well"]


async def test_reads_are_scoped_to_the_callers_areas(client: httpx.AsyncClient) -> None:
    thing = (await make(client)).json()
    mine = await client.get(f"{PREFIX}/things/{thing['id']}", headers=officer(HERE))
    assert mine.status_code == 200
    assert mine.headers["etag"] == '"1"'
    other = await client.get(f"{PREFIX}/things/{thing['id']}", headers=officer(THERE))
    assert other.status_code == 404
    listed = await client.get(f"{PREFIX}/things", headers=officer(THERE))
    assert listed.json() == {"items": [], "next_cursor": None}
    listed = await client.get(f"{PREFIX}/things", headers=officer(HERE))
    assert [t["id"] for t in listed.json()["items"]] == [thing["id"]]


async def test_change_needs_the_current_version(client: httpx.AsyncClient) -> None:
    thing = (await make(client)).json()
    url = f"{PREFIX}/things/{thing['id']}"
    missing = await client.patch(url, json={"colour": "red"}, headers=officer(HERE))
    assert missing.status_code == 428
    stale = await client.patch(
        url, json={"colour": "red"}, headers=officer(HERE) | {"If-Match": '"7"'}
    )
    assert stale.status_code == 412
    assert stale.headers["etag"] == '"1"'
    good = await client.patch(
        url, json={"colour": "red"}, headers=officer(HERE) | {"If-Match": '"1"'}
    )
    assert good.status_code == 200, good.text
    assert good.json()["colour"] == "red"
    assert good.headers["etag"] == '"2"'
    emptied = await client.patch(
        url, json={"name": None}, headers=officer(HERE) | {"If-Match": '"2"'}
    )
    assert emptied.status_code == 422
    elsewhere = await client.patch(
        url, json={"colour": "blue"}, headers=officer(THERE) | {"If-Match": '"2"'}
    )
    assert elsewhere.status_code == 404
    viewer = support.auth(roles=["viewer"]) | {"If-Match": '"2"'}
    assert (await client.patch(url, json={"colour": "blue"}, headers=viewer)).status_code == 403
    trail = await client.get(
        f"{PREFIX}/audit", params={"entity_id": thing["id"]}, headers=support.auth()
    )
    actions = [(e["action"], e["changes"]) for e in trail.json()["items"]]
    assert actions[0] == ("update", {"colour": [None, "red"]})
    assert len(actions) == 2


async def test_a_route_that_forgets_to_commit_answers_500_and_writes_nothing(
    client: httpx.AsyncClient,
) -> None:
    lost = await client.post(
        f"{PREFIX}/things/forgetful",
        json={"name": "lost", "commune_code": HERE},
        headers=officer(HERE) | {"Idempotency-Key": "forgot-1"},
    )
    assert lost.status_code == 500
    assert lost.headers["content-type"].startswith("application/problem+json")
    listed = await client.get(f"{PREFIX}/things", headers=support.auth())
    assert listed.json()["items"] == []
    # The key was released with the failed request: nothing is replayed as success.
    again = await client.post(
        f"{PREFIX}/things/forgetful",
        json={"name": "lost", "commune_code": HERE},
        headers=officer(HERE) | {"Idempotency-Key": "forgot-1"},
    )
    assert again.status_code == 500


async def test_headers_are_documented_once_and_if_match_as_required(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()
    post = document["paths"][f"{PREFIX}/things"]["post"]
    keys = [p for p in post["parameters"] if p["name"] == "Idempotency-Key"]
    assert len(keys) == 1
    assert keys[0]["in"] == "header"
    assert not keys[0].get("required", False)
    patch = document["paths"][f"{PREFIX}/things/{{thing_id}}"]["patch"]
    (if_match,) = [p for p in patch["parameters"] if p["name"] == "If-Match"]
    assert if_match["required"] is True
    assert [p["name"] for p in patch["parameters"]].count("Idempotency-Key") == 1


async def test_a_resent_change_replays_its_first_answer(client: httpx.AsyncClient) -> None:
    thing = (await make(client)).json()
    url = f"{PREFIX}/things/{thing['id']}"
    headers = officer(HERE) | {"If-Match": '"1"', "Idempotency-Key": "phone-42"}
    first = await client.patch(url, json={"colour": "red"}, headers=headers)
    assert first.status_code == 200
    again = await client.patch(url, json={"colour": "red"}, headers=headers)
    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["etag"] == '"2"'
    read = await client.get(url, headers=officer(HERE))
    assert read.json()["version"] == 2


async def test_a_moved_record_stays_in_its_former_areas_trail(client: httpx.AsyncClient) -> None:
    thing = (await make(client)).json()
    moved = await client.patch(
        f"{PREFIX}/things/{thing['id']}",
        json={"commune_code": THERE},
        headers=support.auth() | {"If-Match": '"1"'},
    )
    assert moved.status_code == 200, moved.text
    for commune in (HERE, THERE):
        admin = support.auth(subject=f"admin-{commune}", roles=["admin"], areas=[commune])
        trail = await client.get(
            f"{PREFIX}/audit", params={"entity_id": thing["id"]}, headers=admin
        )
        actions = [e["action"] for e in trail.json()["items"]]
        assert "update" in actions, (commune, actions)
