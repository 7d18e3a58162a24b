"""Column headers (API.md section 10): every field an export or an import template of any
process can show has a Vietnamese and an English label, the Vietnamese is not the English
copied, and no label names a field no schema has."""

from __future__ import annotations

import importlib
import json
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from mtqg_shared import labels
from mtqg_shared.db import Database
from mtqg_shared.labels import CATALOGUES, COMMON, COMMON_MAPS, LANGUAGES, MAPS, label
from mtqg_shared.registry import GATEWAY, SERVICE_NAMES, Process
from mtqg_shared.registry import PROCESSES as REGISTRY
from tests import support

Schema = Mapping[str, Any]

# A report's `rows` and `totals` are the row schema's columns themselves (API.md section 10).
TRANSPARENT = ("rows", "totals")
# Words that read the same in both languages.
SAME_IN_BOTH = {"ID", "OCOP", "Email", "URL", "Webhook", "Client ID", "CCCD/CMND"}
PROCESSES = [GATEWAY, *SERVICE_NAMES]
_documents: dict[str, Schema] = {}
# Where a column path holds a key of a map keyed by data, and a key put there to head it.
KEY = "*"
SAMPLE_KEY = "KR"


def document(process: str) -> Schema:
    """The process's own OpenAPI document (the gateway's own routes, not the merged one),
    with its import templates' columns (`x-templates`: a row's columns need not all be a
    body's fields: a funding row names its case by household)."""
    if process not in _documents:
        db = Database("sqlite+aiosqlite:///:memory:", process)
        if process == GATEWAY:
            from gateway.app import create_app
            from tests.gateway.helpers import SIGNING_KEY, make_settings

            settings = make_settings(Path(tempfile.mkdtemp()))
            _documents[process] = create_app(settings, db=db, signing_key=SIGNING_KEY).api.openapi()
        else:
            app = importlib.import_module(f"{process}.app")
            config = importlib.import_module(f"{process}.config")
            made = app.create_app(config.Settings(), db=db, verifier=support.verifier())
            templates = {entry.name: list(entry.fields) for entry in made.state.imports.values()}
            _documents[process] = {**made.openapi(), "x-templates": templates}
    return _documents[process]


def _resolve(doc: Schema, schema: Schema) -> Schema:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    return schema


def _variants(doc: Schema, schema: Schema) -> Iterator[Schema]:
    """The non-null shapes a schema allows (anyOf/oneOf with null, allOf merged by walking)."""
    schema = _resolve(doc, schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            for option in schema[key]:
                yield from _variants(doc, option)
            return
    if "allOf" in schema:
        for part in schema["allOf"]:
            yield from _variants(doc, part)
        return
    if schema.get("type") != "null":
        yield schema


def flatten(doc: Schema, schema: Schema, prefix: str = "", top: bool = False) -> Iterator[str]:
    """The dotted column paths of a schema: an object's fields, a list of objects' element
    fields as `<list>.<field>` (a report's `rows`/`totals` as the row's own fields), a map keyed
    by an enum as `<field>.<value>`; a scalar, a list of scalars, a map keyed by data or a field
    whose schema says `x-one-cell` (the export writes it as JSON text) is one column."""
    if prefix and schema.get("x-one-cell") is True:
        yield prefix
        return
    for shape in _variants(doc, schema):
        properties = shape.get("properties")
        extra = shape.get("additionalProperties")
        if properties:
            for name, sub in properties.items():
                if top and name in TRANSPARENT:
                    yield from _elements(doc, sub, prefix)
                else:
                    yield from flatten(doc, sub, _join(prefix, name))
        elif isinstance(extra, dict) and prefix:
            keys = _resolve(doc, shape.get("propertyNames", {}))
            # A map keyed by an enum of the document lists its values; any other map's keys
            # are data (a country, a year, a crop), `*` here.
            for key in keys.get("enum", [KEY]):
                yield from flatten(doc, extra, _join(prefix, str(key)))
        elif shape.get("type") == "array" and prefix:
            items = list(_variants(doc, shape.get("items", {})))
            if any(item.get("properties") for item in items):
                yield from _elements(doc, shape["items"], prefix)
            else:
                yield prefix
        elif prefix:
            yield prefix


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _elements(doc: Schema, schema: Schema, prefix: str) -> Iterator[str]:
    for shape in _variants(doc, schema):
        if shape.get("type") == "array":
            yield from flatten(doc, shape.get("items", {}), prefix)
        else:
            yield from flatten(doc, shape, prefix)


def _json(content: Mapping[str, Any] | None) -> Schema | None:
    if not content:
        return None
    body = content.get("application/json")
    return None if body is None else body.get("schema")


def columns(doc: Schema) -> Iterator[tuple[str, list[str]]]:
    """Each export (a collection's items, a report's answer) and each body (POST/PUT/PATCH)
    of a process, and its column paths."""
    for route, operations in doc["paths"].items():
        for method, operation in operations.items():
            if method == "get":
                schema = _json(operation.get("responses", {}).get("200", {}).get("content"))
                if schema is None or "/changes" in route or route.endswith("/vocabulary"):
                    continue
                shape = _resolve(doc, schema)
                properties = shape.get("properties", {})
                if "items" in properties and "next_cursor" in properties:
                    paths = _elements(doc, properties["items"], "")
                elif "/reports/" in route or route.endswith("/overview"):
                    paths = flatten(doc, schema, top=True)
                else:
                    continue
            elif method in ("post", "put", "patch"):
                schema = _json(operation.get("requestBody", {}).get("content"))
                if schema is None or route.endswith("/batch"):
                    continue
                paths = flatten(doc, schema)
            else:
                continue
            yield f"{method.upper()} {route}", list(dict.fromkeys(paths))
    for resource, fields in doc.get("x-templates", {}).items():
        yield f"template {resource}", fields


def document_paths(doc: Schema) -> dict[str, str]:
    """Every column path of a process's exports and bodies, with where it was first found."""
    found: dict[str, str] = {}
    for where, paths in columns(doc):
        for path in paths:
            found.setdefault(path, where)
    return found


def _names(paths: set[str]) -> set[str]:
    """What a catalogue may name: the paths, their parents and their parts."""
    named = set()
    for path in paths:
        parts = path.split(".")
        named |= {".".join(parts[: i + 1]) for i in range(len(parts))} | set(parts)
    return named - {KEY}


def _maps(paths: set[str]) -> set[str]:
    return {path.split(f".{KEY}")[0] for path in paths if KEY in path.split(".")}


@pytest.mark.parametrize("process", PROCESSES)
def test_every_column_of_the_process_has_its_headers(process: str) -> None:
    paths = document_paths(document(process))
    assert len(paths) > 20, "too few columns found: the walk is wrong"
    missing = []
    for path, where in sorted(paths.items()):
        column = path.replace(KEY, SAMPLE_KEY)
        try:
            words = {language: label(process, column, language) for language in LANGUAGES}
        except KeyError:
            missing.append(f"{path} ({where})")
            continue
        assert all(text.strip() for text in words.values()), path
        assert words["vi"] != words["en"] or words["vi"] in SAME_IN_BOTH, (path, words)
    assert not missing, "no header for:\n" + "\n".join(missing)


@pytest.mark.parametrize("process", PROCESSES)
def test_no_header_names_a_field_no_schema_has(process: str) -> None:
    paths = set(document_paths(document(process)))
    # A report row's own header (`rows.<field>`) heads a field the document has.
    names = _names(paths)
    stale = sorted(key for key in CATALOGUES[process] if key.removeprefix("rows.") not in names)
    assert not stale, f"headers of no field of {process}: {stale}"
    assert MAPS[process] | (COMMON_MAPS & _maps(paths)) == _maps(paths)


def test_no_common_header_is_unused() -> None:
    named: set[str] = set()
    for process in PROCESSES:
        named |= _names(set(document_paths(document(process))))
    assert not sorted(set(COMMON) - named)


@pytest.mark.parametrize("catalogue", ["common", *PROCESSES])
def test_the_vietnamese_is_not_the_english_copied(catalogue: str) -> None:
    entries = COMMON if catalogue == "common" else CATALOGUES[catalogue]
    copied = sorted(
        path for path, (vi, en) in entries.items() if vi == en and vi not in SAME_IN_BOTH
    )
    assert not copied, copied
    for path, (vi, en) in entries.items():
        assert vi.strip() == vi and en.strip() == en and vi and en, path


def test_an_officer_reads_the_housing_case_columns() -> None:
    assert label("housing", "household_code", "vi") == "Mã hộ"
    assert label("housing", "household_code", "en") == "Household code"
    assert label("housing", "head_of_household", "vi") == "Chủ hộ"
    assert label("housing", "village", "vi") == "Thôn/bản"
    assert label("housing", "registered_on", "vi") == "Ngày đăng ký"
    # Any other language is the default, Vietnamese.
    assert label("housing", "household_code", "fr") == "Mã hộ"


def test_a_map_keyed_by_an_enum_joins_the_field_and_the_value_s_words() -> None:
    assert label("housing", "funding_vnd.central_budget", "vi") == (
        "Kinh phí đã nhận (đồng) - Ngân sách trung ương"
    )
    assert label("housing", "funding_vnd.central_budget", "en").startswith(
        "Funding received (VND) - "
    )
    assert (
        label("housing", "by_status.handed_over", "vi") == "Số hồ sơ theo trạng thái - Đã bàn giao"
    )


def test_a_nested_field_joins_its_parts() -> None:
    assert label("housing", "area.name", "en") == "Area - name"
    assert label("housing", "area.code", "vi") == "Địa bàn - Mã"
    assert label("housing", "milestones.due_on", "vi").startswith("Mốc tiến độ")


def test_a_field_no_catalogue_names_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        label("housing", "no_such_field", "vi")
    with pytest.raises(KeyError):
        label("housing", "funding_vnd.no_such_source", "en")
    with pytest.raises(KeyError):
        label("no_such_service", "household_code.x", "vi")


def test_money_and_land_headers_say_their_unit() -> None:
    for process in PROCESSES:
        for path in document_paths(document(process)):
            last = path.rsplit(".", 1)[-1]
            column = path.replace(KEY, SAMPLE_KEY)
            vi, en = label(process, column, "vi"), label(process, column, "en")
            if last.endswith("_vnd") or path.split(".")[0].endswith("_vnd"):
                assert "(đồng)" in vi and "(VND)" in en, (process, path, vi, en)
            if last.endswith("_ha"):
                assert "(ha)" in vi and "(ha)" in en, (process, path, vi, en)
            if last.endswith("_rate") or last.endswith("_share"):
                assert "Tỷ lệ" in vi or "%" in vi, (process, path, vi)


def _overview_columns(process: Process) -> list[str]:
    assert process.overview is not None
    doc = document(process.name)
    route = f"/api/v1/{process.name}/{process.overview.report}"
    answer = doc["paths"][route]["get"]["responses"]["200"]["content"]["application/json"]
    return [path.replace(KEY, SAMPLE_KEY) for path in flatten(doc, answer["schema"], top=True)]


@pytest.mark.parametrize("process", [p for p in REGISTRY if p.overview], ids=lambda p: p.name)
def test_the_gateway_heads_an_overview_part_with_the_service_s_vocabulary_answer(
    process: Process, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gateway's image holds no service package: it heads a service's overview sheet with
    the words of the service's `GET /vocabulary`, as it receives them."""
    vocabulary = importlib.import_module(f"{process.name}.vocabulary").VOCABULARY
    answer = json.loads(vocabulary.body)
    monkeypatch.setattr(labels, "_enum_words", lambda service: {})
    for column in _overview_columns(process):
        for language in LANGUAGES:
            assert label(process.name, column, language, vocabulary=answer).strip(), column


def test_the_vocabulary_answer_given_words_the_enum_values() -> None:
    answer = {"case_status": {"registered": {"vi": "Mới đăng ký", "en": "Just registered"}}}
    assert label("housing", "by_status.registered", "vi", vocabulary=answer) == (
        "Số hồ sơ theo trạng thái - Mới đăng ký"
    )
    assert label("housing", "by_status.registered", "en", vocabulary=answer) == (
        "Cases by status - Just registered"
    )
    with pytest.raises(KeyError):
        label("housing", "by_status.surveyed", "vi", vocabulary=answer)


@pytest.mark.parametrize("process", PROCESSES)
def test_two_columns_of_one_sheet_never_share_a_header(process: str) -> None:
    """An import matches a column by its field name or its header: one header, one field."""
    shared = []
    for where, paths in columns(document(process)):
        for language in LANGUAGES:
            headers: dict[str, str] = {}
            for path in paths:
                header = label(process, path.replace(KEY, SAMPLE_KEY), language)
                if headers.setdefault(header, path) != path:
                    shared.append(f"{where}: {path} and {headers[header]} are {header!r}")
    assert not shared, "\n".join(sorted(set(shared)))
