"""The shared input types: text a database can store, dates written YYYY-MM-DD, and the
documented Idempotency-Key and If-Match headers, alone and through a probe app."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import TypeAdapter, ValidationError

from housing.config import Settings
from housing.models import audit_log, idempotency_keys
from mtqg_shared.auth import Writer
from mtqg_shared.db import Database
from mtqg_shared.fields import (
    Day,
    HouseholdCode,
    IdempotencyKey,
    IfMatch,
    Name,
    Note,
    is_storable,
    is_storable_utf8,
    storable,
)
from mtqg_shared.schemas import StrictInput
from mtqg_shared.service_app import create_service_app
from tests import support

PROBE = "/api/v1/housing/probe-fields"

names: TypeAdapter[str] = TypeAdapter(Name)
notes: TypeAdapter[str] = TypeAdapter(Note)
codes: TypeAdapter[str] = TypeAdapter(HouseholdCode)
days: TypeAdapter[dt.date] = TypeAdapter(Day)


@pytest.mark.parametrize(
    "text",
    ["a\x00b", "\x00", "a\ud800b", "\udfff", "bell\x07", "esc\x1b[0m", "del\x7f"],
)
def test_text_a_database_cannot_store_is_refused(text: str) -> None:
    for adapter in (names, notes, codes):
        with pytest.raises(ValidationError):
            adapter.validate_python(text)


def test_ordinary_text_is_kept_stripped() -> None:
    assert names.validate_python("  Lò Văn Páo  ") == "Lò Văn Páo"
    assert notes.validate_python("line one\nline two\tand a tab") == (
        "line one\nline two\tand a tab"
    )
    assert notes.validate_python("") == ""
    assert codes.validate_python(" HH-0001 ") == "HH-0001"


@pytest.mark.parametrize(
    ("adapter", "text"),
    [(names, ""), (names, "   "), (names, "x" * 201), (codes, "x" * 33), (notes, "x" * 4001)],
)
def test_text_lengths(adapter: TypeAdapter[str], text: str) -> None:
    with pytest.raises(ValidationError):
        adapter.validate_python(text)


def test_storable_names_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="NUL"):
        storable("a\x00")
    with pytest.raises(ValueError, match="Unicode"):
        storable("a\ud800")
    assert storable("Bảo Yên") == "Bảo Yên"


def test_a_whole_file_is_storable_exactly_when_each_of_its_texts_is() -> None:
    """`is_storable_utf8` looks at a file's bytes once; it answers what `is_storable` answers
    of the text, for every character below 128 and for Vietnamese, Hmong and Dao text."""
    texts = [chr(c) for c in range(128)] + [
        "Giàng Seo Páo",
        "Sín Chải\tthôn 3\r\n",
        "Tẩn Mý Mẩy, Bản Xèo",
        "Hộ nghèo ₫ 🏠",
        "a" * 10_000 + "\x1f",
    ]
    for text in texts:
        assert is_storable_utf8(text.encode("utf-8")) == is_storable(text), repr(text)
    clean = "".join(t for t in texts if is_storable(t))
    assert is_storable_utf8(clean.encode("utf-8"))
    assert not is_storable_utf8((clean + "\x00" + clean).encode("utf-8"))


def test_days_are_written_yyyy_mm_dd() -> None:
    assert days.validate_python("2024-02-29") == dt.date(2024, 2, 29)
    assert days.validate_python(dt.date(2025, 7, 1)) == dt.date(2025, 7, 1)


@pytest.mark.parametrize(
    "value",
    [
        0,
        1_700_000_000,
        1.5,
        "2024-01-01T00:00:00",
        "2024-1-1",
        "20240101",
        "2023-02-29",
        dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        "1899-12-31",
        "2201-01-01",
        None,
    ],
)
def test_anything_else_is_not_a_day(value: Any) -> None:
    with pytest.raises(ValidationError):
        days.validate_python(value)


class FieldsIn(StrictInput):
    name: Name
    note: Note | None = None
    on: Day | None = None


def fields_app(db: Database) -> FastAPI:
    router = APIRouter(prefix="/api/v1/housing")

    @router.post("/probe-fields", status_code=201)
    async def create(
        body: FieldsIn, principal: Writer, _key: IdempotencyKey = None, _if: IfMatch = None
    ) -> dict[str, str | None]:
        return {"name": body.name, "on": body.on.isoformat() if body.on else None}

    return create_service_app(
        Settings(),
        title="probe",
        description="probe",
        routers=[router],
        audit_table=audit_log,
        idempotency_table=idempotency_keys,
        db=db,
        verifier=support.verifier(),
    )


@pytest.fixture
async def client(databases: dict[str, Database]) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=fields_app(databases["housing"]))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=support.ENGLISH
    ) as c:
        yield c


def _post(client: httpx.AsyncClient, raw: str) -> Any:
    headers = support.auth() | {"Content-Type": "application/json"}
    return client.post(PROBE, content=raw.encode(), headers=headers)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"name": "a\\u0000b"}', "body.name"),
        ('{"name": "ok", "note": "\\u0000"}', "body.note"),
        ('{"name": "a\\ud800"}', "body.name"),  # a lone surrogate, valid JSON
        ('{"name": "ok", "on": 1700000000}', "body.on"),
        ('{"name": "ok", "on": "2024-01-01T00:00:00"}', "body.on"),
        ('{"name": "ok", "on": "9999-12-31"}', "body.on"),
    ],
)
async def test_bad_input_is_422_never_500(client: httpx.AsyncClient, raw: str, field: str) -> None:
    answer = await _post(client, raw)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in answer.json()["errors"]] == [field]


async def test_good_input_passes(client: httpx.AsyncClient) -> None:
    answer = await _post(client, '{"name": " Sa Pa ", "note": "a\\nb", "on": "2025-07-01"}')
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"name": "Sa Pa", "on": "2025-07-01"}


async def test_headers_are_documented_and_checked(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    parameters = {p["name"]: p for p in document["paths"][PROBE]["post"]["parameters"]}
    assert parameters["Idempotency-Key"]["in"] == "header"
    assert "24 h" in parameters["Idempotency-Key"]["description"]
    assert parameters["If-Match"]["in"] == "header"
    too_long = await client.post(
        PROBE, json={"name": "a"}, headers=support.auth() | {"Idempotency-Key": "k" * 256}
    )
    assert too_long.status_code == 422
